package catalog

import (
	"context"
	"errors"
	"net/http/cgi"
	"net/http/httptest"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/exos-platform/exos/catalog/catalogtest"
	"gotest.tools/v3/assert"
	is "gotest.tools/v3/assert/cmp"
)

func TestFetchLocal(t *testing.T) {
	r := catalogtest.NewRepo(t)
	r.CopyDir(t, "testdata/catalog")
	commit := r.Commit(t, "catalog")
	for _, url := range []string{r.Dir, "file://" + r.Dir} {
		t.Run(url, func(t *testing.T) {
			snap, err := Fetch(context.Background(), Source{URL: url, Branch: "main"})
			assert.NilError(t, err)
			assert.Check(t, is.Equal(snap.Commit, commit))
			assert.Check(t, is.Equal(summary(Index(snap.FS)), summary(testCatalog(t))))
			assert.Check(t, fstest.TestFS(snap.FS, "templates/mysql/config.yml", "templates/webapp/0/docker-compose.yml.tpl"))
		})
	}
}

func TestFetchRefreshSeesNewCommit(t *testing.T) {
	r := catalogtest.NewRepo(t)
	r.CopyDir(t, "testdata/catalog")
	first := r.Commit(t, "catalog")
	old, err := Fetch(context.Background(), Source{URL: r.Dir})
	assert.NilError(t, err)

	r.Write(t, "templates/redis/config.yml", "name: Redis\n")
	r.Write(t, "templates/redis/0/docker-compose.yml", "services:\n  redis:\n    image: redis:7.2.4\n")
	second := r.Commit(t, "add redis")
	snap, err := Fetch(context.Background(), Source{URL: r.Dir})
	assert.NilError(t, err)
	assert.Check(t, first != second)
	assert.Check(t, is.Equal(snap.Commit, second))
	assert.Check(t, Index(snap.FS).Template("redis") != nil)
	assert.Check(t, Index(old.FS).Template("redis") == nil, "an older snapshot does not change")
}

func TestFetchErrors(t *testing.T) {
	r := catalogtest.NewRepo(t)
	r.CopyDir(t, "testdata/catalog")
	r.Commit(t, "catalog")
	missing := filepath.Join(t.TempDir(), "nothing")
	tests := []struct {
		name string
		src  Source
		is   error
		msg  string
	}{
		{"missing branch", Source{URL: r.Dir, Branch: "nope"}, ErrBranchNotFound,
			"failed to fetch catalog " + r.Dir + `: branch not found: "nope"`},
		{"missing repository", Source{URL: missing}, ErrRepositoryNotFound,
			"failed to fetch catalog " + missing + ": repository not found"},
		{"unsupported scheme", Source{URL: "ssh://git@example.com/x.git"}, nil,
			"failed to fetch catalog ssh://git@example.com/x.git: unsupported URL scheme (use http, https, file or a path)"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Fetch(context.Background(), tc.src)
			assert.Error(t, err, tc.msg)
			if tc.is != nil {
				assert.Check(t, errors.Is(err, tc.is))
			}
		})
	}
}

// TestFetchHTTP clones over smart HTTP from git http-backend, as a Git server would serve
// a catalog; credentials in the URL never show in errors.
func TestFetchHTTP(t *testing.T) {
	r := catalogtest.NewRepo(t)
	r.CopyDir(t, "testdata/catalog")
	r.Commit(t, "catalog")
	r.Write(t, "templates/redis/config.yml", "name: Redis\n")
	r.Write(t, "templates/redis/0/docker-compose.yml", "services:\n  redis:\n    image: redis:7.2.4\n")
	commit := r.Commit(t, "add redis")

	execPath, err := exec.Command("git", "--exec-path").Output()
	assert.NilError(t, err)
	srv := httptest.NewServer(&cgi.Handler{
		Path: filepath.Join(strings.TrimSpace(string(execPath)), "git-http-backend"),
		Env:  []string{"GIT_PROJECT_ROOT=" + filepath.Dir(r.Dir), "GIT_HTTP_EXPORT_ALL=1"},
	})
	defer srv.Close()
	url := srv.URL + "/" + filepath.Base(r.Dir)

	snap, err := Fetch(context.Background(), Source{URL: url, Branch: "main"})
	assert.NilError(t, err)
	assert.Check(t, is.Equal(snap.Commit, commit))
	assert.Check(t, Index(snap.FS).Template("redis") != nil)

	withCreds := strings.Replace(srv.URL, "http://", "http://bob:hunter2@", 1)
	tests := []struct {
		name string
		src  Source
		is   error
	}{
		{"missing branch", Source{URL: url, Branch: "nope", Password: "hunter2"}, ErrBranchNotFound},
		{"missing repository", Source{URL: withCreds + "/nothing"}, ErrRepositoryNotFound},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Fetch(context.Background(), tc.src)
			assert.Check(t, errors.Is(err, tc.is), "%v", err)
			assert.Check(t, !strings.Contains(err.Error(), "hunter2"), "%v", err)
		})
	}
}
