package auth

import (
	"context"
	"os"
	"path/filepath"
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

const testCA = "-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUJ2E=\n-----END CERTIFICATE-----\n"

func run(t *testing.T, cmd *cobra.Command, args ...string) error {
	t.Helper()
	cmd.SetArgs(append([]string{}, args...))
	cmd.SilenceUsage, cmd.SilenceErrors = true, true
	return cmd.Execute()
}

func TestSet(t *testing.T) {
	caFile := filepath.Join(t.TempDir(), "ca.pem")
	assert.NilError(t, os.WriteFile(caFile, []byte(testCA), 0o600))
	var got []api.LDAPSettingsRequest
	cli := test.NewFakeCli(&test.FakeManager{FakeIdentity: test.FakeIdentity{
		SetLDAPSettingsFunc: func(_ context.Context, req api.LDAPSettingsRequest) (api.LDAPSettings, error) {
			got = append(got, req)
			return req.LDAPSettings, nil
		},
	}}, nil)
	cli.SetIn("b1nd secret\n")
	assert.NilError(t, run(t, newSetCommand(cli), "--url", "ldap://ldap.example.com:389", "--start-tls", "--ca-file", caFile,
		"--bind-dn", "cn=exos,dc=example,dc=com", "--bind-password-stdin", "--user-base", "ou=people,dc=example,dc=com",
		"--group-base", "ou=groups,dc=example,dc=com"))
	assert.NilError(t, run(t, newSetCommand(cli), "--url", "ldaps://ldap.example.com", "--user-base", "ou=people,dc=example,dc=com",
		"--user-filter", "(mail={username})"))
	assert.Check(t, is.DeepEqual(got, []api.LDAPSettingsRequest{
		{LDAPSettings: api.LDAPSettings{URL: "ldap://ldap.example.com:389", StartTLS: true, CA: testCA, BindDN: "cn=exos,dc=example,dc=com",
			UserBase: "ou=people,dc=example,dc=com", UserFilter: "(uid={username})", DisplayNameAttribute: "cn",
			GroupBase: "ou=groups,dc=example,dc=com", GroupFilter: "(member={dn})"}, BindPassword: "b1nd secret"},
		{LDAPSettings: api.LDAPSettings{URL: "ldaps://ldap.example.com", UserBase: "ou=people,dc=example,dc=com",
			UserFilter: "(mail={username})", DisplayNameAttribute: "cn"}},
	}))
	assert.Check(t, !strings.Contains(cli.OutBuffer().String()+cli.ErrBuffer().String(), "b1nd"))
}

func TestSetRefusesBadSettings(t *testing.T) {
	notPEM := filepath.Join(t.TempDir(), "ca.txt")
	assert.NilError(t, os.WriteFile(notPEM, []byte("hello"), 0o600))
	cli := test.NewFakeCli(&test.FakeManager{FakeIdentity: test.FakeIdentity{
		SetLDAPSettingsFunc: func(context.Context, api.LDAPSettingsRequest) (api.LDAPSettings, error) {
			t.Error("nothing is sent when the flags are wrong")
			return api.LDAPSettings{}, nil
		},
	}}, nil)
	base := []string{"--user-base", "ou=people,dc=example,dc=com"}
	for args, want := range map[string]string{
		"--url http://ldap":                                         `invalid --url "http://ldap": give ldap://HOST:PORT or ldaps://HOST:PORT`,
		"--url ldaps://ldap --start-tls":                            "--start-tls is for ldap:// URLs",
		"--url ldap://ldap --user-filter (uid=x)":                   "it must contain {username}",
		"--url ldap://ldap --group-base ou=g --group-filter (cn=x)": "it must contain {dn}",
		"--url ldap://ldap --ca-file " + notPEM:                     "holds no PEM certificate",
		"--url ldap://ldap --bind-password-stdin":                   "--bind-password-stdin needs --bind-dn",
		"--url ldap://ldap --bind-dn cn=x --bind-password-stdin":    "--password-stdin read an empty password",
	} {
		err := run(t, newSetCommand(cli), append(strings.Fields(args), base...)...)
		assert.Check(t, is.ErrorContains(err, want), args)
	}
	assert.Check(t, is.ErrorContains(run(t, newSetCommand(cli), "--url", "ldap://ldap"), `required flag(s) "user-base" not set`))
}

func TestShow(t *testing.T) {
	settings := api.LDAPSettings{URL: "ldaps://ldap.example.com:636", CA: testCA, BindDN: "cn=exos,dc=example,dc=com", BindPasswordSet: true,
		UserBase: "ou=people,dc=example,dc=com", UserFilter: "(uid={username})", DisplayNameAttribute: "cn",
		UpdatedAt: time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)}
	cli := test.NewFakeCli(&test.FakeManager{FakeIdentity: test.FakeIdentity{
		LDAPSettingsFunc: func(context.Context) (api.LDAPSettings, error) { return settings, nil },
	}}, nil)
	assert.NilError(t, run(t, newShowCommand(cli)))
	golden.Assert(t, cli.OutBuffer().String(), "ldap-show.golden")
	cli.OutBuffer().Reset()
	assert.NilError(t, run(t, newShowCommand(cli), "--format", "{{.URL}} {{.BindPasswordSet}}"))
	assert.Check(t, is.Equal(cli.OutBuffer().String(), "ldaps://ldap.example.com:636 true\n"))

	unset := test.NewFakeCli(&test.FakeManager{FakeIdentity: test.FakeIdentity{
		LDAPSettingsFunc: func(context.Context) (api.LDAPSettings, error) {
			return api.LDAPSettings{}, &api.Error{StatusCode: 404, Message: "no directory settings"}
		},
		RemoveLDAPSettingsFunc: func(context.Context) error { return &api.Error{StatusCode: 404, Message: "no directory settings"} },
	}}, nil)
	assert.Check(t, is.Error(run(t, newShowCommand(unset)), "directory login is not set up: set it with `docker exos auth ldap set`"))
	assert.Check(t, is.Error(run(t, newRemoveCommand(unset)), "directory login is not set up: set it with `docker exos auth ldap set`"))
}

