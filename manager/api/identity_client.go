package api

import (
	"context"
	"net/http"
	"net/url"
)

// WithToken returns a copy of the client that authenticates with token ("" for none, as
// a login does).
func (c *Client) WithToken(token string) *Client {
	cp := *c
	cp.token = token
	return &cp
}

// Login checks a user's password and opens a session; its token is the answer's only copy.
func (c *Client) Login(ctx context.Context, req LoginRequest) (Session, error) {
	var out Session
	_, err := c.do(ctx, http.MethodPost, "/api/v1/login", nil, req, &out)
	return out, err
}

// Logout ends the caller's session. With an API token it changes nothing: tokens are
// revoked with RevokeToken.
func (c *Client) Logout(ctx context.Context) error {
	_, err := c.do(ctx, http.MethodPost, "/api/v1/logout", nil, nil, nil)
	return err
}

// Whoami describes the caller.
func (c *Client) Whoami(ctx context.Context) (Whoami, error) {
	var out Whoami
	_, err := c.do(ctx, http.MethodGet, "/api/v1/whoami", nil, nil, &out)
	return out, err
}

// ChangePassword changes the caller's own password; current is its password now.
func (c *Client) ChangePassword(ctx context.Context, current, password string) error {
	_, err := c.do(ctx, http.MethodPut, "/api/v1/whoami/password", nil, PasswordRequest{Current: current, Password: password}, nil)
	return err
}

// CreateUser creates a user (global admin).
func (c *Client) CreateUser(ctx context.Context, req UserCreateRequest) (User, error) {
	var out User
	_, err := c.do(ctx, http.MethodPost, "/api/v1/users", nil, req, &out)
	return out, err
}

// ListUsers lists the users, sorted by name.
func (c *Client) ListUsers(ctx context.Context) ([]User, error) {
	var out []User
	_, err := c.do(ctx, http.MethodGet, "/api/v1/users", nil, nil, &out)
	return out, err
}

// InspectUser returns one user.
func (c *Client) InspectUser(ctx context.Context, name string) (User, error) {
	var out User
	_, err := c.do(ctx, http.MethodGet, "/api/v1/users/"+escape(name), nil, nil, &out)
	return out, err
}

// SetUserDisabled disables a user (its sessions end, its tokens stop working) or enables it again.
func (c *Client) SetUserDisabled(ctx context.Context, name string, disabled bool) (User, error) {
	verb := "/enable"
	if disabled {
		verb = "/disable"
	}
	var out User
	_, err := c.do(ctx, http.MethodPost, "/api/v1/users/"+escape(name)+verb, nil, nil, &out)
	return out, err
}

// RemoveUser removes a user with its sessions, tokens, memberships and roles.
func (c *Client) RemoveUser(ctx context.Context, name string) error {
	_, err := c.do(ctx, http.MethodDelete, "/api/v1/users/"+escape(name), nil, nil, nil)
	return err
}

// SetPassword sets a user's password (global admin); its sessions end.
func (c *Client) SetPassword(ctx context.Context, name, password string) error {
	_, err := c.do(ctx, http.MethodPut, "/api/v1/users/"+escape(name)+"/password", nil, PasswordRequest{Password: password}, nil)
	return err
}

// CreateGroup creates a group.
func (c *Client) CreateGroup(ctx context.Context, req GroupCreateRequest) (Group, error) {
	var out Group
	_, err := c.do(ctx, http.MethodPost, "/api/v1/groups", nil, req, &out)
	return out, err
}

// ListGroups lists the groups, sorted by name.
func (c *Client) ListGroups(ctx context.Context) ([]Group, error) {
	var out []Group
	_, err := c.do(ctx, http.MethodGet, "/api/v1/groups", nil, nil, &out)
	return out, err
}

// InspectGroup returns one group.
func (c *Client) InspectGroup(ctx context.Context, name string) (Group, error) {
	var out Group
	_, err := c.do(ctx, http.MethodGet, "/api/v1/groups/"+escape(name), nil, nil, &out)
	return out, err
}

// RemoveGroup removes a group and its roles.
func (c *Client) RemoveGroup(ctx context.Context, name string) error {
	_, err := c.do(ctx, http.MethodDelete, "/api/v1/groups/"+escape(name), nil, nil, nil)
	return err
}

