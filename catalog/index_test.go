package catalog

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"gotest.tools/v3/assert"
	is "gotest.tools/v3/assert/cmp"
	"gotest.tools/v3/golden"
)

func testCatalog(t *testing.T) *Catalog {
	t.Helper()
	return Index(os.DirFS("testdata/catalog"))
}

// summary is what `template ls` would show: templates, deployability, problems.
func summary(c *Catalog) string {
	var b strings.Builder
	for _, tpl := range c.Templates {
		fmt.Fprintf(&b, "%s default=%s icon=%q\n", tpl.Name, tpl.DefaultVersion, tpl.Icon)
		for _, v := range tpl.Versions {
			fmt.Fprintf(&b, "  %s (folder %s) upgrade_from=%q questions=%d template=%v\n",
				v.Version, v.Number, v.UpgradeFrom, len(v.Questions), v.Template)
			for _, p := range v.Verdict().Reasons {
				fmt.Fprintf(&b, "    reason: %s\n", p)
			}
			for _, p := range v.Verdict().Warnings {
				fmt.Fprintf(&b, "    warning: %s\n", p)
			}
		}
	}
	for _, p := range c.Problems {
		fmt.Fprintf(&b, "problem: %s\n", p)
	}
	return b.String()
}

func TestIndexTestdataCatalog(t *testing.T) {
	golden.Assert(t, summary(testCatalog(t)), "index-summary.golden")
}

func TestIndexHealthyTemplates(t *testing.T) {
	c := testCatalog(t)
	names := []string{}
	for _, tpl := range c.Templates {
		names = append(names, tpl.Name)
	}
	assert.DeepEqual(t, names, []string{"mysql", "rancher-lb", "rancher-translated", "rancher-v2", "render-fails", "swarm-ghost", "webapp"})

	mysql := c.Template("mysql")
	assert.Assert(t, mysql != nil)
	assert.Check(t, is.Equal(mysql.Title, "MySQL"))
	assert.Check(t, is.Equal(mysql.Category, "Databases"))
	assert.Check(t, is.Equal(mysql.Maintainer, "EXOS team <exos@example.com>"))
	assert.Check(t, is.Equal(mysql.License, "GPLv2"))
	assert.Check(t, is.Equal(mysql.ProjectURL, "https://www.mysql.com"))
	assert.Check(t, is.Equal(mysql.Icon, "templates/mysql/catalogIcon-mysql.svg"))
	assert.Check(t, is.Equal(mysql.DefaultVersion, "1.1.0"))
	assert.Check(t, is.Len(mysql.Reasons, 0))

	v := mysql.Version("1.1.0")
	assert.Assert(t, v != nil)
	assert.Check(t, is.Equal(v.Number, "1"))
	assert.Check(t, is.Equal(v.Description, "MySQL 8"))
	assert.Check(t, is.Equal(v.README, "# MySQL 1.1.0\n"))
	assert.Check(t, is.Equal(v.Compose.Name, "templates/mysql/1/docker-compose.yml"))
	assert.Check(t, is.Equal(v.Exos.Name, "templates/mysql/1/exos-compose.yml"))
	assert.Check(t, v.Deployable())
	assert.Check(t, is.Equal(mysql.Version("0"), mysql.Version("1.0.0")))
	assert.Check(t, is.Equal(mysql.Version(""), v))
	assert.Check(t, mysql.Version("9.9.9") == nil)
	assert.Check(t, c.Template("nope") == nil)

	port := v.Questions[0]
	assert.Check(t, is.Equal(port.Variable, "mysql_port"))
	assert.Check(t, is.Equal(*port.Min, 1))
	assert.Check(t, is.Equal(*port.Max, 65535))
	assert.Check(t, is.Equal(port.Default, "3306"))
}

// TestIndexRancherOnlyTemplate: what Swarm cannot do is a reason, with its file and
// line; what it can (the scheduling labels, the load balancer, retain_ip) is not.
func TestIndexRancherOnlyTemplate(t *testing.T) {
	tpl := testCatalog(t).Template("rancher-lb")
	assert.Assert(t, tpl != nil)
	assert.Check(t, !tpl.Deployable())
	var got []string
	for _, p := range tpl.Reasons {
		assert.Check(t, p.File == "templates/rancher-lb/0/docker-compose.yml" && p.Line > 0, "%s", p)
		got = append(got, p.Key)
	}
	assert.DeepEqual(t, got, []string{"services.app.labels.io.rancher.sidekicks", "services.app.volumes_from"})
}

// TestIndexRancherTranslated: a template whose Rancher features all translate deploys,
// the translations being warnings.
func TestIndexRancherTranslated(t *testing.T) {
	tpl := testCatalog(t).Template("rancher-translated")
	assert.Assert(t, tpl != nil)
	assert.Check(t, tpl.Deployable(), "%v", tpl.Reasons)
	assert.Check(t, len(tpl.Versions[0].Verdict().Warnings) > 0)
}

func TestIndexProblems(t *testing.T) {
	c := testCatalog(t)
	tests := []struct {
		template, version, file string
		line                    int
		key, contains           string
	}{
		{"bad-question", "0", "templates/bad-question/0/exos-compose.yml", 7, ".catalog.questions[1].type",
			`question colour: unknown type "colour"`},
		{"broken-config", "", "templates/broken-config/config.yml", 1, "", "did not find expected"},
		{"broken-yaml", "0", "templates/broken-yaml/0/docker-compose.yml", 1, // yaml.v3 names the mapping
			"", "did not find expected key"},
	}
	assert.Assert(t, is.Len(c.Problems, len(tests)))
	for i, tc := range tests {
		t.Run(tc.template, func(t *testing.T) {
			p := c.Problems[i]
			assert.Check(t, is.Equal(p.Template, tc.template))
			assert.Check(t, is.Equal(p.Version, tc.version))
			assert.Check(t, is.Equal(p.File, tc.file))
			assert.Check(t, is.Equal(p.Line, tc.line))
			assert.Check(t, is.Equal(p.Key, tc.key))
			assert.Check(t, is.Contains(p.Message, tc.contains))
		})
	}
}

func TestIndexNoTemplatesFolder(t *testing.T) {
	c := Index(os.DirFS(t.TempDir()))
	assert.Check(t, is.Len(c.Templates, 0))
	assert.Assert(t, is.Len(c.Problems, 1))
	assert.Check(t, is.Equal(c.Problems[0].Message, "the catalog has no templates folder"))
}
