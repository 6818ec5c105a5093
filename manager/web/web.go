// Package web serves the manager's web dashboard: the page built from src/ by build/main.go
// (esbuild) into dist/, which is committed and embedded, so building the manager needs
// neither node nor the network. The page is static and public; everything it shows comes
// from the API, which authenticates every call (the page keeps no second permission system).
package web

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"
	"time"
)

// Dist holds the built page: index.html, app.js and app.css.
//
//go:embed dist
var Dist embed.FS

// asset is one embedded file, ready to serve.
type asset struct {
	body, gzipped []byte
	etag, ctype   string
}

// headers every answer of the page carries: the page loads nothing from elsewhere and
// talks only to its own origin, so a script injected through data it shows could not
// reach out.
var headers = map[string]string{
	"Content-Security-Policy": "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
		"connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
	"X-Content-Type-Options": "nosniff",
	"Referrer-Policy":        "no-referrer",
	// The names have no content hash: the browser asks again each time and gets a 304.
	"Cache-Control": "no-cache",
}

// Handler serves the page at / and its assets beside it; any other path is a 404.
func Handler() http.Handler {
	assets, err := load(Dist)
	if err != nil {
		panic(err) // the embedded files are part of the binary: this cannot fail at run time
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		serve(assets, w, r)
	})
}

func serve(assets map[string]*asset, w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	name := strings.TrimPrefix(r.URL.Path, "/")
	if name == "" {
		name = "index.html"
	}
	a, ok := assets[name]
	if !ok {
		http.NotFound(w, r)
		return
	}
	h := w.Header()
	for k, v := range headers {
		h.Set(k, v)
	}
	h.Set("Content-Type", a.ctype)
	h.Set("ETag", a.etag)
	h.Set("Vary", "Accept-Encoding")
	body := a.body
	if a.gzipped != nil && acceptsGzip(r) {
		h.Set("Content-Encoding", "gzip")
		body = a.gzipped
	}
	http.ServeContent(w, r, name, time.Time{}, bytes.NewReader(body))
}

func acceptsGzip(r *http.Request) bool {
	for _, part := range strings.Split(r.Header.Get("Accept-Encoding"), ",") {
		if strings.TrimSpace(strings.SplitN(part, ";", 2)[0]) == "gzip" {
			return true
		}
	}
	return false
}

// load reads every file of dist once, with its ETag and its gzipped form.
func load(fsys fs.FS) (map[string]*asset, error) {
	dist, err := fs.Sub(fsys, "dist")
	if err != nil {
		return nil, err
	}
	assets := map[string]*asset{}
	err = fs.WalkDir(dist, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		body, err := fs.ReadFile(dist, name)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(body)
		a := &asset{body: body, etag: `"` + hex.EncodeToString(sum[:8]) + `"`, ctype: mime.TypeByExtension(path.Ext(name))}
		if a.gzipped, err = Gzip(body); err != nil {
			return err
		}
		assets[name] = a
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("failed to read the embedded page: %w", err)
	}
	if assets["index.html"] == nil {
		return nil, fmt.Errorf("the embedded page has no index.html: run make web")
	}
	return assets, nil
}

// Gzip compresses b at the best level, as the page is served (and measured against its
// 200 KiB target).
func Gzip(b []byte) ([]byte, error) {
	var buf bytes.Buffer
	zw, err := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	if err != nil {
		return nil, err
	}
	if _, err := zw.Write(b); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
