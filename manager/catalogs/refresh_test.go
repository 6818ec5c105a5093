package catalogs

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/exos-platform/exos/catalog/catalogtest"
	"github.com/exos-platform/exos/manager/api"
	"gotest.tools/v3/assert"
	is "gotest.tools/v3/assert/cmp"
	"gotest.tools/v3/poll"
)

func TestRefreshPicksUpANewVersion(t *testing.T) {
	repo := catalogtest.NewRepo(t)
	addTemplate(t, repo, "web", "Web", 0, "1.0.0", false)
	repo.Commit(t, "first")
	s := newTestService(t, newObjects())
	_, err := s.Add(context.Background(), api.CatalogAddRequest{Name: "c", URL: repo.Dir}, "alice", "10.0.0.9:41000")
	assert.NilError(t, err)

	addTemplate(t, repo, "web", "Web", 1, "1.1.0", false)
	second := repo.Commit(t, "second")
	cats, err := s.Refresh(context.Background(), "c", "carol")
	assert.NilError(t, err)
	assert.Assert(t, is.Len(cats, 1))
	assert.Check(t, is.Equal(cats[0].Commit, second))
	assert.Check(t, is.Equal(cats[0].RefreshedBy, "carol"))
	assert.Check(t, is.Equal(cats[0].CreatedBy, "alice"), "a refresh is no new author of the catalog")
	tpl, err := s.Template("c", "web")
	assert.NilError(t, err)
	assert.Check(t, is.Equal(tpl.DefaultVersion, "1.1.0"))
	assert.Check(t, is.Len(tpl.Versions, 2))

	_, err = s.Refresh(context.Background(), "nope", "carol")
	assert.Check(t, is.ErrorIs(err, api.ErrNotFound))
}

func TestBrokenRefreshKeepsTheLastGoodState(t *testing.T) {
	repo := catalogtest.NewRepo(t)
	addTemplate(t, repo, "web", "Web", 0, "1.0.0", false)
	first := repo.Commit(t, "first")
	s := newTestService(t, newObjects())
	_, err := s.Add(context.Background(), api.CatalogAddRequest{Name: "c", URL: repo.Dir}, "alice", "10.0.0.9:41000")
	assert.NilError(t, err)

	moved := repo.Dir + ".moved"
	assert.NilError(t, os.Rename(repo.Dir, moved))
	cats, err := s.Refresh(context.Background(), "c", "carol")
	assert.NilError(t, err)
	assert.Check(t, is.Equal(cats[0].Commit, first))
	assert.Check(t, is.Equal(cats[0].Templates, 1))
	assert.Check(t, is.Contains(cats[0].Error, "repository not found"))
	assert.Check(t, is.Equal(cats[0].RefreshedBy, "alice"), "the last good fetch was the add")
	_, err = s.Template("c", "web")
	assert.NilError(t, err, "templates stay readable")

	assert.NilError(t, os.Rename(moved, repo.Dir))
	cats, err = s.Refresh(context.Background(), "", "carol")
	assert.NilError(t, err)
	assert.Check(t, is.DeepEqual(names(cats), []string{"library", "c"}))
	assert.Check(t, is.Equal(cats[1].Error, ""), "a good fetch clears the error")
}

func TestRefreshOfARemovedCatalogIsDropped(t *testing.T) {
	repo := catalogtest.NewRepo(t)
	addTemplate(t, repo, "web", "Web", 0, "1.0.0", false)
	repo.Commit(t, "first")
	s := newTestService(t, newObjects())
	_, err := s.Add(context.Background(), api.CatalogAddRequest{Name: "c", URL: repo.Dir}, "alice", "10.0.0.9:41000")
	assert.NilError(t, err)
	stale := s.fetch(context.Background(), s.entry("c").doc, "carol")
	assert.NilError(t, s.Remove(context.Background(), "c"))

	s.swap(stale)
	assert.Check(t, is.DeepEqual(names(s.List()), []string{"library"}))
}

func TestRunRefreshesAtOnceAndOnEveryTick(t *testing.T) {
	repo := catalogtest.NewRepo(t)
	addTemplate(t, repo, "web", "Web", 0, "1.0.0", false)
	first := repo.Commit(t, "first")
	objects := newObjects()
	_, err := newTestService(t, objects).Add(context.Background(), api.CatalogAddRequest{Name: "c", URL: repo.Dir}, "alice", "10.0.0.9:41000")
	assert.NilError(t, err)
	s := newTestService(t, objects) // restarted: nothing fetched yet

	ctx, cancel := context.WithCancel(context.Background())
	ticks := make(chan time.Time)
	done := make(chan struct{})
	go func() { s.Run(ctx, ticks); close(done) }()
	commitIs := func(want string) func(poll.LogT) poll.Result {
		return func(poll.LogT) poll.Result {
			if got := s.entry("c").commit; got != want {
				return poll.Continue("commit %q", got)
			}
			return poll.Success()
		}
	}
	poll.WaitOn(t, commitIs(first), poll.WithTimeout(5*time.Second))
	repo.Write(t, filepath.Join("templates", "web", "config.yml"), "name: web\ncategory: Other\n")
	second := repo.Commit(t, "second")
	ticks <- time.Now()
	poll.WaitOn(t, commitIs(second), poll.WithTimeout(5*time.Second))
	cancel()
	<-done
}

// TestReadsDuringRefresh is for -race: reads and refreshes share the entries.
func TestReadsDuringRefresh(t *testing.T) {
	repo := catalogtest.NewRepo(t)
	addTemplate(t, repo, "web", "Web", 0, "1.0.0", false)
	repo.Commit(t, "first")
	s := newTestService(t, newObjects())
	_, err := s.Add(context.Background(), api.CatalogAddRequest{Name: "c", URL: repo.Dir}, "alice", "10.0.0.9:41000")
	assert.NilError(t, err)

	done := make(chan struct{})
	go func() {
		defer close(done)
		for range 5 {
			_, _ = s.Refresh(context.Background(), "", "carol")
		}
	}()
	for {
		select {
		case <-done:
			return
		default:
		}
		list, err := s.Templates("", "", "")
		assert.NilError(t, err)
		assert.Check(t, len(list) > 8)
		_ = s.List()
	}
}
