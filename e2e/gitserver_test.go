//go:build e2e

package e2e

import (
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/cgi"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/exos-platform/exos/catalog/catalogtest"
	"gotest.tools/v3/assert"
)

// gitServer serves Git repositories over smart HTTP (git http-backend) on the test swarm's
// bridge, where the manager, in a container on node 1, clones them as it would a real
// catalog's.
type gitServer struct {
	root string // one symlink per served repository
	url  string // http://10.201.K.1:PORT
}

// serveGit starts a Git server on the host's address on the bridge of swarm e and stops it
// when the test ends.
func serveGit(t *testing.T, e *exos) *gitServer {
	t.Helper()
	execPath, err := exec.Command("git", "--exec-path").Output()
	assert.NilError(t, err)
	root := t.TempDir()
	handler := &cgi.Handler{
		Path:   filepath.Join(strings.TrimSpace(string(execPath)), "git-http-backend"),
		Env:    []string{"GIT_PROJECT_ROOT=" + root, "GIT_HTTP_EXPORT_ALL=1"},
		Stderr: logWriter{t},
	}
	ln, err := net.Listen("tcp", fmt.Sprintf("10.201.%d.1:0", e.sw.ID))
	assert.NilError(t, err)
	srv := &http.Server{Handler: handler}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	t.Cleanup(func() {
		_ = srv.Close()
		if err := <-done; !errors.Is(err, http.ErrServerClosed) {
			t.Errorf("git server: %v", err)
		}
	})
	return &gitServer{root: root, url: "http://" + ln.Addr().String()}
}

// serve publishes repository r as URL/name.git and returns that URL.
func (g *gitServer) serve(t *testing.T, name string, r *catalogtest.Repo) string {
	t.Helper()
	assert.NilError(t, os.Symlink(r.Dir, filepath.Join(g.root, name+".git")))
	return g.repoURL(name)
}

// repoURL is the URL repository name has, or would have once served.
func (g *gitServer) repoURL(name string) string { return g.url + "/" + name + ".git" }

// catalogRepo makes a repository from a testdata/e2e/catalog directory and commits it.
func catalogRepo(t *testing.T, dir string) (*catalogtest.Repo, string) {
	t.Helper()
	r := catalogtest.NewRepo(t)
	r.CopyDir(t, filepath.Join("../testdata/e2e/catalog", dir))
	return r, r.Commit(t, "add "+dir)
}

// logWriter sends git http-backend's complaints (a repository not found...) to the test log.
type logWriter struct{ t *testing.T }

func (w logWriter) Write(p []byte) (int, error) {
	w.t.Logf("git http-backend: %s", strings.TrimSpace(string(p)))
	return len(p), nil
}
