package test

import (
	"context"

	"github.com/exos-platform/exos/cli-plugin/command"
	"github.com/exos-platform/exos/manager/api"
)

// FakeIdentity implements command.IdentityClient with one function field per method; an
// unset field answers with the zero value (or what it was asked for) and no error.
// FakeManager embeds it.
type FakeIdentity struct {
	LoginFunc              func(ctx context.Context, req api.LoginRequest) (api.Session, error)
	LogoutFunc             func(ctx context.Context) error
	WhoamiFunc             func(ctx context.Context) (api.Whoami, error)
	ChangePasswordFunc     func(ctx context.Context, current, password string) error
	CreateUserFunc         func(ctx context.Context, req api.UserCreateRequest) (api.User, error)
	ListUsersFunc          func(ctx context.Context) ([]api.User, error)
	InspectUserFunc        func(ctx context.Context, name string) (api.User, error)
	SetUserDisabledFunc    func(ctx context.Context, name string, disabled bool) (api.User, error)
	RemoveUserFunc         func(ctx context.Context, name string) error
	SetPasswordFunc        func(ctx context.Context, name, password string) error
	CreateGroupFunc        func(ctx context.Context, req api.GroupCreateRequest) (api.Group, error)
	ListGroupsFunc         func(ctx context.Context) ([]api.Group, error)
	InspectGroupFunc       func(ctx context.Context, name string) (api.Group, error)
	RemoveGroupFunc        func(ctx context.Context, name string) error
	AddGroupMemberFunc     func(ctx context.Context, group, user string) (api.Group, error)
	RemoveGroupMemberFunc  func(ctx context.Context, group, user string) (api.Group, error)
	CreateTokenFunc        func(ctx context.Context, req api.TokenCreateRequest) (api.TokenSecret, error)
	ListTokensFunc         func(ctx context.Context, opts api.TokenListOptions) ([]api.Token, error)
	RevokeTokenFunc        func(ctx context.Context, id string) error
	ListMembersFunc        func(ctx context.Context, env string) ([]api.Member, error)
	AddMemberFunc          func(ctx context.Context, env, subject, role string) (api.Member, error)
	RemoveMemberFunc       func(ctx context.Context, env, subject string) error
	LDAPSettingsFunc       func(ctx context.Context) (api.LDAPSettings, error)
	SetLDAPSettingsFunc    func(ctx context.Context, req api.LDAPSettingsRequest) (api.LDAPSettings, error)
	RemoveLDAPSettingsFunc func(ctx context.Context) error
	TestLDAPFunc           func(ctx context.Context, req api.LDAPTestRequest) (api.LDAPTestResult, error)
}

var _ command.IdentityClient = (*FakeIdentity)(nil)

func (f *FakeIdentity) Login(ctx context.Context, req api.LoginRequest) (api.Session, error) {
	if f.LoginFunc == nil {
		return api.Session{User: req.Username}, nil
	}
	return f.LoginFunc(ctx, req)
}

func (f *FakeIdentity) Logout(ctx context.Context) error {
	if f.LogoutFunc == nil {
		return nil
	}
	return f.LogoutFunc(ctx)
}

func (f *FakeIdentity) Whoami(ctx context.Context) (api.Whoami, error) {
	if f.WhoamiFunc == nil {
		return api.Whoami{}, nil
	}
	return f.WhoamiFunc(ctx)
}

func (f *FakeIdentity) ChangePassword(ctx context.Context, current, password string) error {
	if f.ChangePasswordFunc == nil {
		return nil
	}
	return f.ChangePasswordFunc(ctx, current, password)
}

func (f *FakeIdentity) CreateUser(ctx context.Context, req api.UserCreateRequest) (api.User, error) {
	if f.CreateUserFunc == nil {
		return api.User{Name: req.Name}, nil
	}
	return f.CreateUserFunc(ctx, req)
}

func (f *FakeIdentity) ListUsers(ctx context.Context) ([]api.User, error) {
	if f.ListUsersFunc == nil {
		return []api.User{}, nil
	}
	return f.ListUsersFunc(ctx)
}

func (f *FakeIdentity) InspectUser(ctx context.Context, name string) (api.User, error) {
	if f.InspectUserFunc == nil {
		return api.User{Name: name}, nil
	}
	return f.InspectUserFunc(ctx, name)
}

func (f *FakeIdentity) SetUserDisabled(ctx context.Context, name string, disabled bool) (api.User, error) {
	if f.SetUserDisabledFunc == nil {
		return api.User{Name: name, Disabled: disabled}, nil
	}
	return f.SetUserDisabledFunc(ctx, name, disabled)
}

