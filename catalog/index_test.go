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
			for _, p := range v.Unsupported {
				fmt.Fprintf(&b, "    unsupported: %s\n", p)
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
	assert.DeepEqual(t, names, []string{"mysql", "rancher-lb", "webapp"})

	mysql := c.Template("mysql")
	assert.Assert(t, mysql != nil)
	assert.Check(t, is.Equal(mysql.Title, "MySQL"))
	assert.Check(t, is.Equal(mysql.Category, "Databases"))
	assert.Check(t, is.Equal(mysql.Maintainer, "EXOS team <exos@example.com>"))
	assert.Check(t, is.Equal(mysql.License, "GPLv2"))
	assert.Check(t, is.Equal(mysql.ProjectURL, "https://www.mysql.com"))
	assert.Check(t, is.Equal(mysql.Icon, "templates/mysql/catalogIcon-mysql.svg"))
	assert.Check(t, is.Equal(mysql.DefaultVersion, "1.1.0"))
	assert.Check(t, is.Len(mysql.Unsupported, 0))

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

func TestIndexRancherOnlyTemplate(t *testing.T) {
	tpl := testCatalog(t).Template("rancher-lb")
	assert.Assert(t, tpl != nil)
	var got []string
	for _, p := range tpl.Unsupported {
		got = append(got, fmt.Sprintf("%s:%d %s", p.File, p.Line, p.Key))
	}
	dc, rc := "templates/rancher-lb/0/docker-compose.yml", "templates/rancher-lb/0/rancher-compose.yml"
	assert.DeepEqual(t, got, []string{
		dc + ":6 services.app.labels.io.rancher.sidekicks",
		dc + ":7 services.app.labels.io.rancher.scheduler.affinity:host_label",
		dc + ":9 services.app.volumes_from",
		dc + ":14 services.lb.image",
		dc + ":16 services.lb.labels.io.rancher.scheduler.global",
		rc + ":7 services.app.retain_ip",
		rc + ":9 services.lb.lb_config",
	})
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
