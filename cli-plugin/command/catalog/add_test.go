package catalog

import (
	"context"
	"strings"
	"testing"

	"github.com/exos-platform/exos/cli-plugin/internal/test"
	"github.com/exos-platform/exos/manager/api"
	"gotest.tools/v3/assert"
	is "gotest.tools/v3/assert/cmp"
	"gotest.tools/v3/golden"
)

const communityURL = "https://github.com/exos-platform/community-catalog.git"

func TestAddRequest(t *testing.T) {
	const privateURL = "https://git.example.com/ops/catalog.git"
	testCases := []struct {
		name  string
		args  []string
		stdin string
		want  api.CatalogAddRequest
	}{
		{name: "global by default", args: []string{"community", communityURL},
			want: api.CatalogAddRequest{Name: "community", URL: communityURL}},
		{name: "explicit global, branch", args: []string{"community", communityURL, "--global", "--branch", "stable"},
			want: api.CatalogAddRequest{Name: "community", URL: communityURL, Branch: "stable"}},
		{name: "env", args: []string{"qa-apps", "https://git.example.com/qa/catalog.git", "--env", "qa"},
			want: api.CatalogAddRequest{Name: "qa-apps", URL: "https://git.example.com/qa/catalog.git", Env: "qa"}},
		{name: "password from stdin, newline trimmed", args: []string{"private", privateURL, "--username", "deploy", "--password-stdin"},
			stdin: "s3cret word\n",
			want:  api.CatalogAddRequest{Name: "private", URL: privateURL, Username: "deploy", Password: "s3cret word"}},
		{name: "password from stdin, CRLF trimmed", args: []string{"private", privateURL, "-u", "deploy", "--password-stdin"},
			stdin: "s3cret\r\n",
			want:  api.CatalogAddRequest{Name: "private", URL: privateURL, Username: "deploy", Password: "s3cret"}},
		{name: "password from stdin without newline", args: []string{"private", privateURL, "-u", "deploy", "--password-stdin"},
			stdin: "glpat-0123 ",
			want:  api.CatalogAddRequest{Name: "private", URL: privateURL, Username: "deploy", Password: "glpat-0123 "}},
		{name: "username only", args: []string{"private", privateURL, "--username", "ghp_token"},
			stdin: "not read\n",
			want:  api.CatalogAddRequest{Name: "private", URL: privateURL, Username: "ghp_token"}},
	}
	for _, tc := range testCases {
		t.Run(tc.name, func(t *testing.T) {
			var got api.CatalogAddRequest
			cli := test.NewFakeCli(&test.FakeManager{
				AddCatalogFunc: func(_ context.Context, req api.CatalogAddRequest) (api.Catalog, error) {
					got = req
					return api.Catalog{Name: req.Name, Templates: 1, Commit: communityCommit}, nil
				},
			}, nil)
			cli.SetIn(tc.stdin)
			cmd := newAddCommand(cli)
			cmd.SetArgs(tc.args)
			assert.NilError(t, cmd.Execute())
			assert.Check(t, is.DeepEqual(got, tc.want))
		})
	}
}

// TestAddWithCredentialsOutput checks that the password is never printed.
func TestAddWithCredentialsOutput(t *testing.T) {
	cli := test.NewFakeCli(&test.FakeManager{
		AddCatalogFunc: func(_ context.Context, req api.CatalogAddRequest) (api.Catalog, error) {
			return api.Catalog{Name: req.Name, URL: req.URL, Templates: 3, Commit: communityCommit}, nil
		},
	}, nil)
	cli.SetIn("s3cret\n")
	cmd := newAddCommand(cli)
	cmd.SetArgs([]string{"private", "https://git.example.com/ops/catalog.git", "--username", "deploy", "--password-stdin"})
	assert.NilError(t, cmd.Execute())
	golden.Assert(t, cli.OutBuffer().String(), "catalog-add-credentials.golden")
	assert.Check(t, !strings.Contains(cli.OutBuffer().String()+cli.ErrBuffer().String(), "s3cret"))
}

