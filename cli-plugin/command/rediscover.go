package command

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"net"
	"net/http"
	"net/url"
	"sync"
	"time"
)

// rediscoveringTransport sends requests to the cached manager address; when the manager
// cannot be reached there (it moved to another node or port, the swarm was created
// again), it finds the manager through the Engine once, sends the request again there,
// and sends every later request of the run there too. A request is sent again only
// when the first attempt never reached an EXOS manager (no connection, or a certificate
// of another CA), so the manager never sees it twice.
type rediscoveringTransport struct {
	base       http.RoundTripper
	rediscover func(ctx context.Context) (*managerClient, error)

	mu    sync.Mutex
	fresh *managerClient
	err   error // the rediscovery's failure, returned to every later request
}

func (t *rediscoveringTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if fresh := t.found(); fresh != nil {
		return sendTo(fresh, req)
	}
	resp, err := t.base.RoundTrip(req)
	if err == nil || !neverReachedManager(err) {
		return resp, err
	}
	fresh, ferr := t.findAgain(req.Context())
	if ferr != nil {
		return nil, errors.Join(err, ferr)
	}
	return sendTo(fresh, req)
}

func (t *rediscoveringTransport) found() *managerClient {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.fresh
}

func (t *rediscoveringTransport) findAgain(ctx context.Context) (*managerClient, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.fresh == nil && t.err == nil {
		t.fresh, t.err = t.rediscover(ctx)
	}
	return t.fresh, t.err
}

// sendTo sends req to the manager client fresh talks to, with its transport.
func sendTo(fresh *managerClient, req *http.Request) (*http.Response, error) {
	base, err := url.Parse(fresh.Client.BaseURL())
	if err != nil {
		return nil, err
	}
	again := req.Clone(req.Context())
	again.URL.Scheme, again.URL.Host, again.Host = base.Scheme, base.Host, ""
	if req.GetBody != nil {
		if again.Body, err = req.GetBody(); err != nil {
			return nil, err
		}
	}
	return fresh.hc.Transport.RoundTrip(again)
}

// cachedDialTimeout bounds connecting to a cached address: a manager that moved off a
// node that is down would otherwise cost the dialer's 30 s before it is found again.
const cachedDialTimeout = 2 * time.Second

// quickDial makes rt (the transport dial builds) give up connecting after
// cachedDialTimeout.
func quickDial(rt http.RoundTripper) {
	switch t := rt.(type) {
	case *http.Transport:
		t.DialContext = (&net.Dialer{Timeout: cachedDialTimeout, KeepAlive: 30 * time.Second}).DialContext
	case *pinnedTransport:
		quickDial(t.base)
	}
}

// neverReachedManager reports whether err means the request reached no EXOS manager of
// this swarm: no connection could be opened, or whoever answered was not verified.
func neverReachedManager(err error) bool {
	var op *net.OpError
	var unknown x509.UnknownAuthorityError
	var host x509.HostnameError
	var plain tls.RecordHeaderError
	return (errors.As(err, &op) && op.Op == "dial") || errors.As(err, &unknown) ||
		errors.As(err, &host) || errors.As(err, &plain)
}
