package api

import (
	"context"
	"net/http"
)

// CreateEnvironment creates an environment with no nodes.
func (c *Client) CreateEnvironment(ctx context.Context, req EnvironmentCreateRequest) (Environment, error) {
	var out Environment
	_, err := c.do(ctx, http.MethodPost, "/api/v1/environments", nil, req, &out)
	return out, err
}

// ListEnvironments lists the environments with their nodes and stacks.
func (c *Client) ListEnvironments(ctx context.Context) ([]Environment, error) {
	var out []Environment
	_, err := c.do(ctx, http.MethodGet, "/api/v1/environments", nil, nil, &out)
	return out, err
}

// InspectEnvironment returns one environment.
func (c *Client) InspectEnvironment(ctx context.Context, name string) (Environment, error) {
	var out Environment
	_, err := c.do(ctx, http.MethodGet, "/api/v1/environments/"+escape(name), nil, nil, &out)
	return out, err
}

// RemoveEnvironment removes an environment and its label from every node. It refuses while
// stacks are deployed into the environment.
func (c *Client) RemoveEnvironment(ctx context.Context, name string) error {
	_, err := c.do(ctx, http.MethodDelete, "/api/v1/environments/"+escape(name), nil, nil, nil)
	return err
}

// AddNode puts a node (ID or hostname) into the environment by labelling it.
func (c *Client) AddNode(ctx context.Context, env, node string) (Environment, error) {
	var out Environment
	path := "/api/v1/environments/" + escape(env) + "/nodes/" + escape(node)
	_, err := c.do(ctx, http.MethodPut, path, nil, nil, &out)
	return out, err
}

// RemoveNode takes a node out of the environment by removing its label.
func (c *Client) RemoveNode(ctx context.Context, env, node string) (Environment, error) {
	var out Environment
	path := "/api/v1/environments/" + escape(env) + "/nodes/" + escape(node)
	_, err := c.do(ctx, http.MethodDelete, path, nil, nil, &out)
	return out, err
}
