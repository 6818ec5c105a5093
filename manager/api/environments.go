package api

import (
	"context"
	"net/http"
	"net/url"
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

// RemoveNodeOptions are the options of RemoveNode.
type RemoveNodeOptions struct {
	// Force takes out the environment's last node even though its stacks then stop.
	Force bool
}

// RemoveNode takes a node out of the environment by removing its label. It fails with
// ErrNotFound when the node is not a member, and with ErrConflict when the node is the last
// one of an environment that has stacks, unless opts.Force is set.
func (c *Client) RemoveNode(ctx context.Context, env, node string, opts RemoveNodeOptions) (Environment, error) {
	var out Environment
	path := "/api/v1/environments/" + escape(env) + "/nodes/" + escape(node)
	var q url.Values
	if opts.Force {
		q = url.Values{"force": {"true"}}
	}
	_, err := c.do(ctx, http.MethodDelete, path, q, nil, &out)
	return out, err
}
