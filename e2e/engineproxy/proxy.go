// Package engineproxy is a Docker Engine API proxy for tests: a unix socket in front of a
// real dockerd's socket that counts every call and its bytes, and can make one chosen
// write fail, so that tests measure what a client asks of the Engine and see what it does
// when the Engine refuses half-way.
package engineproxy

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"strings"
	"sync"
	"time"
)

// Proxy forwards the Engine API from its own socket to dockerd's.
type Proxy struct {
	// Socket is the proxy's unix socket; DOCKER_HOST=unix://<Socket> goes through it.
	Socket string

	server *http.Server
	mu     sync.Mutex
	calls  []*Call
	writes int
	failAt int
	// open counts the calls recorded but still being answered, event streams aside.
	open int
}

// Call is one request that went through.
type Call struct {
	Method, Path string
	Query        string // the URL's raw query, filters included
	// Object is the name a config create gives the config: what it is for shows there.
	Object string
	// Bytes counts the request and response bodies.
	Bytes  int64
	Write  bool
	Failed bool // the proxy answered it with an injected failure
}

// Start listens on socket and forwards to the dockerd listening on target (a unix socket
// path). Close stops it.
func Start(socket, target string) (*Proxy, error) {
	l, err := net.Listen("unix", socket)
	if err != nil {
		return nil, err
	}
	p := &Proxy{Socket: socket}
	rp := &httputil.ReverseProxy{
		Rewrite: func(r *httputil.ProxyRequest) { r.SetURL(&url.URL{Scheme: "http", Host: "docker"}) },
		Transport: &http.Transport{DialContext: func(ctx context.Context, _, _ string) (net.Conn, error) {
			return (&net.Dialer{}).DialContext(ctx, "unix", target)
		}},
		FlushInterval: -1, // event streams and logs flow as they come
	}
	p.server = &http.Server{Handler: p.handler(rp)}
	go func() { _ = p.server.Serve(l) }()
	return p, nil
}

// Close stops the proxy.
func (p *Proxy) Close() error { return p.server.Close() }

// FailWrite makes the nth write from now fail (1 is the next one; 0 for none), once.
func (p *Proxy) FailWrite(n int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.failAt = 0
	if n > 0 {
		p.failAt = p.writes + n
	}
}

// Reset forgets the calls seen so far.
func (p *Proxy) Reset() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.calls = nil
}

// Calls returns the calls seen since the last Reset. A client may have read a whole
// answer before the proxy has counted its last bytes, so Calls waits (up to a few
// seconds) for the calls still being answered; event streams never end and are not
// waited for.
func (p *Proxy) Calls() []Call {
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(5 * time.Millisecond) {
		p.mu.Lock()
		if p.open == 0 || time.Now().After(deadline) {
			defer p.mu.Unlock()
			out := make([]Call, len(p.calls))
			for i, c := range p.calls {
				out[i] = *c
			}
			return out
		}
		p.mu.Unlock()
	}
}

func (p *Proxy) handler(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		call := Call{Method: r.Method, Path: trimVersion(r.URL.Path), Query: r.URL.RawQuery, Write: isWrite(r)}
		if call.Write && p.shouldFail() {
			call.Failed = true
			p.begin(call, true) // answered by the proxy itself: nothing to wait for
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusInternalServerError)
			_, _ = fmt.Fprintf(w, `{"message":"injected failure of %s %s"}`, r.Method, call.Path)
			return
		}
		if r.Method == http.MethodPost && strings.HasSuffix(call.Path, "/configs/create") {
			call.Object = configName(r)
		}
		// Recorded before it is forwarded: a client that has its answer sees its call.
		stream := isStream(r)
		recorded := p.begin(call, stream)
		in := &countingReader{r: r.Body}
		r.Body = io.NopCloser(in)
		cw := &countingWriter{ResponseWriter: w}
		next.ServeHTTP(cw, r)
		p.finish(recorded, in.n+cw.n, stream)
	})
}

// begin records a call being forwarded.
func (p *Proxy) begin(c Call, stream bool) *Call {
	p.mu.Lock()
	defer p.mu.Unlock()
	if !stream {
		p.open++
	}
	p.calls = append(p.calls, &c)
	return &c
}

// finish counts a forwarded call's bytes (on its record even if a Reset forgot it).
func (p *Proxy) finish(c *Call, bytes int64, stream bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if !stream {
		p.open--
	}
	c.Bytes = bytes
}

// isStream says whether a request's answer flows until the client goes: events, logs.
func isStream(r *http.Request) bool {
	return strings.HasSuffix(r.URL.Path, "/events") || strings.HasSuffix(r.URL.Path, "/logs") ||
		strings.HasSuffix(r.URL.Path, "/attach")
}

func (p *Proxy) shouldFail() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.writes++
	return p.writes == p.failAt
}

// isWrite says whether a request changes the swarm. Attaching to a stream is not one.
func isWrite(r *http.Request) bool {
	return r.Method != http.MethodGet && r.Method != http.MethodHead && !strings.HasSuffix(r.URL.Path, "/_ping")
}

// trimVersion drops the API version prefix: /v1.41/services -> /services.
func trimVersion(path string) string {
	if strings.HasPrefix(path, "/v1.") {
		if i := strings.Index(path[1:], "/"); i >= 0 {
			return path[i+1:]
		}
	}
	return path
}

type countingReader struct {
	r io.ReadCloser
	n int64
}

func (c *countingReader) Read(b []byte) (int, error) {
	if c.r == nil {
		return 0, io.EOF
	}
	n, err := c.r.Read(b)
	c.n += int64(n)
	return n, err
}

type countingWriter struct {
	http.ResponseWriter
	n int64
}

func (c *countingWriter) Write(b []byte) (int, error) {
	n, err := c.ResponseWriter.Write(b)
	c.n += int64(n)
	return n, err
}

// Flush passes flushes on, for the event stream.
func (c *countingWriter) Flush() {
	if f, ok := c.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

// configName reads the name from a config create's body, which it puts back.
func configName(r *http.Request) string {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		return ""
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	var spec struct{ Name string }
	_ = json.Unmarshal(body, &spec)
	return spec.Name
}