func (f *FakeIdentity) RemoveUser(ctx context.Context, name string) error {
	if f.RemoveUserFunc == nil {
		return nil
	}
	return f.RemoveUserFunc(ctx, name)
}

func (f *FakeIdentity) SetPassword(ctx context.Context, name, password string) error {
	if f.SetPasswordFunc == nil {
		return nil
	}
	return f.SetPasswordFunc(ctx, name, password)
}

func (f *FakeIdentity) CreateGroup(ctx context.Context, req api.GroupCreateRequest) (api.Group, error) {
	if f.CreateGroupFunc == nil {
		return api.Group{Name: req.Name}, nil
	}
	return f.CreateGroupFunc(ctx, req)
}

func (f *FakeIdentity) ListGroups(ctx context.Context) ([]api.Group, error) {
	if f.ListGroupsFunc == nil {
		return []api.Group{}, nil
	}
	return f.ListGroupsFunc(ctx)
}

func (f *FakeIdentity) InspectGroup(ctx context.Context, name string) (api.Group, error) {
	if f.InspectGroupFunc == nil {
		return api.Group{Name: name}, nil
	}
	return f.InspectGroupFunc(ctx, name)
}

func (f *FakeIdentity) RemoveGroup(ctx context.Context, name string) error {
	if f.RemoveGroupFunc == nil {
		return nil
	}
	return f.RemoveGroupFunc(ctx, name)
}

func (f *FakeIdentity) AddGroupMember(ctx context.Context, group, user string) (api.Group, error) {
	if f.AddGroupMemberFunc == nil {
		return api.Group{Name: group, Members: []string{user}}, nil
	}
	return f.AddGroupMemberFunc(ctx, group, user)
}

func (f *FakeIdentity) RemoveGroupMember(ctx context.Context, group, user string) (api.Group, error) {
	if f.RemoveGroupMemberFunc == nil {
		return api.Group{Name: group}, nil
	}
	return f.RemoveGroupMemberFunc(ctx, group, user)
}

func (f *FakeIdentity) CreateToken(ctx context.Context, req api.TokenCreateRequest) (api.TokenSecret, error) {
	if f.CreateTokenFunc == nil {
		return api.TokenSecret{Token: api.Token{Name: req.Name}}, nil
	}
	return f.CreateTokenFunc(ctx, req)
}

func (f *FakeIdentity) ListTokens(ctx context.Context, opts api.TokenListOptions) ([]api.Token, error) {
	if f.ListTokensFunc == nil {
		return []api.Token{}, nil
	}
	return f.ListTokensFunc(ctx, opts)
}

func (f *FakeIdentity) RevokeToken(ctx context.Context, id string) error {
	if f.RevokeTokenFunc == nil {
		return nil
	}
	return f.RevokeTokenFunc(ctx, id)
}

func (f *FakeIdentity) ListMembers(ctx context.Context, env string) ([]api.Member, error) {
	if f.ListMembersFunc == nil {
		return []api.Member{}, nil
	}
	return f.ListMembersFunc(ctx, env)
}

func (f *FakeIdentity) AddMember(ctx context.Context, env, subject, role string) (api.Member, error) {
	if f.AddMemberFunc == nil {
		return api.Member{Env: env, Subject: subject, Role: role}, nil
	}
	return f.AddMemberFunc(ctx, env, subject, role)
}

func (f *FakeIdentity) RemoveMember(ctx context.Context, env, subject string) error {
	if f.RemoveMemberFunc == nil {
		return nil
	}
	return f.RemoveMemberFunc(ctx, env, subject)
}

func (f *FakeIdentity) LDAPSettings(ctx context.Context) (api.LDAPSettings, error) {
	if f.LDAPSettingsFunc == nil {
		return api.LDAPSettings{}, nil
	}
	return f.LDAPSettingsFunc(ctx)
}

func (f *FakeIdentity) SetLDAPSettings(ctx context.Context, req api.LDAPSettingsRequest) (api.LDAPSettings, error) {
	if f.SetLDAPSettingsFunc == nil {
		return req.LDAPSettings, nil
	}
	return f.SetLDAPSettingsFunc(ctx, req)
}

func (f *FakeIdentity) RemoveLDAPSettings(ctx context.Context) error {
	if f.RemoveLDAPSettingsFunc == nil {
		return nil
	}
	return f.RemoveLDAPSettingsFunc(ctx)
}

func (f *FakeIdentity) TestLDAP(ctx context.Context, req api.LDAPTestRequest) (api.LDAPTestResult, error) {
	if f.TestLDAPFunc == nil {
		return api.LDAPTestResult{OK: true}, nil
	}
	return f.TestLDAPFunc(ctx, req)
}
