package catalog

import (
	"testing"
	"testing/fstest"

	"gotest.tools/v3/assert"
	is "gotest.tools/v3/assert/cmp"
)

// TestIndexReadsWhatRancherReads: config.yml with a key given twice (the last wins), the
// catalog: block of the v2 layout, an empty questions:, and swarm-templates/.
func TestIndexReadsWhatRancherReads(t *testing.T) {
	c := testCatalog(t)
	v2 := c.Template("rancher-v2")
	assert.Assert(t, v2 != nil)
	assert.Check(t, is.Equal(v2.Description, "the last description wins, as in Rancher (yaml.v2)"))
	assert.Check(t, is.Equal(v2.DefaultVersion, "1.0-rancher1"), "config.yml's version names the catalog: block's")
	assert.Check(t, is.Len(v2.Versions[0].Questions, 0))
	assert.Check(t, v2.Versions[0].Rancher)

	ghost := c.Template("swarm-ghost")
	assert.Assert(t, ghost != nil)
	assert.Check(t, is.Equal(ghost.Dir, "swarm-templates/ghost"))
	assert.Check(t, is.Equal(ghost.Versions[0].Compose.Name, "swarm-templates/ghost/0/docker-compose.yml"))
	assert.Check(t, ghost.Deployable(), "%v", ghost.Reasons)
	assert.Check(t, !c.Template("webapp").Versions[0].Rancher, "an exos-compose.yml is EXOS's")
}

// TestIndexRenderFailureIsNeverDeployable: a .tpl that does not render with its default
// answers is refused, with the file and line (until wants an int; Rancher's answers are
// strings: atoi .Values.count | until would do).
func TestIndexRenderFailureIsNeverDeployable(t *testing.T) {
	tpl := testCatalog(t).Template("render-fails")
	assert.Assert(t, tpl != nil)
	assert.Check(t, !tpl.Deployable())
	assert.Assert(t, is.Len(tpl.Reasons, 1))
	p := tpl.Reasons[0]
	assert.Check(t, is.Equal(p.File, "templates/render-fails/0/docker-compose.yml.tpl"))
	assert.Check(t, is.Equal(p.Line, 4))
	assert.Check(t, is.Contains(p.Message, "wrong type for value; expected int; got string"))
}

func TestIndexNameCollision(t *testing.T) {
	compose := &fstest.MapFile{Data: []byte("services:\n  web:\n    image: nginx:1.25.4\n")}
	c := Index(fstest.MapFS{
		"templates/swarm-web/config.yml":           {Data: []byte("name: a\n")},
		"templates/swarm-web/0/docker-compose.yml": compose,
		"swarm-templates/web/config.yml":           {Data: []byte("name: b\n")},
		"swarm-templates/web/0/docker-compose.yml": compose,
	})
	assert.Assert(t, is.Len(c.Templates, 1))
	assert.Check(t, is.Equal(c.Templates[0].Dir, "templates/swarm-web"))
	assert.Assert(t, is.Len(c.Problems, 1))
	assert.Check(t, is.Equal(c.Problems[0].String(),
		"swarm-web: swarm-templates/web: another template is called swarm-web (templates/swarm-web): rename one of the folders"))
}

func TestIndexOnlySwarmTemplates(t *testing.T) {
	c := Index(fstest.MapFS{
		"swarm-templates/web/config.yml":           {Data: []byte("name: b\n")},
		"swarm-templates/web/0/docker-compose.yml": {Data: []byte("services:\n  web:\n    image: nginx:1.25.4\n")},
	})
	assert.Check(t, is.Len(c.Problems, 0))
	assert.Check(t, c.Template("swarm-web") != nil)
}

func TestVerdictStack(t *testing.T) {
	for in, want := range map[string]string{"MongoDB": "mongodb", "swarm-ghost": "swarm-ghost", "_x.y": "xy",
		"powerdns-external-dns": "powerdns-external-dn", "!!": "app"} {
		assert.Check(t, is.Equal(VerdictStack(in), want), in)
	}
}
