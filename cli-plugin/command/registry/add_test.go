package registry

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/exos-platform/exos/cli-plugin/internal/test"
	"github.com/exos-platform/exos/manager/api"
	"gotest.tools/v3/assert"
	is "gotest.tools/v3/assert/cmp"
)

// errCalled is the manager's error in tests that must fail before it is asked.
var errCalled = errors.New("the manager was called")

const caPEM = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"

func TestAddRequest(t *testing.T) {
	caFile := filepath.Join(t.TempDir(), "ca.pem")
	assert.NilError(t, os.WriteFile(caFile, []byte(caPEM), 0o600))
	testCases := []struct {
		name  string
		args  []string
		stdin string
		want  api.RegistryAddRequest
	}{
		{name: "global, anonymous", args: []string{"hub", "registry.example.com"},
			want: api.RegistryAddRequest{Name: "hub", URL: "registry.example.com"}},
		{name: "env, insecure", args: []string{"qa-cache", "10.0.0.7:5000", "--insecure", "--env", "qa"},
			want: api.RegistryAddRequest{Name: "qa-cache", URL: "10.0.0.7:5000", Env: "qa", Insecure: true}},
		{name: "password from stdin, CA file", args: []string{"ci", "https://registry.example.com:5000", "-u", "jenkins", "--password-stdin", "--ca-file", caFile},
			stdin: "s3cret word\n",
			want:  api.RegistryAddRequest{Name: "ci", URL: "https://registry.example.com:5000", Username: "jenkins", Password: "s3cret word", CA: caPEM}},
		{name: "username only, stdin no terminal", args: []string{"ci", "registry.example.com", "--username", "jenkins"},
			stdin: "not read\n",
			want:  api.RegistryAddRequest{Name: "ci", URL: "registry.example.com", Username: "jenkins"}},
	}
	for _, tc := range testCases {
		t.Run(tc.name, func(t *testing.T) {
			var got api.RegistryAddRequest
			cli := test.NewFakeCli(&test.FakeManager{FakeRegistry: test.FakeRegistry{
				AddRegistryFunc: func(_ context.Context, req api.RegistryAddRequest) (api.Registry, error) {
					got = req
					return api.Registry{Name: req.Name, URL: req.URL, HasPassword: req.Password != ""}, nil
				},
			}}, nil)
			cli.SetIn(tc.stdin)
			cmd := newAddCommand(cli)
			cmd.SetArgs(tc.args)
			assert.NilError(t, cmd.Execute())
			assert.Check(t, is.DeepEqual(got, tc.want))
			assert.Check(t, is.Equal(cli.OutBuffer().String(), tc.want.Name+"\n"))
			if tc.want.Password != "" {
				assert.Check(t, !strings.Contains(cli.OutBuffer().String()+cli.ErrBuffer().String(), tc.want.Password), "the password is printed")
			}
		})
	}
}

// TestAddInvalid checks that bad arguments fail before the manager is asked for anything.
func TestAddInvalid(t *testing.T) {
	testCases := []struct {
		name  string
		args  []string
		stdin string
		want  string
	}{
		{name: "slash in name", args: []string{"my/ci", "r.example"},
			want: `invalid registry name "my/ci": use letters, digits, '-' or '_' (see ` + "`docker exos registry ls`)"},
		{name: "empty URL", args: []string{"ci", ""},
			want: `invalid URL "": give the registry's host[:port], such as registry.example.com:5000`},
		{name: "CA and insecure", args: []string{"ci", "r.example", "--insecure", "--ca-file", "ca.pem"},
			want: "--ca-file and --insecure cannot be used together: check the certificate against a CA, or not at all"},
		{name: "password-stdin without username", args: []string{"ci", "r.example", "--password-stdin"}, stdin: "s3cret\n",
			want: "--password-stdin needs --username: the password is sent with a user name"},
		{name: "empty password", args: []string{"ci", "r.example", "-u", "jenkins", "--password-stdin"}, stdin: "\n",
			want: "--password-stdin read an empty password"},
		{name: "no password flag", args: []string{"ci", "r.example", "-u", "jenkins", "--password", "s3cret"},
			want: "unknown flag: --password"},
		{name: "missing CA file", args: []string{"ci", "r.example", "--ca-file", "/nonexistent/ca.pem"},
			want: "failed to read the CA of --ca-file: open /nonexistent/ca.pem: no such file or directory"},
	}
	for _, tc := range testCases {
		t.Run(tc.name, func(t *testing.T) {
			cli := test.NewFakeCli(nil, nil)
			cli.SetManagerErr(errCalled)
			cli.SetIn(tc.stdin)
			cmd := newAddCommand(cli)
			cmd.SilenceUsage, cmd.SilenceErrors = true, true
			cmd.SetArgs(tc.args)
			assert.ErrorContains(t, cmd.Execute(), tc.want)
		})
	}
}

func TestAddManagerError(t *testing.T) {
	cli := test.NewFakeCli(&test.FakeManager{FakeRegistry: test.FakeRegistry{
		AddRegistryFunc: func(context.Context, api.RegistryAddRequest) (api.Registry, error) {
			return api.Registry{}, &api.Error{StatusCode: 409, Message: `registry "ci" already exists (remove it first to change it)`}
		},
	}}, nil)
	cmd := newAddCommand(cli)
	cmd.SilenceUsage, cmd.SilenceErrors = true, true
	cmd.SetArgs([]string{"ci", "r.example"})
	assert.Error(t, cmd.Execute(), `failed to add registry ci: registry "ci" already exists (remove it first to change it)`)
	assert.Check(t, is.Equal(cli.OutBuffer().String(), ""))
}
