package env

import (
	"context"
	"testing"

	"github.com/exos-platform/exos/cli-plugin/internal/test"
	"github.com/exos-platform/exos/manager/api"
	"gotest.tools/v3/assert"
	is "gotest.tools/v3/assert/cmp"
	"gotest.tools/v3/golden"
)

func TestMemberAdd(t *testing.T) {
	var calls []string
	cli := test.NewFakeCli(&test.FakeManager{FakeIdentity: test.FakeIdentity{
		AddMemberFunc: func(_ context.Context, env, subject, role string) (api.Member, error) {
			calls = append(calls, env+" "+subject+" "+role)
			if subject == "@ghosts" {
				return api.Member{}, &api.Error{StatusCode: 404, Message: "group ghosts not found"}
			}
			return api.Member{Env: env, Subject: subject, Role: role}, nil
		},
	}}, nil)
	cmd := newMemberAddCommand(cli)
	cmd.SilenceUsage, cmd.SilenceErrors = true, true
	cmd.SetArgs([]string{"prod", "alice", "@ghosts", "@ops", "--role", "owner"})
	assert.Check(t, is.Error(cmd.Execute(),
		"failed to give @ghosts a role in environment prod: group ghosts not found (see `docker exos env ls` and `docker exos group ls`)"))
	assert.Check(t, is.DeepEqual(calls, []string{"prod alice owner", "prod @ghosts owner", "prod @ops owner"}))
	assert.Check(t, is.Equal(cli.OutBuffer().String(), "alice: owner\n@ops: owner\n"))

	cmd = newMemberAddCommand(cli)
	cmd.SilenceUsage, cmd.SilenceErrors = true, true
	cmd.SetArgs([]string{"prod", "alice", "--role", "admin"})
	assert.Check(t, is.Error(cmd.Execute(), `invalid --role "admin": valid roles are read-only, member, owner`))
	assert.Check(t, is.Len(calls, 3))
}

func TestMemberListAndRemove(t *testing.T) {
	var removed []string
	cli := test.NewFakeCli(&test.FakeManager{FakeIdentity: test.FakeIdentity{
		ListMembersFunc: func(_ context.Context, env string) ([]api.Member, error) {
			if env != "prod" {
				return nil, &api.Error{StatusCode: 404, Message: "environment " + env + " not found"}
			}
			return []api.Member{{Env: "prod", Subject: "carol", Role: "owner"}, {Env: "prod", Subject: "@devs", Role: "read-only"},
				{Env: "prod", Subject: "alice", Role: "member"}}, nil
		},
		RemoveMemberFunc: func(_ context.Context, env, subject string) error {
			removed = append(removed, env+" "+subject)
			if subject == "zed" {
				return &api.Error{StatusCode: 404, Message: "zed has no role in prod"}
			}
			return nil
		},
	}}, nil)
	for _, tc := range []struct {
		args   []string
		golden string
	}{
		{args: []string{"prod"}, golden: "env-member-list.golden"},
		{args: []string{"prod", "-q"}, golden: "env-member-list-quiet.golden"},
		{args: []string{"prod", "--format", "json"}, golden: "env-member-list-json.golden"},
	} {
		cli.OutBuffer().Reset()
		cmd := newMemberListCommand(cli)
		cmd.SetArgs(tc.args)
		assert.NilError(t, cmd.Execute())
		golden.Assert(t, cli.OutBuffer().String(), tc.golden)
	}
	cmd := newMemberListCommand(cli)
	cmd.SilenceUsage, cmd.SilenceErrors = true, true
	cmd.SetArgs([]string{"staging"})
	assert.Check(t, is.Error(cmd.Execute(), "failed to list the members of environment staging: environment staging not found (see `docker exos env ls`)"))

	cli.OutBuffer().Reset()
	rm := newMemberRemoveCommand(cli)
	rm.SilenceUsage, rm.SilenceErrors = true, true
	rm.SetArgs([]string{"prod", "zed", "@devs"})
	assert.Check(t, is.ErrorContains(rm.Execute(), "(see `docker exos env ls` and `docker exos user ls`)"))
	assert.Check(t, is.DeepEqual(removed, []string{"prod zed", "prod @devs"}))
	assert.Check(t, is.Equal(cli.OutBuffer().String(), "@devs\n"))
}
