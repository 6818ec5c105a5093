package group

import (
	"context"
	"testing"

	"github.com/exos-platform/exos/cli-plugin/internal/test"
	"github.com/exos-platform/exos/manager/api"
	"github.com/spf13/cobra"
	"gotest.tools/v3/assert"
	is "gotest.tools/v3/assert/cmp"
	"gotest.tools/v3/golden"
)

func run(t *testing.T, cmd *cobra.Command, args ...string) error {
	t.Helper()
	cmd.SetArgs(append([]string{}, args...))
	cmd.SilenceUsage, cmd.SilenceErrors = true, true
	return cmd.Execute()
}

func fakeGroups() []api.Group {
	return []api.Group{
		{Name: "ops", Members: []string{"carol"}, DirectoryGroups: []string{"cn=ops,ou=groups,dc=example,dc=com"},
			Roles: []api.EnvRole{{Env: "prod", Role: "owner"}}},
		{Name: "devs", Description: "Developers", Members: []string{"alice", "bob"}, DirectoryGroups: []string{},
			Roles: []api.EnvRole{{Env: "qa", Role: "member"}}},
	}
}

func TestListFormats(t *testing.T) {
	for _, tc := range []struct {
		name   string
		args   []string
		golden string
	}{
		{name: "table", golden: "group-list.golden"},
		{name: "quiet", args: []string{"-q"}, golden: "group-list-quiet.golden"},
		{name: "json", args: []string{"--format", "json"}, golden: "group-list-json.golden"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cli := test.NewFakeCli(&test.FakeManager{FakeIdentity: test.FakeIdentity{
				ListGroupsFunc: func(context.Context) ([]api.Group, error) { return fakeGroups(), nil },
			}}, nil)
			assert.NilError(t, run(t, newListCommand(cli), tc.args...))
			golden.Assert(t, cli.OutBuffer().String(), tc.golden)
		})
	}
}

func TestCreate(t *testing.T) {
	var got []api.GroupCreateRequest
	cli := test.NewFakeCli(&test.FakeManager{FakeIdentity: test.FakeIdentity{
		CreateGroupFunc: func(_ context.Context, req api.GroupCreateRequest) (api.Group, error) {
			got = append(got, req)
			return api.Group{Name: req.Name}, nil
		},
	}}, nil)
	assert.NilError(t, run(t, newCreateCommand(cli), "ops", "--description", "Operations",
		"--directory-dn", "cn=ops,ou=groups,dc=example,dc=com", "--directory-dn", "cn=sre,ou=groups,dc=example,dc=com"))
	assert.Check(t, is.ErrorContains(run(t, newCreateCommand(cli), "x", "--directory-dn", "ops"),
		`invalid --directory-dn "ops": give the directory group's distinguished name`))
	assert.Check(t, is.DeepEqual(got, []api.GroupCreateRequest{{Name: "ops", Description: "Operations",
		DirectoryGroups: []string{"cn=ops,ou=groups,dc=example,dc=com", "cn=sre,ou=groups,dc=example,dc=com"}}}))
	assert.Check(t, is.Equal(cli.OutBuffer().String(), "ops\n"))
}

func TestMembersAndRemove(t *testing.T) {
	var calls []string
	cli := test.NewFakeCli(&test.FakeManager{FakeIdentity: test.FakeIdentity{
		AddGroupMemberFunc: func(_ context.Context, group, user string) (api.Group, error) {
			calls = append(calls, "add "+group+" "+user)
			if user == "ghost" {
				return api.Group{}, &api.Error{StatusCode: 404, Message: "user ghost not found"}
			}
			return api.Group{Name: group}, nil
		},
		RemoveGroupMemberFunc: func(_ context.Context, group, user string) (api.Group, error) {
			calls = append(calls, "remove "+group+" "+user)
			return api.Group{Name: group}, nil
		},
		RemoveGroupFunc: func(_ context.Context, name string) error {
			calls = append(calls, "rm "+name)
			return &api.Error{StatusCode: 404, Message: "group " + name + " not found"}
		},
	}}, nil)
	assert.Check(t, is.ErrorContains(run(t, newMemberCommand(cli, true), "devs", "alice", "ghost"),
		"failed to add ghost to group devs: user ghost not found (see `docker exos group ls`, and `docker exos user ls` for the users)"))
	assert.NilError(t, run(t, newMemberCommand(cli, false), "devs", "bob"))
	assert.Check(t, is.ErrorContains(run(t, newRemoveCommand(cli), "nope"), "failed to remove group nope: group nope not found (see `docker exos group ls`"))
	assert.Check(t, is.DeepEqual(calls, []string{"add devs alice", "add devs ghost", "remove devs bob", "rm nope"}))
	assert.Check(t, is.Equal(cli.OutBuffer().String(), "alice\nbob\n"))
}
