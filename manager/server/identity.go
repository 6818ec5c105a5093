package server

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/exos-platform/exos/manager/api"
	"github.com/exos-platform/exos/manager/authz"
)

// Identity keeps users, groups, role bindings, sessions and API tokens; *identity.Service
// implements it (and Authenticator).
type Identity interface {
	Login(ctx context.Context, req api.LoginRequest, remoteAddr string) (api.Session, error)
	// Logout and Whoami act on the credential r authenticated with.
	Logout(r *http.Request) error
	Whoami(r *http.Request) (api.Whoami, error)
	ChangePassword(ctx context.Context, user string, req api.PasswordRequest) error

	CreateUser(ctx context.Context, req api.UserCreateRequest) (api.User, error)
	ListUsers() []api.User
	InspectUser(name string) (api.User, error)
	SetUserDisabled(ctx context.Context, name string, disabled bool) (api.User, error)
	RemoveUser(ctx context.Context, name string) error
	SetPassword(ctx context.Context, name, password string) error

	CreateGroup(ctx context.Context, req api.GroupCreateRequest) (api.Group, error)
	ListGroups() []api.Group
	InspectGroup(name string) (api.Group, error)
	RemoveGroup(ctx context.Context, name string) error
	AddGroupMember(ctx context.Context, group, user string) (api.Group, error)
	RemoveGroupMember(ctx context.Context, group, user string) (api.Group, error)

	CreateToken(ctx context.Context, p authz.Principal, req api.TokenCreateRequest) (api.TokenSecret, error)
	// ListTokens lists user's tokens ("" for everyone's).
	ListTokens(user string) []api.Token
	TokenOwner(id string) (string, bool)
	RevokeToken(ctx context.Context, id string) error

	Members(env string) []api.Member
	AddMember(ctx context.Context, env, subject, role string) (api.Member, error)
	RemoveMember(ctx context.Context, env, subject string) error
	// RemoveEnvironment drops the role bindings of a removed environment.
	RemoveEnvironment(ctx context.Context, env string) error

	LDAPSettings() (api.LDAPSettings, error)
	SetLDAPSettings(ctx context.Context, req api.LDAPSettingsRequest) (api.LDAPSettings, error)
	RemoveLDAPSettings(ctx context.Context) error
	TestLDAP(ctx context.Context, req api.LDAPTestRequest) (api.LDAPTestResult, error)
}

// authenticate resolves the caller of a request on route; a public route (logging in)
// has none to resolve.
func (s *Server) authenticate(r *http.Request, route string) (authz.Principal, error) {
	if permissions[route].action == authz.Public {
		return authz.Principal{}, nil
	}
	return s.authn.Authenticate(r)
}

// setRetryAfter sends the wait of a refusal that has one (a throttled login).
func setRetryAfter(w http.ResponseWriter, err error) {
	var retry interface{ RetryAfter() time.Duration }
	if errors.As(err, &retry) {
		w.Header().Set("Retry-After", strconv.Itoa(int(retry.RetryAfter()/time.Second)))
	}
}

func (s *Server) login(r *http.Request) (any, error) {
	var req api.LoginRequest
	if err := decode(r, &req); err != nil {
		return nil, err
	}
	_, from := caller(r)
	return s.identity.Login(r.Context(), req, from)
}

func (s *Server) logout(r *http.Request) (any, error) {
	return nil, s.identity.Logout(r)
}

func (s *Server) whoami(r *http.Request) (any, error) {
	return s.identity.Whoami(r)
}

func (s *Server) changePassword(r *http.Request) (any, error) {
	var req api.PasswordRequest
	if err := decode(r, &req); err != nil {
		return nil, err
	}
	return nil, s.identity.ChangePassword(r.Context(), principalOf(r).User, req)
}

func (s *Server) createUser(r *http.Request) (any, error) {
	var req api.UserCreateRequest
	if err := decode(r, &req); err != nil {
		return nil, err
	}
	return s.identity.CreateUser(r.Context(), req)
}

func (s *Server) listUsers(*http.Request) (any, error) { return s.identity.ListUsers(), nil }

func (s *Server) inspectUser(r *http.Request) (any, error) {
	return s.identity.InspectUser(r.PathValue("name"))
}

func (s *Server) disableUser(r *http.Request) (any, error) {
	return s.identity.SetUserDisabled(r.Context(), r.PathValue("name"), true)
}

func (s *Server) enableUser(r *http.Request) (any, error) {
	return s.identity.SetUserDisabled(r.Context(), r.PathValue("name"), false)
}

func (s *Server) removeUser(r *http.Request) (any, error) {
	return nil, s.identity.RemoveUser(r.Context(), r.PathValue("name"))
}

func (s *Server) setPassword(r *http.Request) (any, error) {
	var req api.PasswordRequest
	if err := decode(r, &req); err != nil {
		return nil, err
	}
	return nil, s.identity.SetPassword(r.Context(), r.PathValue("name"), req.Password)
}
