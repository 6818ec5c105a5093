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

func intp(v int) *int { return &v }

func boolp(v bool) *bool { return &v }

// fakeMySQL is a full template, as inspect returns it.
func fakeMySQL() api.Template {
	return api.Template{
		Catalog: "library", Name: "mysql", Title: "MySQL",
		Description: "The world's most popular open source database.",
		Category:    "Databases", Maintainer: "EXOS <team@exos.example>", License: "GPL-2.0",
		ProjectURL: "https://www.mysql.com", DefaultVersion: "8.0", Deployable: true,
		Versions: []api.TemplateVersion{
			{Number: 0, Version: "5.7", Deployable: boolp(false), Questions: []api.Question{
				{Variable: "MYSQL_ROOT_PASSWORD", Type: "password", Required: true, MinLength: intp(8)},
			}, Reasons: []api.Problem{
				{File: "templates/mysql/0/rancher-compose.yml", Line: 4, Key: "services.mysql.retain_ip", Message: "retain_ip is Cattle-only: Swarm gives tasks new addresses"},
			}},
			{Number: 1, Version: "8.0", Deployable: boolp(true), Warnings: []api.Problem{
				{File: "templates/mysql/1/docker-compose.yml", Line: 9, Key: "services.mysql.labels.io.rancher.container.pull_image", Message: "Rancher's pull policy: dropped, Swarm pulls the image when a task starts"},
			}, Name: "MySQL 8.0", Description: "InnoDB cluster ready.", UpgradeFrom: ">=5.7",
				Questions: []api.Question{
					{Variable: "MYSQL_ROOT_PASSWORD", Label: "Root password", Type: "password", Required: true, MinLength: intp(12)},
					{Variable: "MYSQL_DATABASE", Type: "string", Default: "app", MaxLength: intp(64), ValidChars: "a-z0-9_"},
					{Variable: "PORT", Type: "int", Default: "3306", Min: intp(1), Max: intp(65535)},
					{Variable: "BINLOG_FORMAT", Type: "enum", Default: "ROW", Options: []string{"ROW", "STATEMENT", "MIXED"}},
					{Variable: "EXTRA_CNF", Type: "multiline", Default: "[mysqld]\nmax_connections=500\n"},
					{Variable: "READ_ONLY", Type: "boolean", Default: "false", InvalidChars: " "},
				},
				README: "# MySQL\n\nSet a strong root password; data lives in the volume `mysql_data`.\n"},
		},
	}
}

// ghostReasons are longer than a table's cell: only the table cuts them.
var ghostReasons = []api.Problem{
	{File: "templates/ghost/3/docker-compose.yml", Line: 7, Key: "services.ghost.volumes_from",
		Message: "Rancher volumes_from: Swarm services cannot mount another container's volumes; share a named volume instead"},
	{File: "templates/ghost/3/docker-compose.yml", Line: 12, Key: "services.ghost.labels.io.rancher.sidekicks",
		Message: "Rancher sidekicks: Swarm cannot schedule containers together; make the sidekick a service of its own"},
}

func fakeTemplates() []api.Template {
	mysql := fakeMySQL()
	for i := range mysql.Versions {
		mysql.Versions[i].Questions, mysql.Versions[i].README, mysql.Versions[i].Warnings = nil, "", nil
		if mysql.Versions[i].Version != mysql.DefaultVersion { // lists judge only the default version
			mysql.Versions[i].Deployable, mysql.Versions[i].Reasons = nil, nil
		}
	}
	return []api.Template{
		{Catalog: "community", Name: "ghost", Title: "Ghost", Category: "Blogging", DefaultVersion: "5.2.0",
			Description: "Ghost is a powerful app for new-media creators to publish, share, and grow a business around their content.",
			Deployable:  false, Reasons: ghostReasons,
			Versions: []api.TemplateVersion{{Number: 3, Version: "5.2.0", Deployable: boolp(false), Reasons: ghostReasons}}},
		mysql,
		{Catalog: "library", Name: "redis", Title: "Redis", Category: "Databases", DefaultVersion: "7.2",
			Description: "In-memory data store.\nUsed as a cache.", Deployable: true,
			Versions: []api.TemplateVersion{{Number: 0, Version: "7.2", Deployable: boolp(true)}}},
	}
}

func TestListFormats(t *testing.T) {
	testCases := []struct {
		name   string
		args   []string
		golden string
	}{
		{name: "table", golden: "template-list.golden"},
		{name: "quiet", args: []string{"-q"}, golden: "template-list-quiet.golden"},
		{name: "json", args: []string{"--format", "json"}, golden: "template-list-json.golden"},
		{name: "table no-trunc", args: []string{"--no-trunc"}, golden: "template-list-notrunc.golden"},
		{name: "template no-trunc", args: []string{"--format", "{{.Name}}|{{.Title}}|{{.Deployable}}", "--no-trunc"},
			golden: "template-list-template.golden"},
	}
	for _, tc := range testCases {
		t.Run(tc.name, func(t *testing.T) {
			cli := test.NewFakeCli(&test.FakeManager{
				ListTemplatesFunc: func(context.Context, string, string, string) ([]api.Template, error) {
					return fakeTemplates(), nil
				},
			}, nil)
			cmd := newListCommand(cli)
			cmd.SetArgs(append([]string{}, tc.args...))
			assert.NilError(t, cmd.Execute())
			golden.Assert(t, cli.OutBuffer().String(), tc.golden)
		})
	}
}

func TestListFilters(t *testing.T) {
	var got []string
	cli := test.NewFakeCli(&test.FakeManager{
		ListTemplatesFunc: func(_ context.Context, catalog, category, env string) ([]api.Template, error) {
			got = []string{catalog, category, env}
			return []api.Template{}, nil
		},
	}, nil)
	cmd := newListCommand(cli)
	cmd.SetArgs([]string{"--catalog", "library", "--category", "Databases", "--env", "qa"})
	assert.NilError(t, cmd.Execute())
	assert.Check(t, is.DeepEqual(got, []string{"library", "Databases", "qa"}))
	assert.Check(t, is.Equal(cli.OutBuffer().String(), "NAME      VERSION   CATEGORY   DEPLOYABLE   REASONS   DESCRIPTION\n"))
}

func TestListInvalidCatalog(t *testing.T) {
	called := false
	cli := test.NewFakeCli(&test.FakeManager{
		ListTemplatesFunc: func(context.Context, string, string, string) ([]api.Template, error) {
			called = true
			return nil, nil
		},
	}, nil)
	cmd := newListCommand(cli)
	cmd.SilenceUsage, cmd.SilenceErrors = true, true
	cmd.SetArgs([]string{"--catalog", "library/mysql"})
	assert.Error(t, cmd.Execute(), `invalid --catalog "library/mysql": give a catalog's name, such as library; inspect one template with docker exos template inspect CATALOG/NAME`)
	assert.Check(t, !called, "the manager was called")
}

func TestListManagerError(t *testing.T) {
	cli := test.NewFakeCli(&test.FakeManager{
		ListTemplatesFunc: func(context.Context, string, string, string) ([]api.Template, error) {
			return nil, &api.Error{StatusCode: 404, Message: `environment "qa" does not exist (see ` + "`docker exos env ls`)"}
		},
	}, nil)
	cmd := newListCommand(cli)
	cmd.SilenceUsage, cmd.SilenceErrors = true, true
	cmd.SetArgs([]string{"--env", "qa"})
	assert.Error(t, cmd.Execute(), "failed to list templates: environment \"qa\" does not exist (see `docker exos env ls`)")
}
