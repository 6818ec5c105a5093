package server

import (
	"context"
	"net/http"

	"github.com/exos-platform/exos/manager/authz"
)

// Authenticator resolves the caller of a request into a Principal, or answers why not
// (401, the same text for every cause).
type Authenticator interface {
	Authenticate(r *http.Request) (authz.Principal, error)
}

type principalKey struct{}

func withPrincipal(ctx context.Context, p authz.Principal) context.Context {
	return context.WithValue(ctx, principalKey{}, p)
}

// principalOf is the caller wrap authenticated; the zero Principal (who may do nothing)
// outside an authenticated request.
func principalOf(r *http.Request) authz.Principal {
	p, _ := r.Context().Value(principalKey{}).(authz.Principal)
	return p
}

// caller names who made a request, for revision records and the scaling history.
func caller(r *http.Request) (author, remoteAddr string) {
	return principalOf(r).Name, r.RemoteAddr
}

// visible keeps the items of a list the caller may see, by each item's environment.
func visible[T any](r *http.Request, items []T, envOf func(T) string) []T {
	p := principalOf(r)
	if p.Admin && p.Env == "" {
		return items // the global admin sees everything
	}
	out := make([]T, 0, len(items))
	for _, it := range items {
		if p.Sees(envOf(it)) {
			out = append(out, it)
		}
	}
	return out
}
