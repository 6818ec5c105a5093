package catalog

import (
	"context"
	"fmt"
	"testing"

	"github.com/exos-platform/exos/catalog/catalogtest"
	"gotest.tools/v3/assert"
)

// BenchmarkIndex200 measures a catalog of 200 templates (two versions each) in a local Git
// repository: fetching and indexing it ("index < 2 s"), and listing it as `template ls`
// does ("list p99 < 5 ms"), and finding the upgrades of 200 deployed stacks.
func BenchmarkIndex200(b *testing.B) {
	r := catalogtest.NewRepo(b)
	for i := range 200 {
		name := fmt.Sprintf("app%03d", i)
		r.Write(b, "templates/"+name+"/config.yml", "name: "+name+"\nversion: 1.1.0\ncategory: Bench\n")
		for n, version := range []string{"1.0.0", "1.1.0"} {
			dir := fmt.Sprintf("templates/%s/%d/", name, n)
			r.Write(b, dir+"docker-compose.yml", "services:\n  web:\n    image: nginx:1.25.4\n    environment:\n      PORT: ${port}\n")
			r.Write(b, dir+"exos-compose.yml", ".catalog:\n  version: "+version+"\n  upgrade_from: \">=1.0.0 <1.1.0\"\n"+
				"  questions:\n    - variable: port\n      type: int\n      default: 80\n")
		}
	}
	r.Commit(b, "200 templates")
	ctx := context.Background()

	b.Run("FetchIndex", func(b *testing.B) {
		for b.Loop() {
			snap, err := Fetch(ctx, Source{URL: r.Dir})
			assert.NilError(b, err)
			c := Index(snap.FS)
			assert.Assert(b, len(c.Templates) == 200 && len(c.Problems) == 0)
		}
	})

	snap, err := Fetch(ctx, Source{URL: r.Dir})
	assert.NilError(b, err)
	c := Index(snap.FS)
	b.Run("List", func(b *testing.B) {
		for b.Loop() {
			rows := make([]string, 0, len(c.Templates))
			for _, tpl := range c.Templates {
				rows = append(rows, fmt.Sprintf("%s\t%s\t%s\t%v", tpl.Name, tpl.DefaultVersion, tpl.Category, len(tpl.Unsupported) == 0))
			}
			assert.Assert(b, len(rows) == 200)
		}
	})
	b.Run("Upgrades", func(b *testing.B) {
		for b.Loop() {
			for _, tpl := range c.Templates {
				assert.Assert(b, len(tpl.Upgrades("1.0.0")) == 1)
			}
		}
	})
}
