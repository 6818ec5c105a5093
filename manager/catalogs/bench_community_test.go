package catalogs

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"gotest.tools/v3/assert"

	"github.com/exos-platform/exos/catalog/catalogtest"
	"github.com/exos-platform/exos/manager/api"
)

// communityCatalog is the Rancher community catalog snapshot (templates/ and
// swarm-templates/), EXOS_RANCHER_CATALOG or the shared corpus beside the repository.
func communityCatalog(b *testing.B) string {
	dir := os.Getenv("EXOS_RANCHER_CATALOG")
	if dir == "" {
		dir = filepath.Join("..", "..", "..", "shared", "corpus", "rancher-community-catalog")
	}
	if _, err := os.Stat(filepath.Join(dir, "templates")); err != nil {
		b.Skipf("no Rancher community catalog at %s (set EXOS_RANCHER_CATALOG): %v", dir, err)
	}
	return dir
}

// BenchmarkCatalogCommunity is `make bench`'s import of the Rancher community catalog:
// the snapshot copied into a Git repository and committed, then added through the
// service as `catalog add` does (fetch, index, every version rendered, loaded and
// converted with its default answers); then every template listed as the API does (p99).
func BenchmarkCatalogCommunity(b *testing.B) {
	r := catalogtest.NewRepo(b)
	r.CopyDir(b, communityCatalog(b))
	r.Commit(b, "Rancher community catalog")
	ctx := context.Background()
	var add time.Duration
	var s *Service
	var templates int
	for b.Loop() {
		s = newTestService(b, newObjects())
		start := time.Now()
		c, err := s.Add(ctx, api.CatalogAddRequest{Name: "community", URL: r.Dir}, "alice", "10.0.0.9:41000")
		add += time.Since(start)
		assert.NilError(b, err)
		templates = c.Templates
	}
	b.ReportMetric(add.Seconds()/float64(b.N), "add-s")
	b.ReportMetric(float64(templates), "templates")
	b.ReportMetric(listP99(b, s, templates+8).Seconds()*1000, "list-p99-ms") // and the Library's 8
}
