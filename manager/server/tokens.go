package server

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/docker/docker/api/types/filters"
	"github.com/docker/docker/api/types/swarm"
	"github.com/exos-platform/exos/manager/api"
	"github.com/exos-platform/exos/manager/authz"
)

// AdminTokenKind labels the configs holding admin token hashes. `docker exos manager
// install` writes them; the token itself exists only in the user's Docker config dir.
const AdminTokenKind = "admin-token"

// ConfigLister lists Swarm configs; *client.Client implements it.
type ConfigLister interface {
	ConfigList(ctx context.Context, options swarm.ConfigListOptions) ([]swarm.Config, error)
}

// Tokens authenticates API calls against the admin token hashes stored in the swarm.
type Tokens struct {
	configs ConfigLister
	now     func() time.Time

	mu       sync.Mutex
	hashes   [][]byte
	loadedAt time.Time
}

// NewTokens returns an authenticator; call Load before serving.
func NewTokens(configs ConfigLister, now func() time.Time) *Tokens {
	return &Tokens{configs: configs, now: now}
}

// Load reads the admin token hashes from the swarm.
func (t *Tokens) Load(ctx context.Context) error {
	list, err := t.configs.ConfigList(ctx, swarm.ConfigListOptions{Filters: filters.NewArgs(filters.Arg("label", "io.exos.kind="+AdminTokenKind))})
	if err != nil {
		return fmt.Errorf("failed to read admin token hashes: %w", err)
	}
	var hashes [][]byte
	for _, c := range list {
		h, err := hex.DecodeString(strings.TrimSpace(string(c.Spec.Data)))
		if err == nil && len(h) == sha256.Size {
			hashes = append(hashes, h)
		}
	}
	t.mu.Lock()
	t.hashes, t.loadedAt = hashes, t.now()
	t.mu.Unlock()
	return nil
}

// adminPrincipal is who the install-time admin token acts as: the global admin.
var adminPrincipal = authz.Principal{Name: "admin", User: "admin", Admin: true}

// Authenticate accepts a request carrying a valid admin token, as the global admin.
func (t *Tokens) Authenticate(r *http.Request) (authz.Principal, error) {
	if err := t.Check(r); err != nil {
		return authz.Principal{}, err
	}
	return adminPrincipal, nil
}

// Check accepts a request carrying a valid bearer token. Every failure gets the same
// answer, and the comparison takes the same time whichever hash (if any) matches.
func (t *Tokens) Check(r *http.Request) error {
	token, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if ok && token != "" {
		sum := sha256.Sum256([]byte(token))
		if t.matches(sum[:]) {
			return nil
		}
		// A token created by a reinstall since the last load: read the hashes again, at
		// most every two seconds so bad tokens cannot hammer the Engine.
		if t.reloadDue() && t.Load(r.Context()) == nil && t.matches(sum[:]) {
			return nil
		}
	}
	return api.Errorf(api.ErrUnauthorized, "a valid EXOS token is required (run `docker exos manager install` to get one)")
}

func (t *Tokens) matches(sum []byte) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	found := 0
	for _, h := range t.hashes {
		found |= subtle.ConstantTimeCompare(h, sum)
	}
	return found == 1
}

func (t *Tokens) reloadDue() bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.now().Sub(t.loadedAt) > 2*time.Second
}