// AddGroupMember makes a user a local member of a group.
func (c *Client) AddGroupMember(ctx context.Context, group, user string) (Group, error) {
	var out Group
	_, err := c.do(ctx, http.MethodPut, "/api/v1/groups/"+escape(group)+"/members/"+escape(user), nil, nil, &out)
	return out, err
}

// RemoveGroupMember takes a local member out of a group.
func (c *Client) RemoveGroupMember(ctx context.Context, group, user string) (Group, error) {
	var out Group
	_, err := c.do(ctx, http.MethodDelete, "/api/v1/groups/"+escape(group)+"/members/"+escape(user), nil, nil, &out)
	return out, err
}

// TokenListOptions say whose tokens ListTokens returns: the caller's own by default.
type TokenListOptions struct {
	User string // this user's (the global admin's to ask)
	All  bool   // everyone's the caller may see
}

// CreateToken creates an API token for the caller, never with more rights than it has.
func (c *Client) CreateToken(ctx context.Context, req TokenCreateRequest) (TokenSecret, error) {
	var out TokenSecret
	_, err := c.do(ctx, http.MethodPost, "/api/v1/tokens", nil, req, &out)
	return out, err
}

// ListTokens lists API tokens, sorted by user and name.
func (c *Client) ListTokens(ctx context.Context, opts TokenListOptions) ([]Token, error) {
	q := url.Values{}
	if opts.User != "" {
		q.Set("user", opts.User)
	}
	if opts.All {
		q.Set("all", "true")
	}
	var out []Token
	_, err := c.do(ctx, http.MethodGet, "/api/v1/tokens", q, nil, &out)
	return out, err
}

// RevokeToken revokes an API token by ID: the caller's own, or anyone's for the global admin.
func (c *Client) RevokeToken(ctx context.Context, id string) error {
	_, err := c.do(ctx, http.MethodDelete, "/api/v1/tokens/"+escape(id), nil, nil, nil)
	return err
}

// ListMembers lists the role bindings of an environment.
func (c *Client) ListMembers(ctx context.Context, env string) ([]Member, error) {
	var out []Member
	_, err := c.do(ctx, http.MethodGet, "/api/v1/environments/"+escape(env)+"/members", nil, nil, &out)
	return out, err
}

// AddMember gives a user, or "@group", a role in an environment (replacing its role there).
func (c *Client) AddMember(ctx context.Context, env, subject, role string) (Member, error) {
	var out Member
	_, err := c.do(ctx, http.MethodPut, "/api/v1/environments/"+escape(env)+"/members/"+escape(subject), nil, MemberRequest{Role: role}, &out)
	return out, err
}

// RemoveMember takes a user's or a group's role in an environment away.
func (c *Client) RemoveMember(ctx context.Context, env, subject string) error {
	_, err := c.do(ctx, http.MethodDelete, "/api/v1/environments/"+escape(env)+"/members/"+escape(subject), nil, nil, nil)
	return err
}

// LDAPSettings returns the directory settings; ErrNotFound when none are set.
func (c *Client) LDAPSettings(ctx context.Context) (LDAPSettings, error) {
	var out LDAPSettings
	_, err := c.do(ctx, http.MethodGet, "/api/v1/auth/ldap", nil, nil, &out)
	return out, err
}

// SetLDAPSettings sets the directory settings.
func (c *Client) SetLDAPSettings(ctx context.Context, req LDAPSettingsRequest) (LDAPSettings, error) {
	var out LDAPSettings
	_, err := c.do(ctx, http.MethodPut, "/api/v1/auth/ldap", nil, req, &out)
	return out, err
}

// RemoveLDAPSettings turns directory login off; directory users can no longer log in.
func (c *Client) RemoveLDAPSettings(ctx context.Context) error {
	_, err := c.do(ctx, http.MethodDelete, "/api/v1/auth/ldap", nil, nil, nil)
	return err
}

// TestLDAP tests the directory settings, step by step.
func (c *Client) TestLDAP(ctx context.Context, req LDAPTestRequest) (LDAPTestResult, error) {
	var out LDAPTestResult
	_, err := c.do(ctx, http.MethodPost, "/api/v1/auth/ldap/test", nil, req, &out)
	return out, err
}
