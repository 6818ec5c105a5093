package catalogs

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/cgi"
	"net/http/httptest"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"gotest.tools/v3/assert"
	is "gotest.tools/v3/assert/cmp"

	"github.com/exos-platform/exos/catalog/catalogtest"
	"github.com/exos-platform/exos/manager/api"
	"github.com/exos-platform/exos/manager/state"
)

var testKey = bytes.Repeat([]byte{7}, 32)

// privateGitServer serves repo over smart HTTP to bob:hunter2 only.
func privateGitServer(t *testing.T, repo *catalogtest.Repo) string {
	t.Helper()
	execPath, err := exec.Command("git", "--exec-path").Output()
	assert.NilError(t, err)
	backend := &cgi.Handler{
		Path: filepath.Join(strings.TrimSpace(string(execPath)), "git-http-backend"),
		Env:  []string{"GIT_PROJECT_ROOT=" + filepath.Dir(repo.Dir), "GIT_HTTP_EXPORT_ALL=1"},
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if user, pass, ok := r.BasicAuth(); !ok || user != "bob" || pass != "hunter2" {
			w.Header().Set("WWW-Authenticate", `Basic realm="git"`)
			http.Error(w, "authentication required", http.StatusUnauthorized)
			return
		}
		backend.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv.URL + "/" + filepath.Base(repo.Dir)
}

func serviceWithKey(t *testing.T, objects *fakeObjects, key []byte) *Service {
	t.Helper()
	s, err := New(state.New(), objects, key, func() time.Time { return testNow }, slog.New(slog.NewTextHandler(io.Discard, nil)))
	assert.NilError(t, err)
	assert.NilError(t, s.Load(context.Background()))
	return s
}

// TestPrivateCatalogCredentialsAreSealed: the stored catalog holds neither the password nor
// the username in clear, a restarted manager with the same key still fetches, and one with
// another key says what happened.
func TestPrivateCatalogCredentialsAreSealed(t *testing.T) {
	repo := catalogtest.NewRepo(t)
	addTemplate(t, repo, "web", "Web", 0, "1.0.0", false)
	commit := repo.Commit(t, "first")
	url := privateGitServer(t, repo)
	objects := newObjects()
	s := serviceWithKey(t, objects, testKey)

	_, err := s.Add(context.Background(), api.CatalogAddRequest{Name: "private", URL: url}, "alice", "10.0.0.9:41000")
	assert.Check(t, is.ErrorContains(err, "cannot fetch"), "the server wants credentials")
	got, err := s.Add(context.Background(), api.CatalogAddRequest{Name: "private", URL: url, Username: "bob", Password: "hunter2"}, "alice", "10.0.0.9:41000")
	assert.NilError(t, err)
	assert.Check(t, is.Equal(got.Commit, commit))
	inURL := strings.Replace(url, "http://", "http://bob:hunter2@", 1)
	got, err = s.Add(context.Background(), api.CatalogAddRequest{Name: "private2", URL: inURL}, "alice", "10.0.0.9:41000")
	assert.NilError(t, err)
	assert.Check(t, is.Equal(got.URL, url), "the URL is stored without its credentials")
	for name, o := range objects.objs {
		assert.Check(t, !strings.Contains(string(o.Data), "hunter2") && !strings.Contains(string(o.Data), "bob"), "%s: %s", name, o.Data)
	}

	restarted := serviceWithKey(t, objects, testKey)
	cats, err := restarted.Refresh(context.Background(), "private", "carol")
	assert.NilError(t, err)
	assert.Check(t, is.Equal(cats[0].Error, ""))
	assert.Check(t, is.Equal(cats[0].Commit, commit))

	otherKey := serviceWithKey(t, objects, bytes.Repeat([]byte{8}, 32))
	cats, err = otherKey.Refresh(context.Background(), "private", "carol")
	assert.NilError(t, err)
	assert.Check(t, is.Contains(cats[0].Error, "cannot decrypt its credentials"))

	noKey := serviceWithKey(t, objects, nil)
	cats, err = noKey.Refresh(context.Background(), "private", "carol")
	assert.NilError(t, err)
	assert.Check(t, is.Contains(cats[0].Error, "no catalog key"))
	_, err = noKey.Add(context.Background(), api.CatalogAddRequest{Name: "private3", URL: url, Username: "bob", Password: "hunter2"}, "alice", "10.0.0.9:41000")
	assert.Check(t, is.ErrorIs(err, api.ErrInvalid))
	assert.Check(t, is.ErrorContains(err, "run `docker exos manager install` again"))
}

func TestSealedCredentialsBelongToTheirCatalog(t *testing.T) {
	s, err := newSealer(testKey)
	assert.NilError(t, err)
	sealed, err := s.seal("a", credentials{Username: "bob", Password: "hunter2"})
	assert.NilError(t, err)
	creds, err := s.open("a", sealed)
	assert.NilError(t, err)
	assert.Check(t, is.Equal(creds.Password, "hunter2"))
	_, err = s.open("b", sealed)
	assert.Check(t, is.ErrorIs(err, errCannotOpen))
	_, err = newSealer([]byte("short"))
	assert.Check(t, is.ErrorContains(err, "32 bytes"))
}
