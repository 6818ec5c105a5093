package server

import (
	"encoding/json"
	"go/ast"
	"go/parser"
	"go/token"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"github.com/exos-platform/exos/manager/api"
	"github.com/exos-platform/exos/manager/state"
	"gotest.tools/v3/assert"
	is "gotest.tools/v3/assert/cmp"
)

func TestDecode(t *testing.T) {
	type body struct {
		Name string `json:"name"`
	}
	cases := []struct {
		name   string
		body   string
		status int
		msg    string
	}{
		{"one value", `{"name": "qa"}`, 0, ""},
		{"trailing whitespace", "{\"name\": \"qa\"}\n\t \n", 0, ""},
		{"a second value", `{"name": "qa"}{"name": "prod"}`, 400, "unexpected data after the JSON body"},
		{"garbage after", `{"name": "qa"} x`, 400, "unexpected data after the JSON body"},
		{"a stray brace", `{"name": "qa"}}`, 400, "unexpected data after the JSON body"},
		{"unknown field", `{"nmae": "qa"}`, 400, `malformed JSON body: json: unknown field "nmae"`},
		{"truncated", `{"name": "qa"`, 400, "malformed JSON body: unexpected EOF"},
		{"empty", ``, 400, "the request body is empty; it must be a JSON object"},
		{"over the limit", `{"name": "` + strings.Repeat("x", maxBody) + `"}`, 413, "request body larger than 8388608 bytes"},
		{"trailing data over the limit", `{"name": "qa"}` + strings.Repeat(" ", maxBody) + "x", 413, "request body larger than 8388608 bytes"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(tc.body))
			r.Body = http.MaxBytesReader(httptest.NewRecorder(), r.Body, maxBody)
			var got body
			err := decode(r, &got)
			if tc.status == 0 {
				assert.NilError(t, err)
				assert.Check(t, is.Equal(got.Name, "qa"))
				return
			}
			assert.Check(t, is.Equal(api.StatusOf(err), tc.status))
			assert.Check(t, is.Error(err, tc.msg))
		})
	}
}

// TestEveryRouteWithABodyDecodesIt sends every API route that takes a body a body with
// trailing data and one over the limit: each must refuse them before doing anything.
func TestEveryRouteWithABodyDecodesIt(t *testing.T) {
	tokens := adminToken(testToken)
	// Only the stacks' reads are wired (the audit log locates the request's object): a
	// route that reached a change would panic.
	store := state.New()
	s := New(Config{Store: store, Stacks: &fakeStacks{store: store}, Authenticator: tokens, Log: slog.New(slog.DiscardHandler)})
	s.SetReady()
	h := s.Handler()
	routes := []string{
		"POST /api/v1/stacks/shop/deploy", "POST /api/v1/stacks/shop/rollback", "POST /api/v1/stacks/shop/template",
		"POST /api/v1/stacks/shop/upgrade", "POST /api/v1/environments", "POST /api/v1/catalogs", "POST /api/v1/hooks",
	}
	bodies := map[string]struct {
		body   string
		status int
	}{
		"trailing data": {`{}{}`, http.StatusBadRequest},
		"too large":     {`{"x": "` + strings.Repeat("x", maxBody) + `"}`, http.StatusRequestEntityTooLarge},
	}
	for _, route := range routes {
		method, path, _ := strings.Cut(route, " ")
		for name, b := range bodies {
			req := httptest.NewRequest(method, path, strings.NewReader(b.body))
			req.Header.Set("Authorization", "Bearer "+testToken)
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			assert.Check(t, is.Equal(rec.Code, b.status), "%s: %s", route, name)
			var eb api.ErrorBody
			assert.Check(t, json.NewDecoder(rec.Body).Decode(&eb))
			assert.Check(t, eb.Error != "", "%s: %s", route, name)
		}
	}
}

// TestOnlyDecodeReadsRequestBodies keeps it that way: no handler file of the package
// decodes JSON by itself, so none can miss the size and trailing-data checks.
func TestOnlyDecodeReadsRequestBodies(t *testing.T) {
	files, err := filepath.Glob("*.go")
	assert.NilError(t, err)
	fset := token.NewFileSet()
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") || name == "wrap.go" {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		assert.NilError(t, err)
		ast.Inspect(f, func(n ast.Node) bool {
			sel, ok := n.(*ast.SelectorExpr)
			if !ok {
				return true
			}
			if id, ok := sel.X.(*ast.Ident); ok && id.Name == "json" && (sel.Sel.Name == "NewDecoder" || sel.Sel.Name == "Unmarshal") {
				t.Errorf("%s: json.%s: read request bodies with decode (wrap.go)", fset.Position(sel.Pos()), sel.Sel.Name)
			}
			return true
		})
	}
}
