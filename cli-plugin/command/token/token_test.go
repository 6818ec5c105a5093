package token

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

func run(t *testing.T, cmd *cobra.Command, args ...string) error {
	t.Helper()
	cmd.SetArgs(append([]string{}, args...))
	cmd.SilenceUsage, cmd.SilenceErrors = true, true
	return cmd.Execute()
}

var created = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

func TestCreatePrintsTheSecretOnce(t *testing.T) {
	var got api.TokenCreateRequest
	cli := test.NewFakeCli(&test.FakeManager{FakeIdentity: test.FakeIdentity{
		CreateTokenFunc: func(_ context.Context, req api.TokenCreateRequest) (api.TokenSecret, error) {
			got = req
			return api.TokenSecret{Token: api.Token{ID: "3f9a1c", Name: req.Name, User: "alice", Env: req.Env, ReadOnly: req.ReadOnly,
				CreatedAt: created, ExpiresAt: created.Add(720 * time.Hour)}, Secret: "exos_tok_SECRET"}, nil
		},
	}}, nil)
	assert.NilError(t, run(t, newCreateCommand(cli), "--name", "ci-qa", "--env", "qa", "--expires", "720h", "--read-only"))
	assert.Check(t, is.DeepEqual(got, api.TokenCreateRequest{Name: "ci-qa", ExpiresIn: "720h", Env: "qa", ReadOnly: true}))
	golden.Assert(t, cli.OutBuffer().String(), "token-create.golden")
	assert.Check(t, is.Equal(strings.Count(cli.OutBuffer().String(), "exos_tok_SECRET"), 1))

	cli.OutBuffer().Reset()
	assert.NilError(t, run(t, newCreateCommand(cli), "--name", "dashboard", "--format", "{{.Secret}}"))
	assert.Check(t, is.Equal(cli.OutBuffer().String(), "exos_tok_SECRET\n"))
	cli.OutBuffer().Reset()
	assert.NilError(t, run(t, newCreateCommand(cli), "--name", "ci", "--format", "json"))
	assert.Check(t, is.Contains(cli.OutBuffer().String(), `"id":"3f9a1c","name":"ci"`))
	assert.Check(t, is.Contains(cli.OutBuffer().String(), `"secret":"exos_tok_SECRET"`))
}

func TestCreateFailsBeforeTheTokenExists(t *testing.T) {
	called := false
	cli := test.NewFakeCli(&test.FakeManager{FakeIdentity: test.FakeIdentity{
		CreateTokenFunc: func(context.Context, api.TokenCreateRequest) (api.TokenSecret, error) {
			called = true
			return api.TokenSecret{}, nil
		},
	}}, nil)
	assert.Check(t, is.ErrorContains(run(t, newCreateCommand(cli), "--name", "ci", "--format", "{{.Nope}}"), "template parsing error"))
	assert.Check(t, is.ErrorContains(run(t, newCreateCommand(cli), "--name", "ci", "--expires", "30d"),
		`invalid --expires "30d": give a duration such as 720h or 90m, or 0 for a token that never expires`))
	assert.Check(t, is.ErrorContains(run(t, newCreateCommand(cli)), `required flag(s) "name" not set`))
	assert.Check(t, !called)
	assert.NilError(t, run(t, newCreateCommand(cli), "--name", "forever", "--expires", "0"))
	assert.Check(t, called)
}

func TestList(t *testing.T) {
	tokens := []api.Token{
		{ID: "3f9a1c", Name: "ci", User: "alice", CreatedAt: created, ExpiresAt: created.Add(720 * time.Hour)},
		{ID: "77b0e2", Name: "dashboard", User: "alice", Env: "prod", ReadOnly: true, CreatedAt: created},
		{ID: "a01d5f", Name: "old", User: "bob", CreatedAt: created, ExpiresAt: created.Add(time.Hour), Expired: true},
	}
	var asked []api.TokenListOptions
	cli := test.NewFakeCli(&test.FakeManager{FakeIdentity: test.FakeIdentity{
		ListTokensFunc: func(_ context.Context, opts api.TokenListOptions) ([]api.Token, error) {
			asked = append(asked, opts)
			return tokens, nil
		},
	}}, nil)
	assert.NilError(t, run(t, newListCommand(cli), "--all"))
	golden.Assert(t, cli.OutBuffer().String(), "token-list.golden")
	cli.OutBuffer().Reset()
	assert.NilError(t, run(t, newListCommand(cli), "-q", "--user", "alice"))
	assert.Check(t, is.Equal(cli.OutBuffer().String(), "3f9a1c\n77b0e2\na01d5f\n"))
	assert.Check(t, is.ErrorContains(run(t, newListCommand(cli), "--all", "--user", "bob"), "--all and --user cannot be used together"))
	assert.Check(t, is.DeepEqual(asked, []api.TokenListOptions{{All: true}, {User: "alice"}}))
}

func TestRevoke(t *testing.T) {
	var revoked []string
	cli := test.NewFakeCli(&test.FakeManager{FakeIdentity: test.FakeIdentity{
		RevokeTokenFunc: func(_ context.Context, id string) error {
			revoked = append(revoked, id)
			if id == "nope" {
				return &api.Error{StatusCode: 404, Message: "token nope not found"}
			}
			return nil
		},
	}}, nil)
	assert.Check(t, is.ErrorContains(run(t, newRevokeCommand(cli), "3f9a1c", "nope"),
		"failed to revoke token nope: token nope not found (see `docker exos token ls`)"))
	assert.Check(t, is.DeepEqual(revoked, []string{"3f9a1c", "nope"}))
	assert.Check(t, is.Equal(cli.OutBuffer().String(), "3f9a1c\n"))
}
