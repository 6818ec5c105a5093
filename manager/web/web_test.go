package web

import (
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"gotest.tools/v3/assert"
	is "gotest.tools/v3/assert/cmp"
)

// MaxGzipped is the target for the whole page, as served gzipped (the 200 KiB).
const MaxGzipped = 200 << 10

func request(t *testing.T, method, path string, header map[string]string) *http.Response {
	t.Helper()
	req := httptest.NewRequest(method, path, nil)
	for k, v := range header {
		req.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	Handler().ServeHTTP(rec, req)
	return rec.Result()
}

func TestServesThePageAndItsAssets(t *testing.T) {
	for path, ctype := range map[string]string{"/": "text/html", "/index.html": "text/html", "/app.js": "javascript", "/app.css": "text/css"} {
		resp := request(t, http.MethodGet, path, nil)
		assert.Check(t, is.Equal(resp.StatusCode, http.StatusOK), path)
		assert.Check(t, is.Contains(resp.Header.Get("Content-Type"), ctype), path)
		assert.Check(t, is.Contains(resp.Header.Get("Content-Security-Policy"), "default-src 'none'"), path)
		assert.Check(t, is.Equal(resp.Header.Get("X-Content-Type-Options"), "nosniff"), path)
		body, _ := io.ReadAll(resp.Body)
		assert.Check(t, len(body) > 0, path)
	}
}

func TestAnythingElseIsNotFoundOrNotAllowed(t *testing.T) {
	for _, path := range []string{"/nope", "/dist/app.js", "/../web.go", "/app.js/"} {
		assert.Check(t, is.Equal(request(t, http.MethodGet, path, nil).StatusCode, http.StatusNotFound), path)
	}
	resp := request(t, http.MethodPost, "/", nil)
	assert.Check(t, is.Equal(resp.StatusCode, http.StatusMethodNotAllowed))
	assert.Check(t, is.Equal(resp.Header.Get("Allow"), "GET, HEAD"))
}

// A browser that has the page asks again (no-cache) and gets a 304; one that takes gzip
// gets the compressed file.
func TestCachingAndCompression(t *testing.T) {
	resp := request(t, http.MethodGet, "/app.js", nil)
	etag := resp.Header.Get("ETag")
	assert.Assert(t, etag != "")
	assert.Check(t, is.Equal(resp.Header.Get("Cache-Control"), "no-cache"))
	assert.Check(t, is.Equal(request(t, http.MethodGet, "/app.js", map[string]string{"If-None-Match": etag}).StatusCode, http.StatusNotModified))

	plain, _ := io.ReadAll(resp.Body)
	resp = request(t, http.MethodGet, "/app.js", map[string]string{"Accept-Encoding": "br, gzip;q=0.9"})
	assert.Check(t, is.Equal(resp.Header.Get("Content-Encoding"), "gzip"))
	zipped, _ := io.ReadAll(resp.Body)
	assert.Check(t, len(zipped) < len(plain)/2, "gzip %d of %d bytes", len(zipped), len(plain))
}

// The committed bundle is complete (index.html names the files that are there) and
// within its size target; scripts/check-web.sh checks that it is what the sources make.
func TestTheBundleIsCompleteAndSmall(t *testing.T) {
	index, err := fs.ReadFile(Dist, "dist/index.html")
	assert.NilError(t, err)
	total := 0
	for _, name := range []string{"index.html", "app.js", "app.css"} {
		if name != "index.html" {
			assert.Check(t, strings.Contains(string(index), `"`+name+`"`), "index.html loads %s", name)
		}
		body, err := fs.ReadFile(Dist, "dist/"+name)
		assert.NilError(t, err)
		zipped, err := Gzip(body)
		assert.NilError(t, err)
		total += len(zipped)
	}
	t.Logf("bundle: %.1f KiB gzipped (target < %d KiB)", float64(total)/1024, MaxGzipped>>10)
	assert.Check(t, total < MaxGzipped, "the page is %d bytes gzipped, over %d", total, MaxGzipped)
}
