package catalog

import (
	"context"
	"testing"
	"time"

	"github.com/exos-platform/exos/cli-plugin/internal/test"
	"github.com/exos-platform/exos/manager/api"
	"gotest.tools/v3/assert"
	is "gotest.tools/v3/assert/cmp"
	"gotest.tools/v3/golden"
)

const (
	libraryCommit   = "5d41402abc4b2a76b9719d911017c592ae3f1c2b"
	communityCommit = "0a1b2c3d4e5f60718293a4b5c6d7e8f901234567"
	qaCommit        = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4"
)

var twoProblems = []api.Problem{
	{File: "templates/ghost/1/docker-compose.yml", Line: 7, Key: "services.ghost.image", Message: "must be a string"},
	{File: "templates/nats/config.yml", Message: `unknown question type "hostname"`},
}

func fakeCatalogs() []api.Catalog {
	now := time.Now()
	return []api.Catalog{
		{Name: api.CatalogLibrary, URL: "embedded", Commit: libraryCommit, Templates: 9,
			RefreshedAt: now.Add(-3 * time.Hour)},
		{Name: "community", URL: "https://github.com/exos-platform/community-catalog.git", Branch: "master",
			Commit: communityCommit, Templates: 41, RefreshedAt: now.Add(-2 * time.Minute), Problems: twoProblems},
		{Name: "qa-apps", URL: "https://git.example.com/qa/catalog.git", Env: "qa", Commit: qaCommit, Templates: 3,
			RefreshedAt: now.Add(-50 * time.Hour),
			Error:       "failed to fetch https://git.example.com/qa/catalog.git: authentication required\nremote: invalid credentials"},
		{Name: "broken", URL: "https://git.example.com/nope.git", Error: "repository not found"},
	}
}

func TestListFormats(t *testing.T) {
	testCases := []struct {
		name   string
		args   []string
		golden string
	}{
		{name: "table", golden: "catalog-list.golden"},
		{name: "quiet", args: []string{"-q"}, golden: "catalog-list-quiet.golden"},
		{name: "json", args: []string{"--format", "json"}, golden: "catalog-list-json.golden"},
		{name: "template no-trunc", args: []string{"--format", "{{.Name}} {{.Env}} {{.Commit}} {{.Problems}} {{.Error}}", "--no-trunc"},
			golden: "catalog-list-template.golden"},
	}
	for _, tc := range testCases {
		t.Run(tc.name, func(t *testing.T) {
			cli := test.NewFakeCli(&test.FakeManager{
				ListCatalogsFunc: func(context.Context) ([]api.Catalog, error) { return fakeCatalogs(), nil },
			}, nil)
			cmd := newListCommand(cli)
			cmd.SetArgs(append([]string{}, tc.args...))
			assert.NilError(t, cmd.Execute())
			golden.Assert(t, cli.OutBuffer().String(), tc.golden)
		})
	}
}

func TestRefresh(t *testing.T) {
	testCases := []struct {
		name    string
		args    []string
		want    string
		wantErr string
		golden  string
	}{
		{name: "one", args: []string{"community"}, want: "community", golden: "catalog-refresh-one.golden"},
		{name: "all, some fail", want: "", golden: "catalog-refresh-all.golden",
			wantErr: "failed to refresh qa-apps, broken: fix the repository or its URL (docker exos catalog rm, then add), then refresh again"},
	}
	for _, tc := range testCases {
		t.Run(tc.name, func(t *testing.T) {
			got := "unset"
			cli := test.NewFakeCli(&test.FakeManager{
				RefreshCatalogFunc: func(_ context.Context, name string) ([]api.Catalog, error) {
					got = name
					if name == "" {
						return fakeCatalogs(), nil
					}
					return fakeCatalogs()[1:2], nil
				},
			}, nil)
			cmd := newRefreshCommand(cli)
			cmd.SilenceUsage, cmd.SilenceErrors = true, true
			cmd.SetArgs(append([]string{}, tc.args...))
			err := cmd.Execute()
			if tc.wantErr == "" {
				assert.NilError(t, err)
			} else {
				assert.Error(t, err, tc.wantErr)
			}
			assert.Check(t, is.Equal(got, tc.want))
			golden.Assert(t, cli.OutBuffer().String(), tc.golden)
		})
	}
}

func TestRefreshManagerError(t *testing.T) {
	cli := test.NewFakeCli(&test.FakeManager{
		RefreshCatalogFunc: func(context.Context, string) ([]api.Catalog, error) {
			return nil, &api.Error{StatusCode: 404, Message: "no catalog named nope"}
		},
	}, nil)
	cmd := newRefreshCommand(cli)
	cmd.SilenceUsage, cmd.SilenceErrors = true, true
	cmd.SetArgs([]string{"nope"})
	assert.Error(t, cmd.Execute(), "failed to refresh catalog nope: no catalog named nope")
}

func TestRemoveOneFails(t *testing.T) {
	var calls []string
	cli := test.NewFakeCli(&test.FakeManager{
		RemoveCatalogFunc: func(_ context.Context, name string) error {
			calls = append(calls, name)
			if name == "nope" {
				return &api.Error{StatusCode: 404, Message: "no catalog named nope"}
			}
			return nil
		},
	}, nil)
	cmd := newRemoveCommand(cli)
	cmd.SilenceUsage, cmd.SilenceErrors = true, true
	cmd.SetArgs([]string{"community", "nope", "qa-apps"})
	assert.Error(t, cmd.Execute(), "failed to remove catalog nope: no catalog named nope")
	assert.Check(t, is.DeepEqual(calls, []string{"community", "nope", "qa-apps"}))
	golden.Assert(t, cli.OutBuffer().String(), "catalog-remove.golden")
}

// TestNameInvalid checks that refresh and rm refuse a name that cannot be a catalog's
// before the manager is asked.
func TestNameInvalid(t *testing.T) {
	called := false
	fake := &test.FakeManager{
		RefreshCatalogFunc: func(context.Context, string) ([]api.Catalog, error) { called = true; return nil, nil },
		RemoveCatalogFunc:  func(context.Context, string) error { called = true; return nil },
	}
	want := `invalid catalog name "library/mysql": use letters, digits, '-' or '_', without '/', ':' or spaces`
	for _, verb := range []string{"refresh", "rm"} {
		t.Run(verb, func(t *testing.T) {
			cli := test.NewFakeCli(fake, nil)
			cmd := newRefreshCommand(cli)
			if verb == "rm" {
				cmd = newRemoveCommand(cli)
			}
			cmd.SilenceUsage, cmd.SilenceErrors = true, true
			cmd.SetArgs([]string{"library/mysql"})
			assert.Error(t, cmd.Execute(), want)
			assert.Check(t, !called, "the manager was called")
		})
	}
}
