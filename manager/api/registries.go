package api

import (
	"context"
	"net/http"
	"time"
)

// Registry is a private image registry EXOS knows, global or for one environment. Its
// password is never part of it: the manager keeps it sealed and never answers it.
type Registry struct {
	Name string `json:"name"`
	// URL is the registry's host[:port] (the domain of its image references), without a
	// scheme, path or credentials.
	URL string `json:"url"`
	// Env scopes the registry to one environment; "" makes it global.
	Env      string `json:"env,omitempty"`
	Username string `json:"username,omitempty"`
	// HasPassword says whether a password is kept for Username.
	HasPassword bool `json:"hasPassword,omitempty"`
	// Insecure allows plain HTTP and an unverified certificate.
	Insecure bool `json:"insecure,omitempty"`
	// CA is the PEM of the certificate authorities the registry's certificate is checked
	// against ("" for the system's): public, so it is answered.
	CA          string    `json:"ca,omitempty"`
	CreatedAt   time.Time `json:"createdAt,omitzero"`
	CreatedBy   string    `json:"createdBy,omitempty"`
	CreatedFrom string    `json:"createdFrom,omitempty"`
}

// RegistryAddRequest adds a registry. Password is sealed by the manager, never stored
// in clear, logged or answered.
type RegistryAddRequest struct {
	Name     string `json:"name"`
	URL      string `json:"url"`
	Env      string `json:"env,omitempty"`
	Username string `json:"username,omitempty"`
	Password string `json:"password,omitempty"`
	Insecure bool   `json:"insecure,omitempty"`
	CA       string `json:"ca,omitempty"`
}

// RegistryTestResult is what a login test found: OK, or the reason it failed (which
// never carries the password).
type RegistryTestResult struct {
	Name  string `json:"name"`
	URL   string `json:"url"`
	OK    bool   `json:"ok"`
	Error string `json:"error,omitempty"`
}

// AddRegistry adds a registry (it does not contact it: see TestRegistryLogin).
func (c *Client) AddRegistry(ctx context.Context, req RegistryAddRequest) (Registry, error) {
	var out Registry
	_, err := c.do(ctx, http.MethodPost, "/api/v1/registries", nil, req, &out)
	return out, err
}

// ListRegistries lists the registries the caller sees, by name.
func (c *Client) ListRegistries(ctx context.Context) ([]Registry, error) {
	var out []Registry
	_, err := c.do(ctx, http.MethodGet, "/api/v1/registries", nil, nil, &out)
	return out, err
}

// InspectRegistry returns one registry.
func (c *Client) InspectRegistry(ctx context.Context, name string) (Registry, error) {
	var out Registry
	_, err := c.do(ctx, http.MethodGet, "/api/v1/registries/"+escape(name), nil, nil, &out)
	return out, err
}

// RemoveRegistry forgets a registry and its credentials.
func (c *Client) RemoveRegistry(ctx context.Context, name string) error {
	_, err := c.do(ctx, http.MethodDelete, "/api/v1/registries/"+escape(name), nil, nil, nil)
	return err
}

// TestRegistryLogin has the manager log in to a registry with its credentials.
func (c *Client) TestRegistryLogin(ctx context.Context, name string) (RegistryTestResult, error) {
	var out RegistryTestResult
	_, err := c.do(ctx, http.MethodPost, "/api/v1/registries/"+escape(name)+"/test", nil, nil, &out)
	return out, err
}
