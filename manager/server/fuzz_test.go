package server

import (
	"bytes"
	"encoding/json"
	"go/ast"
	"go/parser"
	"go/token"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/exos-platform/exos/manager/api"
	"gotest.tools/v3/assert"
)

// requestTypes are the types the handlers decode a body into. The first byte of a fuzz
// input picks one (modulo), so append new ones at the end: the committed seeds keep
// their meaning. TestFuzzDecodeCoversEveryRequest keeps the list complete.
var requestTypes = []func() any{
	func() any { return new(api.DeployRequest) },
	func() any { return new(api.RollbackRequest) },
	func() any { return new(api.EnvironmentCreateRequest) },
	func() any { return new(api.CatalogAddRequest) },
	func() any { return new(api.HookCreateRequest) },
	func() any { return new(api.TemplateDeployRequest) },
	func() any { return new(api.StackUpgradeRequest) },
	func() any { return new(api.LoginRequest) },
	func() any { return new(api.PasswordRequest) },
	func() any { return new(api.UserCreateRequest) },
	func() any { return new(api.GroupCreateRequest) },
	func() any { return new(api.TokenCreateRequest) },
	func() any { return new(api.MemberRequest) },
	func() any { return new(api.LDAPSettingsRequest) },
	func() any { return new(api.LDAPTestRequest) },
	func() any { return new(api.RegistryAddRequest) },
	func() any { return new(api.SetImageRequest) },
	func() any { return new(api.DashboardPins) },
	func() any { return new(api.AgentReport) },
	func() any { return new(api.AgentEvents) },
}

// FuzzDecodeRequests sends arbitrary bodies through decode, as a handler receives them
// (behind the size limit): a body is refused with a 4xx and a message, never a 500 or a
// panic, or it decodes to a value whose encoding decodes again to the same encoding.
func FuzzDecodeRequests(f *testing.F) {
	compose, err := os.ReadFile("../../testdata/compose/01-web-db.yml")
	if err != nil {
		f.Fatal(err)
	}
	seeds := []any{
		api.DeployRequest{ComposeFiles: []api.File{{Name: "docker-compose.yml", Content: string(compose)}},
			Variables: map[string]string{"TAG": "1.2"}, Env: "qa", Strict: true, Prune: true},
		api.RollbackRequest{To: 3},
		api.EnvironmentCreateRequest{Name: "qa", Description: "staging"},
		api.CatalogAddRequest{Name: "community", URL: "https://example.com/c.git", Branch: "main", Username: "u", Password: "p"},
		api.HookCreateRequest{Kind: "scale", Action: api.ActionAuto, Services: []string{"shop_web"}, Step: new(uint64)},
		api.TemplateDeployRequest{Template: "library/redis:1.0", Answers: &api.File{Name: "a.yml", Content: "port: 6379\n"}, Sets: []string{"a=b"}},
		api.StackUpgradeRequest{Version: "2", Sets: []string{"replicas=3"}},
	}
	for i, v := range seeds {
		body, err := json.Marshal(v)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(append([]byte{byte(i)}, body...))
	}
	for _, s := range []string{"\x00", "\x01{}{}", "\x02{\"nmae\":1}", "\x03{\"name\":\"a\"", "\x04 null ", "\x05[]", "\x06\"\\ud800\""} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) == 0 {
			return
		}
		newReq := requestTypes[int(data[0])%len(requestTypes)]
		v := newReq()
		if err := decodeBody(data[1:], v); err != nil {
			if s := api.StatusOf(err); s < 400 || s > 499 || err.Error() == "" {
				t.Fatalf("%T: refused with status %d, want 4xx with a message: %q", v, s, err)
			}
			return
		}
		first := encode(t, v)
		again := newReq()
		if err := decodeBody(first, again); err != nil {
			t.Fatalf("%T: its own encoding is refused: %v\n%s", v, err, first)
		}
		if second := encode(t, again); !bytes.Equal(first, second) {
			t.Fatalf("%T: encoding is not stable:\n%s\n%s", v, first, second)
		}
	})
}

func decodeBody(body []byte, v any) error {
	r := httptest.NewRequest(http.MethodPost, "/", bytes.NewReader(body))
	r.Body = http.MaxBytesReader(httptest.NewRecorder(), r.Body, maxBody)
	return decode(r, v)
}

func encode(t *testing.T, v any) []byte {
	t.Helper()
	out, err := json.Marshal(v)
	if err != nil {
		t.Fatalf("%T: decoded value does not encode: %v", v, err)
	}
	return out
}

// TestFuzzDecodeCoversEveryRequest finds every `decode(r, &x)` in the handlers and checks
// that x's type is in requestTypes, so a new route's body is fuzzed too.
func TestFuzzDecodeCoversEveryRequest(t *testing.T) {
	fuzzed := map[string]bool{}
	for _, newReq := range requestTypes {
		fuzzed[reflect.TypeOf(newReq()).Elem().Name()] = true
	}
	files, err := filepath.Glob("*.go")
	assert.NilError(t, err)
	fset := token.NewFileSet()
	found := 0
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		assert.NilError(t, err)
		ast.Inspect(f, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok || len(call.Args) != 2 {
				return true
			}
			if fn, ok := call.Fun.(*ast.Ident); !ok || fn.Name != "decode" {
				return true
			}
			found++
			typ := decodedType(call.Args[1])
			if !fuzzed[typ] {
				t.Errorf("%s: decode into %q: add it to requestTypes (fuzz_test.go)", fset.Position(call.Pos()), typ)
			}
			return true
		})
	}
	assert.Assert(t, found >= len(requestTypes), "found only %d decode calls", found)
}

// decodedType names the type of &x when x is declared `var x api.T`; "" otherwise.
func decodedType(arg ast.Expr) string {
	u, ok := arg.(*ast.UnaryExpr)
	if !ok || u.Op != token.AND {
		return ""
	}
	id, ok := u.X.(*ast.Ident)
	if !ok || id.Obj == nil {
		return ""
	}
	spec, ok := id.Obj.Decl.(*ast.ValueSpec)
	if !ok {
		return ""
	}
	if sel, ok := spec.Type.(*ast.SelectorExpr); ok {
		return sel.Sel.Name
	}
	return ""
}
