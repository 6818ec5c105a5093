package login

import (
	"context"
	"testing"
	"time"

	"github.com/exos-platform/exos/cli-plugin/internal/test"
	"github.com/exos-platform/exos/manager/api"
	"gotest.tools/v3/assert"
	"gotest.tools/v3/golden"
)

func TestWhoamiFormats(t *testing.T) {
	session := api.Whoami{Name: "alice", User: "alice", DisplayName: "Alice Liddell", Source: api.SourceLocal,
		Groups: []string{"devs", "ops"}, Roles: []api.EnvRole{{Env: "prod", Role: "member"}, {Env: "qa", Role: "owner"}},
		Credential: api.CredentialSession, ExpiresAt: time.Date(2026, 3, 2, 12, 0, 0, 0, time.UTC)}
	token := api.Whoami{Name: "alice (token ci)", User: "alice", Source: api.SourceDirectory, Groups: []string{},
		Roles: []api.EnvRole{}, Credential: api.CredentialToken, Token: "ci", Env: "qa", ReadOnly: true}
	admin := api.Whoami{Name: "admin", User: "admin", Source: api.SourceLocal, Admin: true, Groups: []string{},
		Roles: []api.EnvRole{}, Credential: api.CredentialInstallToken}
	for _, tc := range []struct {
		name   string
		who    api.Whoami
		args   []string
		golden string
	}{
		{name: "session", who: session, golden: "whoami-session.golden"},
		{name: "token", who: token, golden: "whoami-token.golden"},
		{name: "install token", who: admin, golden: "whoami-admin.golden"},
		{name: "json", who: token, args: []string{"--format", "json"}, golden: "whoami-json.golden"},
		{name: "template", who: session, args: []string{"--format", "{{.User}} admin={{.Admin}} {{range .Roles}}{{.Env}}:{{.Role}} {{end}}"}, golden: "whoami-template.golden"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cli := test.NewFakeCli(&test.FakeManager{FakeIdentity: test.FakeIdentity{
				WhoamiFunc: func(context.Context) (api.Whoami, error) { return tc.who, nil },
			}}, nil)
			cmd := NewWhoamiCommand(cli)
			cmd.SetArgs(append([]string{}, tc.args...))
			assert.NilError(t, cmd.Execute())
			golden.Assert(t, cli.OutBuffer().String(), tc.golden)
		})
	}
}
