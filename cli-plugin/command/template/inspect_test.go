package template

import (
	"context"
	"testing"

	"github.com/exos-platform/exos/cli-plugin/internal/test"
	"github.com/exos-platform/exos/manager/api"
	"gotest.tools/v3/assert"
	is "gotest.tools/v3/assert/cmp"
	"gotest.tools/v3/golden"
)

func TestInspectFormats(t *testing.T) {
	testCases := []struct {
		name   string
		args   []string
		golden string
	}{
		{name: "default version", args: []string{"library/mysql"}, golden: "template-inspect.golden"},
		{name: "by version", args: []string{"library/mysql:5.7"}, golden: "template-inspect-5.7.golden"},
		{name: "by number", args: []string{"library/mysql:0"}, golden: "template-inspect-5.7.golden"},
		{name: "json", args: []string{"--format", "json", "library/mysql"}, golden: "template-inspect-json.golden"},
		{name: "template", args: []string{"-f", `{{.DefaultVersion}} {{range .Versions}}{{.Number}}={{.Version}} {{end}}`, "library/mysql"},
			golden: "template-inspect-template.golden"},
	}
	for _, tc := range testCases {
		t.Run(tc.name, func(t *testing.T) {
			var got string
			cli := test.NewFakeCli(&test.FakeManager{
				InspectTemplateFunc: func(_ context.Context, ref string) (api.Template, error) {
					got = ref
					return fakeMySQL(), nil
				},
			}, nil)
			cmd := newInspectCommand(cli)
			cmd.SetArgs(tc.args)
			assert.NilError(t, cmd.Execute())
			assert.Check(t, is.Equal(got, "library/mysql"))
			golden.Assert(t, cli.OutBuffer().String(), tc.golden)
		})
	}
}

func TestInspectMinimal(t *testing.T) {
	cli := test.NewFakeCli(&test.FakeManager{
		InspectTemplateFunc: func(context.Context, string) (api.Template, error) {
			return api.Template{Catalog: "community", Name: "whoami", DefaultVersion: "1",
				Versions: []api.TemplateVersion{{Number: 0, Version: "1", Questions: []api.Question{}}}}, nil
		},
	}, nil)
	cmd := newInspectCommand(cli)
	cmd.SetArgs([]string{"community/whoami"})
	assert.NilError(t, cmd.Execute())
	golden.Assert(t, cli.OutBuffer().String(), "template-inspect-minimal.golden")
}

func TestInspectUnknownVersion(t *testing.T) {
	cli := test.NewFakeCli(&test.FakeManager{
		InspectTemplateFunc: func(context.Context, string) (api.Template, error) { return fakeMySQL(), nil },
	}, nil)
	cmd := newInspectCommand(cli)
	cmd.SilenceUsage, cmd.SilenceErrors = true, true
	cmd.SetArgs([]string{"library/mysql:9.1"})
	assert.Error(t, cmd.Execute(), `template library/mysql has no version "9.1": its versions are 5.7 (or 0), 8.0 (or 1)`)
	assert.Check(t, is.Equal(cli.OutBuffer().String(), ""))
}

func TestInspectManagerError(t *testing.T) {
	cli := test.NewFakeCli(&test.FakeManager{
		InspectTemplateFunc: func(context.Context, string) (api.Template, error) {
			return api.Template{}, &api.Error{StatusCode: 404, Message: `catalog "library" has no template "mysq"`}
		},
	}, nil)
	cmd := newInspectCommand(cli)
	cmd.SilenceUsage, cmd.SilenceErrors = true, true
	cmd.SetArgs([]string{"library/mysq"})
	assert.Error(t, cmd.Execute(), `failed to inspect template library/mysq: catalog "library" has no template "mysq"`)
}

// TestInspectInvalid checks that a malformed reference or --format fails before the
// manager is asked for anything.
func TestInspectInvalid(t *testing.T) {
	const hint = ": use CATALOG/NAME or CATALOG/NAME:VERSION, such as library/redis or library/redis:7.4.1-exos1 (see `docker exos template ls`)"
	testCases := []struct {
		name string
		args []string
		want string
	}{
		{name: "no catalog", args: []string{"mysql"}, want: `invalid template "mysql"` + hint},
		{name: "empty catalog", args: []string{"/mysql"}, want: `invalid template "/mysql"` + hint},
		{name: "empty name", args: []string{"library/"}, want: `invalid template "library/"` + hint},
		{name: "two slashes", args: []string{"library/mysql/8.0"}, want: `invalid template "library/mysql/8.0"` + hint},
		{name: "empty version", args: []string{"library/mysql:"}, want: `invalid template "library/mysql:"` + hint},
		{name: "two colons", args: []string{"library/mysql:8:0"}, want: `invalid template "library/mysql:8:0"` + hint},
		{name: "version on catalog", args: []string{"library:1/mysql"}, want: `invalid template "library:1/mysql"` + hint},
		{name: "bad template", args: []string{"--format", "{{.Title", "library/mysql"},
			want: "template parsing error: template: :1: unclosed action"},
	}
	for _, tc := range testCases {
		t.Run(tc.name, func(t *testing.T) {
			called := false
			cli := test.NewFakeCli(&test.FakeManager{
				InspectTemplateFunc: func(context.Context, string) (api.Template, error) {
					called = true
					return api.Template{}, nil
				},
			}, nil)
			cmd := newInspectCommand(cli)
			cmd.SilenceUsage, cmd.SilenceErrors = true, true
			cmd.SetArgs(tc.args)
			assert.Error(t, cmd.Execute(), tc.want)
			assert.Check(t, !called, "the manager was called")
		})
	}
}
