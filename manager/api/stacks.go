package api

import (
	"context"
	"net/http"
	"strconv"
)

// DeployStack deploys (creates, updates and prunes) stack name and records a revision.
func (c *Client) DeployStack(ctx context.Context, name string, req DeployRequest) (DeployResult, error) {
	var out DeployResult
	_, err := c.do(ctx, http.MethodPost, "/api/v1/stacks/"+escape(name)+"/deploy", nil, req, &out)
	return out, err
}

// RollbackStack redeploys the files of revision `to` as a new revision.
func (c *Client) RollbackStack(ctx context.Context, name string, to int) (DeployResult, error) {
	var out DeployResult
	_, err := c.do(ctx, http.MethodPost, "/api/v1/stacks/"+escape(name)+"/rollback", nil, RollbackRequest{To: to}, &out)
	return out, err
}

// ListStacks lists every stack on the swarm, EXOS-deployed or not.
func (c *Client) ListStacks(ctx context.Context) ([]Stack, error) {
	var out []Stack
	_, err := c.do(ctx, http.MethodGet, "/api/v1/stacks", nil, nil, &out)
	return out, err
}

// InspectStack returns one stack with its services, networks, configs and secrets.
func (c *Client) InspectStack(ctx context.Context, name string) (StackDetail, error) {
	var out StackDetail
	_, err := c.do(ctx, http.MethodGet, "/api/v1/stacks/"+escape(name), nil, nil, &out)
	return out, err
}

// RemoveStack removes the stack's services, secrets, configs and networks and says which.
// Its revision history is kept, so a stack deployed again under the same name continues
// its numbering.
func (c *Client) RemoveStack(ctx context.Context, name string) (StackRemoval, error) {
	var out StackRemoval
	_, err := c.do(ctx, http.MethodDelete, "/api/v1/stacks/"+escape(name), nil, nil, &out)
	return out, err
}

// StackServices lists the stack's services. With q.WaitIndex set it blocks until the
// manager's state passes that index; the returned index is the one the answer was read at.
func (c *Client) StackServices(ctx context.Context, name string, q QueryOptions) ([]Service, uint64, error) {
	var out []Service
	index, err := c.do(ctx, http.MethodGet, "/api/v1/stacks/"+escape(name)+"/services", q.values(), nil, &out)
	return out, index, err
}

// StackContainers lists the stack's tasks; it blocks like StackServices.
func (c *Client) StackContainers(ctx context.Context, name string, q QueryOptions) ([]Container, uint64, error) {
	var out []Container
	index, err := c.do(ctx, http.MethodGet, "/api/v1/stacks/"+escape(name)+"/containers", q.values(), nil, &out)
	return out, index, err
}

// StackHistory lists the stack's revisions, newest first, without their files.
func (c *Client) StackHistory(ctx context.Context, name string) ([]Revision, error) {
	var out []Revision
	_, err := c.do(ctx, http.MethodGet, "/api/v1/stacks/"+escape(name)+"/revisions", nil, nil, &out)
	return out, err
}

// StackRevision returns one revision with its files.
func (c *Client) StackRevision(ctx context.Context, name string, number int) (Revision, error) {
	var out Revision
	path := "/api/v1/stacks/" + escape(name) + "/revisions/" + strconv.Itoa(number)
	_, err := c.do(ctx, http.MethodGet, path, nil, nil, &out)
	return out, err
}
