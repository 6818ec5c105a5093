package server

import (
	"io"
	"net/http"
	"strings"
	"testing"

	"gotest.tools/v3/assert"
	is "gotest.tools/v3/assert/cmp"

	"github.com/exos-platform/exos/manager/state"
)

// The page and its assets are served to anyone, as /healthz is; what the page shows comes
// from the API, which still wants a token, and unknown API paths still answer JSON.
func TestThePageIsPublicAndTheAPIIsNot(t *testing.T) {
	_, c := newTestServer(t, state.New(), nil)
	get := func(path string) (*http.Response, string) {
		resp, err := http.Get(c.BaseURL() + path)
		assert.NilError(t, err)
		defer resp.Body.Close()
		body, err := io.ReadAll(resp.Body)
		assert.NilError(t, err)
		return resp, string(body)
	}
	resp, body := get("/")
	assert.Check(t, is.Equal(resp.StatusCode, http.StatusOK))
	assert.Check(t, is.Contains(resp.Header.Get("Content-Type"), "text/html"))
	assert.Check(t, is.Contains(body, `src="app.js"`))
	resp, _ = get("/app.js")
	assert.Check(t, is.Equal(resp.StatusCode, http.StatusOK))

	resp, _ = get("/api/v1/stacks")
	assert.Check(t, is.Equal(resp.StatusCode, http.StatusUnauthorized))
	resp, body = get("/api/v1/no-such-route")
	assert.Check(t, resp.StatusCode == http.StatusUnauthorized || resp.StatusCode == http.StatusNotFound, "%d", resp.StatusCode)
	assert.Check(t, strings.HasPrefix(body, "{"), "an API path answers JSON, never the page: %s", body)
	resp, _ = get("/hooks/v1/deploy/x/deployments/y")
	assert.Check(t, is.Equal(resp.StatusCode, http.StatusNotFound), "no route is no page")
	resp, _ = get("/healthz")
	assert.Check(t, is.Equal(resp.StatusCode, http.StatusOK))
}
