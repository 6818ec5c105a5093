package catalogs

import (
	"context"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/exos-platform/exos/manager/persist"
	"github.com/exos-platform/exos/manager/state"
	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"
	"gotest.tools/v3/assert"
)

// testRepo is a Git repository on disk, made with go-git (no git binary).
type testRepo struct {
	dir  string
	repo *git.Repository
}

func newTestRepo(tb testing.TB) *testRepo {
	tb.Helper()
	dir := tb.TempDir()
	repo, err := git.PlainInitWithOptions(dir, &git.PlainInitOptions{
		InitOptions: git.InitOptions{DefaultBranch: plumbing.NewBranchReferenceName("main")},
	})
	assert.NilError(tb, err)
	return &testRepo{dir: dir, repo: repo}
}

func (r *testRepo) write(tb testing.TB, name, content string) {
	tb.Helper()
	p := filepath.Join(r.dir, name)
	assert.NilError(tb, os.MkdirAll(filepath.Dir(p), 0o755))
	assert.NilError(tb, os.WriteFile(p, []byte(content), 0o644))
}

// commit commits the whole work tree and returns the commit hash.
func (r *testRepo) commit(tb testing.TB, msg string) string {
	tb.Helper()
	wt, err := r.repo.Worktree()
	assert.NilError(tb, err)
	assert.NilError(tb, wt.AddGlob("."))
	sig := &object.Signature{Name: "test", Email: "test@example.com", When: time.Unix(1700000000, 0)}
	h, err := wt.Commit(msg, &git.CommitOptions{Author: sig})
	assert.NilError(tb, err)
	return h.String()
}

// addTemplate writes version folder n of a template with one question; cattle adds a
// Rancher sidekick, which Swarm cannot run.
func (r *testRepo) addTemplate(tb testing.TB, name, category string, n int, version string, cattle bool) {
	tb.Helper()
	dir := filepath.Join("templates", name)
	r.write(tb, filepath.Join(dir, "config.yml"), "name: "+name+"\ncategory: "+category+"\n")
	compose := "services:\n  app:\n    image: busybox\n"
	if cattle {
		compose += "    labels:\n      io.rancher.sidekicks: helper\n"
	}
	v := filepath.Join(dir, string(rune('0'+n)))
	r.write(tb, filepath.Join(v, "docker-compose.yml"), compose)
	r.write(tb, filepath.Join(v, "README.md"), "# "+name+" "+version+"\n")
	r.write(tb, filepath.Join(v, "exos-compose.yml"), ".catalog:\n  version: "+version+
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
func newTestService(t *testing.T, objects *fakeObjects) *Service {
	t.Helper()
	store := state.New()
	for _, env := range []string{"qa", "prod"} {
		assert.NilError(t, store.UpsertEnvironments(&state.Environment{Name: env}))
	}
	s := New(store, objects, func() time.Time { return testNow }, slog.New(slog.NewTextHandler(io.Discard, nil)))
	assert.NilError(t, s.Load(context.Background()))
	return s
}

func newObjects() *fakeObjects { return &fakeObjects{objs: map[string]persist.Object{}} }