func TestAddOutput(t *testing.T) {
	testCases := []struct {
		name    string
		answer  api.Catalog
		wantErr string
		golden  string
	}{
		{name: "clean", answer: api.Catalog{Name: "community", Templates: 41, Commit: communityCommit},
			golden: "catalog-add.golden"},
		{name: "problems", answer: api.Catalog{Name: "community", Templates: 39, Commit: communityCommit, Problems: twoProblems},
			golden: "catalog-add-problems.golden"},
		{name: "fetch failed", answer: api.Catalog{Name: "community", Error: "repository not found"},
			golden: "catalog-add-failed.golden",
			wantErr: "catalog community was added but could not be fetched: repository not found\n" +
				"fix the repository and run `docker exos catalog refresh community`, or remove it with `docker exos catalog rm community`"},
	}
	for _, tc := range testCases {
		t.Run(tc.name, func(t *testing.T) {
			cli := test.NewFakeCli(&test.FakeManager{
				AddCatalogFunc: func(context.Context, api.CatalogAddRequest) (api.Catalog, error) { return tc.answer, nil },
			}, nil)
			cmd := newAddCommand(cli)
			cmd.SilenceUsage, cmd.SilenceErrors = true, true
			cmd.SetArgs([]string{"community", communityURL})
			err := cmd.Execute()
			if tc.wantErr == "" {
				assert.NilError(t, err)
			} else {
				assert.Error(t, err, tc.wantErr)
			}
			golden.Assert(t, cli.OutBuffer().String(), tc.golden)
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
		{name: "env and global", args: []string{"qa-apps", communityURL, "--env", "qa", "--global"},
			want: "--env and --global cannot be used together: a catalog is either global or scoped to one environment"},
		{name: "slash in name", args: []string{"exos/community", communityURL},
			want: `invalid catalog name "exos/community": use letters, digits, '-' or '_', without '/', ':' or spaces`},
		{name: "empty name", args: []string{"", communityURL},
			want: `invalid catalog name "": use letters, digits, '-' or '_', without '/', ':' or spaces`},
		{name: "empty URL", args: []string{"community", " "},
			want: `invalid URL "": give the Git repository's URL, such as https://github.com/org/catalog.git`},
		{name: "password-stdin without username", args: []string{"private", communityURL, "--password-stdin"},
			stdin: "s3cret\n",
			want:  "--password-stdin needs --username: the password is sent with a user name"},
		{name: "empty password", args: []string{"private", communityURL, "-u", "deploy", "--password-stdin"},
			stdin: "\n",
			want:  "--password-stdin read an empty password: pipe the password or access token in, such as cat token-file | docker exos catalog add ..."},
		{name: "no password flag", args: []string{"private", communityURL, "-u", "deploy", "--password", "s3cret"},
			want: "unknown flag: --password"},
	}
	for _, tc := range testCases {
		t.Run(tc.name, func(t *testing.T) {
			called := false
			cli := test.NewFakeCli(&test.FakeManager{
				AddCatalogFunc: func(context.Context, api.CatalogAddRequest) (api.Catalog, error) {
					called = true
					return api.Catalog{}, nil
				},
			}, nil)
			cli.SetIn(tc.stdin)
			cmd := newAddCommand(cli)
			cmd.SilenceUsage, cmd.SilenceErrors = true, true
			cmd.SetArgs(tc.args)
			assert.Error(t, cmd.Execute(), tc.want)
			assert.Check(t, !called, "the manager was called")
		})
	}
}

func TestAddManagerError(t *testing.T) {
	cli := test.NewFakeCli(&test.FakeManager{
		AddCatalogFunc: func(context.Context, api.CatalogAddRequest) (api.Catalog, error) {
			return api.Catalog{}, &api.Error{StatusCode: 409, Message: "a catalog named community already exists"}
		},
	}, nil)
	cmd := newAddCommand(cli)
	cmd.SilenceUsage, cmd.SilenceErrors = true, true
	cmd.SetArgs([]string{"community", communityURL})
	assert.Error(t, cmd.Execute(), "failed to add catalog community: a catalog named community already exists")
	assert.Check(t, is.Equal(cli.OutBuffer().String(), ""))
}
