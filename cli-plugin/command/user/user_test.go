package user

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/exos-platform/exos/cli-plugin/internal/test"
	"github.com/exos-platform/exos/manager/api"
	"github.com/spf13/cobra"
	"gotest.tools/v3/assert"
	is "gotest.tools/v3/assert/cmp"
	"gotest.tools/v3/golden"
)

func fakeUsers() []api.User {
	created := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	return []api.User{
		{Name: "carol", Source: api.SourceDirectory, DN: "uid=carol,ou=people,dc=example,dc=com", Groups: []string{"ops"},
			Roles: []api.EnvRole{{Env: "prod", Role: "owner"}}, CreatedAt: created},
		{Name: "admin", Source: api.SourceLocal, Admin: true, Groups: []string{}, Roles: []api.EnvRole{}, CreatedAt: created},
		{Name: "alice", DisplayName: "Alice Liddell", Source: api.SourceLocal, HasPassword: true, Groups: []string{"devs", "ops"},
			Roles: []api.EnvRole{{Env: "prod", Role: "member"}, {Env: "qa", Role: "owner"}}, CreatedAt: created},
		{Name: "bob", Source: api.SourceLocal, HasPassword: true, Disabled: true, Groups: []string{}, Roles: []api.EnvRole{}, CreatedAt: created},
	}
}

func run(t *testing.T, cmd *cobra.Command, args ...string) error {
	t.Helper()
	cmd.SetArgs(append([]string{}, args...))
	cmd.SilenceUsage, cmd.SilenceErrors = true, true
	return cmd.Execute()
}

func notFound(what string) error {
	return &api.Error{StatusCode: 404, Message: what + " not found"}
}

func TestListFormats(t *testing.T) {
	for _, tc := range []struct {
		name   string
		args   []string
		golden string
	}{
		{name: "table", golden: "user-list.golden"},
		{name: "quiet", args: []string{"-q"}, golden: "user-list-quiet.golden"},
		{name: "json", args: []string{"--format", "json"}, golden: "user-list-json.golden"},
		{name: "template", args: []string{"--format", "{{.Name}} ({{.DisplayName}}): {{.Roles}}"}, golden: "user-list-template.golden"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cli := test.NewFakeCli(&test.FakeManager{FakeIdentity: test.FakeIdentity{
				ListUsersFunc: func(context.Context) ([]api.User, error) { return fakeUsers(), nil },
			}}, nil)
			assert.NilError(t, run(t, newListCommand(cli), tc.args...))
			golden.Assert(t, cli.OutBuffer().String(), tc.golden)
		})
	}
}

func TestInspect(t *testing.T) {
	cli := test.NewFakeCli(&test.FakeManager{FakeIdentity: test.FakeIdentity{
		InspectUserFunc: func(_ context.Context, name string) (api.User, error) {
			for _, u := range fakeUsers() {
				if u.Name == name {
					return u, nil
				}
			}
			return api.User{}, notFound("user " + name)
		},
	}}, nil)
	assert.NilError(t, run(t, newInspectCommand(cli), "--format", `{{.Source}} {{join .Groups ","}}`, "alice", "carol"))
	assert.Check(t, is.Equal(cli.OutBuffer().String(), "local devs,ops\ndirectory ops\n"))

	err := run(t, newInspectCommand(cli), "ghost")
	assert.Check(t, is.ErrorContains(err, "failed to inspect user ghost: user ghost not found (see `docker exos user ls`)"))
}

func TestCreate(t *testing.T) {
	for _, tc := range []struct {
		name  string
		args  []string
		stdin string
		want  api.UserCreateRequest
	}{
		{name: "password from stdin", args: []string{"bob", "--password-stdin", "--display-name", "Bob"}, stdin: "b0b pass\n",
			want: api.UserCreateRequest{Name: "bob", DisplayName: "Bob", Password: "b0b pass"}},
		{name: "directory user", args: []string{"carol", "--directory"},
			want: api.UserCreateRequest{Name: "carol", Directory: true}},
		{name: "admin", args: []string{"root2", "--admin", "--password-stdin"}, stdin: "r00t",
			want: api.UserCreateRequest{Name: "root2", Password: "r00t", Admin: true}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var got api.UserCreateRequest
			cli := test.NewFakeCli(&test.FakeManager{FakeIdentity: test.FakeIdentity{
				CreateUserFunc: func(_ context.Context, req api.UserCreateRequest) (api.User, error) {
					got = req
					return api.User{Name: req.Name}, nil
				},
			}}, nil)
			cli.SetIn(tc.stdin)
			assert.NilError(t, run(t, newCreateCommand(cli), tc.args...))
			assert.Check(t, is.DeepEqual(got, tc.want))
			assert.Check(t, is.Equal(cli.OutBuffer().String(), tc.want.Name+"\n"))
			if tc.want.Password != "" {
				assert.Check(t, !strings.Contains(cli.OutBuffer().String()+cli.ErrBuffer().String(), tc.want.Password))
			}
		})
	}
}

