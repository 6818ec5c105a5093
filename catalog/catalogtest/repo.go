// Package catalogtest makes Git repositories for tests of catalogs, with go-git (no git
// binary needed).
package catalogtest

import (
	"io/fs"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"
	"gotest.tools/v3/assert"
)

// Repo is a Git repository on disk whose default branch is main.
type Repo struct {
	Dir  string
	repo *git.Repository
}

// NewRepo initialises an empty repository in a temporary directory.
func NewRepo(tb testing.TB) *Repo {
	tb.Helper()
	dir := tb.TempDir()
	repo, err := git.PlainInitWithOptions(dir, &git.PlainInitOptions{
		InitOptions: git.InitOptions{DefaultBranch: plumbing.NewBranchReferenceName("main")},
	})
	assert.NilError(tb, err)
	return &Repo{Dir: dir, repo: repo}
}

// CopyDir copies a directory (of testdata) into the work tree.
func (r *Repo) CopyDir(tb testing.TB, src string) {
	tb.Helper()
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		r.Write(tb, rel, string(data))
		return nil
	})
	assert.NilError(tb, err)
}

// Write writes a file of the work tree, creating its directories.
func (r *Repo) Write(tb testing.TB, name, content string) {
	tb.Helper()
	p := filepath.Join(r.Dir, name)
	assert.NilError(tb, os.MkdirAll(filepath.Dir(p), 0o755))
	assert.NilError(tb, os.WriteFile(p, []byte(content), 0o644))
}

// Commit commits the whole work tree and returns the commit hash.
func (r *Repo) Commit(tb testing.TB, msg string) string {
	tb.Helper()
	wt, err := r.repo.Worktree()
	assert.NilError(tb, err)
	assert.NilError(tb, wt.AddGlob("."))
	sig := &object.Signature{Name: "test", Email: "test@example.com", When: time.Unix(1700000000, 0)}
	h, err := wt.Commit(msg, &git.CommitOptions{Author: sig})
	assert.NilError(tb, err)
	return h.String()
}
