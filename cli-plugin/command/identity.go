package command

import (
	"context"
	"strings"

	"github.com/exos-platform/exos/manager/api"
)

// IdentityClient is what the identity commands (login, whoami, user, group, token, auth,
// env member) use of the manager's API. It is part of ManagerClient; it has its own
// interface so that its fake can live in a file of its own.
type IdentityClient interface {
	Login(ctx context.Context, req api.LoginRequest) (api.Session, error)
	Logout(ctx context.Context) error
	Whoami(ctx context.Context) (api.Whoami, error)
	ChangePassword(ctx context.Context, current, password string) error

	CreateUser(ctx context.Context, req api.UserCreateRequest) (api.User, error)
	ListUsers(ctx context.Context) ([]api.User, error)
	InspectUser(ctx context.Context, name string) (api.User, error)
	SetUserDisabled(ctx context.Context, name string, disabled bool) (api.User, error)
	RemoveUser(ctx context.Context, name string) error
	SetPassword(ctx context.Context, name, password string) error

	CreateGroup(ctx context.Context, req api.GroupCreateRequest) (api.Group, error)
	ListGroups(ctx context.Context) ([]api.Group, error)
	InspectGroup(ctx context.Context, name string) (api.Group, error)
	RemoveGroup(ctx context.Context, name string) error
	AddGroupMember(ctx context.Context, group, user string) (api.Group, error)
	RemoveGroupMember(ctx context.Context, group, user string) (api.Group, error)

	CreateToken(ctx context.Context, req api.TokenCreateRequest) (api.TokenSecret, error)
	ListTokens(ctx context.Context, opts api.TokenListOptions) ([]api.Token, error)
	RevokeToken(ctx context.Context, id string) error

	ListMembers(ctx context.Context, env string) ([]api.Member, error)
	AddMember(ctx context.Context, env, subject, role string) (api.Member, error)
	RemoveMember(ctx context.Context, env, subject string) error

	LDAPSettings(ctx context.Context) (api.LDAPSettings, error)
	SetLDAPSettings(ctx context.Context, req api.LDAPSettingsRequest) (api.LDAPSettings, error)
	RemoveLDAPSettings(ctx context.Context) error
	TestLDAP(ctx context.Context, req api.LDAPTestRequest) (api.LDAPTestResult, error)
}

// RolesText is a user's or group's roles for a table cell: "prod:owner, qa:member".
func RolesText(roles []api.EnvRole) string {
	parts := make([]string, 0, len(roles))
	for _, r := range roles {
		parts = append(parts, r.Env+":"+r.Role)
	}
	return strings.Join(parts, ", ")
}