func TestCreateErrors(t *testing.T) {
	called := false
	cli := test.NewFakeCli(&test.FakeManager{FakeIdentity: test.FakeIdentity{
		CreateUserFunc: func(_ context.Context, req api.UserCreateRequest) (api.User, error) {
			called = true
			return api.User{}, &api.Error{StatusCode: 409, Message: "user alice exists"}
		},
	}}, nil)
	err := run(t, newCreateCommand(cli), "alice")
	assert.Check(t, is.ErrorContains(err, "standard input is not a terminal; pipe it in with --password-stdin (or give --directory for a directory user)"))
	err = run(t, newCreateCommand(cli), "alice", "--directory", "--password-stdin")
	assert.Check(t, is.ErrorContains(err, "[directory password-stdin] were all set"))
	cli.SetIn("")
	err = run(t, newCreateCommand(cli), "alice", "--password-stdin")
	assert.Check(t, is.ErrorContains(err, "--password-stdin read an empty password"))
	assert.Check(t, !called, "nothing is sent before the password is known")

	cli.SetIn("pw\n")
	err = run(t, newCreateCommand(cli), "alice", "--password-stdin")
	assert.Check(t, is.Error(err, "failed to create user alice: user alice exists"))
}

func TestDisableEnableRemove(t *testing.T) {
	var calls []string
	cli := test.NewFakeCli(&test.FakeManager{FakeIdentity: test.FakeIdentity{
		SetUserDisabledFunc: func(_ context.Context, name string, disabled bool) (api.User, error) {
			calls = append(calls, map[bool]string{true: "disable ", false: "enable "}[disabled]+name)
			if name == "ghost" {
				return api.User{}, notFound("user ghost")
			}
			return api.User{Name: name, Disabled: disabled}, nil
		},
		RemoveUserFunc: func(_ context.Context, name string) error {
			calls = append(calls, "rm "+name)
			if name == "ghost" {
				return notFound("user ghost")
			}
			return nil
		},
	}}, nil)
	assert.Check(t, is.ErrorContains(run(t, newDisableCommand(cli, true), "alice", "ghost", "bob"),
		"failed to disable user ghost: user ghost not found (see `docker exos user ls`)"))
	assert.NilError(t, run(t, newDisableCommand(cli, false), "bob"))
	assert.Check(t, is.ErrorContains(run(t, newRemoveCommand(cli), "ghost", "alice"),
		"failed to remove user ghost: user ghost not found (see `docker exos user ls`)"))
	assert.Check(t, is.DeepEqual(calls, []string{"disable alice", "disable ghost", "disable bob", "enable bob", "rm ghost", "rm alice"}))
	assert.Check(t, is.Equal(cli.OutBuffer().String(), "alice\nbob\nbob\nalice\n"))
}

func TestPasswd(t *testing.T) {
	var set, changed []string
	cli := test.NewFakeCli(&test.FakeManager{FakeIdentity: test.FakeIdentity{
		SetPasswordFunc: func(_ context.Context, name, password string) error {
			set = append(set, name+"="+password)
			return nil
		},
		ChangePasswordFunc: func(_ context.Context, current, password string) error {
			changed = append(changed, current+"->"+password)
			if current != "old" {
				return &api.Error{StatusCode: 403, Message: "the current password is wrong"}
			}
			return nil
		},
	}}, nil)
	cli.SetIn("n3w alice\n")
	assert.NilError(t, run(t, newPasswdCommand(cli), "alice", "--password-stdin"))
	cli.SetIn("old\nn3w\n")
	assert.NilError(t, run(t, newPasswdCommand(cli), "--password-stdin"))
	cli.SetIn("bad\nn3w\n")
	assert.Check(t, is.Error(run(t, newPasswdCommand(cli), "--password-stdin"), "failed to change your password: the current password is wrong"))
	cli.SetIn("n3w\n")
	assert.Check(t, is.ErrorContains(run(t, newPasswdCommand(cli), "--password-stdin"),
		"--password-stdin read 1 lines, want 2: the current password, then the new one"))
	cli.SetIn("old\n\n")
	assert.Check(t, is.ErrorContains(run(t, newPasswdCommand(cli), "--password-stdin"), "empty new password"))
	assert.Check(t, is.ErrorContains(run(t, newPasswdCommand(cli)), "standard input is not a terminal"))

	assert.Check(t, is.DeepEqual(set, []string{"alice=n3w alice"}))
	assert.Check(t, is.DeepEqual(changed, []string{"old->n3w", "bad->n3w"}))
	assert.Check(t, is.Equal(cli.OutBuffer().String(), "Password of alice set\nPassword changed\n"))
}
