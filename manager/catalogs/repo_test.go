package catalogs

import (
	"context"
	"io"
	"log/slog"
	"path/filepath"
	"testing"
	"time"

	"github.com/exos-platform/exos/catalog/catalogtest"
	"github.com/exos-platform/exos/manager/persist"
	"github.com/exos-platform/exos/manager/state"
	"gotest.tools/v3/assert"
)

// addTemplate writes version folder n of a template with one question; cattle adds a
// Rancher sidekick, which Swarm cannot run.
func addTemplate(tb testing.TB, r *catalogtest.Repo, name, category string, n int, version string, cattle bool) {
	tb.Helper()
	dir := filepath.Join("templates", name)
	r.Write(tb, filepath.Join(dir, "config.yml"), "name: "+name+"\ncategory: "+category+"\n")
	compose := "services:\n  app:\n    image: busybox\n"
	if cattle {
		compose += "    labels:\n      io.rancher.sidekicks: helper\n"
	}
	v := filepath.Join(dir, string(rune('0'+n)))
	r.Write(tb, filepath.Join(v, "docker-compose.yml"), compose)
	r.Write(tb, filepath.Join(v, "README.md"), "# "+name+" "+version+"\n")
	r.Write(tb, filepath.Join(v, "exos-compose.yml"), ".catalog:\n  version: "+version+
		"\n  questions:\n    - variable: port\n      type: int\n      default: 80\n")
}

type fakeObjects struct{ objs map[string]persist.Object }

func (f *fakeObjects) Put(_ context.Context, kind, name string, data []byte, _ map[string]string) error {
	f.objs[name] = persist.Object{Kind: kind, Name: name, Data: data}
	return nil
}

func (f *fakeObjects) Delete(_ context.Context, _, name string) error {
	delete(f.objs, name)
	return nil
}

func (f *fakeObjects) List(context.Context, string) ([]persist.Object, error) {
	var out []persist.Object
	for _, o := range f.objs {
		out = append(out, o)
	}
	return out, nil
}

var testNow = time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)

// newTestService returns a loaded service over objects, with environments qa and prod.
func newTestService(t testing.TB, objects *fakeObjects) *Service {
	t.Helper()
	store := state.New()
	for _, env := range []string{"qa", "prod"} {
		assert.NilError(t, store.UpsertEnvironments(&state.Environment{Name: env}))
	}
	s, err := New(store, objects, testKey, func() time.Time { return testNow }, slog.New(slog.NewTextHandler(io.Discard, nil)))
	assert.NilError(t, err)
	assert.NilError(t, s.Load(context.Background()))
	return s
}

func newObjects() *fakeObjects { return &fakeObjects{objs: map[string]persist.Object{}} }