func TestTest(t *testing.T) {
	var asked []api.LDAPTestRequest
	result := api.LDAPTestResult{OK: true, Steps: []api.LDAPTestStep{
		{Step: "connect", OK: true, Detail: "ldaps://ldap.example.com:636"},
		{Step: "bind", OK: true, Detail: "cn=exos,dc=example,dc=com"},
		{Step: "search user", OK: true, Detail: "1 entry"},
		{Step: "bind user", OK: true},
		{Step: "groups", OK: true, Detail: "2 directory groups"},
	}, DN: "uid=carol,ou=people,dc=example,dc=com", DisplayName: "Carol", DirectoryGroups: []string{"cn=ops,ou=groups,dc=example,dc=com", "cn=all,ou=groups,dc=example,dc=com"},
		Groups: []string{"ops"}}
	cli := test.NewFakeCli(&test.FakeManager{FakeIdentity: test.FakeIdentity{
		TestLDAPFunc: func(_ context.Context, req api.LDAPTestRequest) (api.LDAPTestResult, error) {
			asked = append(asked, req)
			if req.Password == "wrong" {
				return api.LDAPTestResult{Steps: append(result.Steps[:3:3], api.LDAPTestStep{Step: "bind user", Detail: "invalid credentials"}),
					DirectoryGroups: []string{}, Groups: []string{}}, nil
			}
			return result, nil
		},
	}}, nil)
	cli.SetIn("c4rol\n")
	assert.NilError(t, run(t, newTestCommand(cli), "--username", "carol", "--password-stdin"))
	golden.Assert(t, cli.OutBuffer().String(), "ldap-test.golden")

	cli.SetIn("wrong")
	err := run(t, newTestCommand(cli), "-u", "carol", "--password-stdin")
	assert.Check(t, is.Error(err, `the directory test failed at step "bind user": invalid credentials`))

	assert.NilError(t, run(t, newTestCommand(cli), "-u", "carol"))
	assert.Check(t, is.ErrorContains(run(t, newTestCommand(cli), "--password-stdin"), "--password-stdin needs --username"))
	assert.Check(t, is.DeepEqual(asked, []api.LDAPTestRequest{
		{Username: "carol", Password: "c4rol"}, {Username: "carol", Password: "wrong"}, {Username: "carol"},
	}))
}
