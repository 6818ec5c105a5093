package hooks

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/exos-platform/exos/manager/api"
	"github.com/exos-platform/exos/manager/persist"
)

// kindHook labels the configs holding hooks: their settings and their token's hash. Scale
// hooks have been stored under it since before this package existed, in the same format,
// so an upgraded manager knows every hook an older one created.
const kindHook = "hook"

// Objects is the durable store of EXOS objects; *persist.Store implements it.
type Objects interface {
	Put(ctx context.Context, kind, name string, data []byte, labels map[string]string) error
	Delete(ctx context.Context, kind, name string) error
	List(ctx context.Context, kind string) ([]persist.Object, error)
}

// storedHook is a hook as persisted: never its token, only the token's SHA-256 (none once
// the hook is revoked).
type storedHook struct {
	api.Hook
	TokenHash string `json:"tokenHash"`
}

// Registry holds every hook, of every kind. Its methods are safe for concurrent use.
type Registry struct {
	objects Objects
	now     func() time.Time
	metrics *metrics

	mu    sync.RWMutex
	hooks map[string]storedHook
	// rejected counts, per hook, the deliveries refused for a bad token; in memory only,
	// like a Prometheus counter, so a flood of them writes nothing.
	rejected map[string]uint64
}

// NewRegistry returns an empty registry; Load fills it from the swarm.
func NewRegistry(objects Objects, now func() time.Time) *Registry {
	return &Registry{objects: objects, now: now, metrics: newMetrics(), hooks: map[string]storedHook{}, rejected: map[string]uint64{}}
}

// Load reads every hook from the swarm.
func (h *Registry) Load(ctx context.Context) error {
	objs, err := h.objects.List(ctx, kindHook)
	if err != nil {
		return fmt.Errorf("failed to read hooks: %w", err)
	}
	hooks := map[string]storedHook{}
	for _, o := range objs {
		var sh storedHook
		if err := json.Unmarshal(o.Data, &sh); err != nil {
			return fmt.Errorf("hook %s is corrupt: %w", o.Name, err)
		}
		hooks[sh.ID] = sh
	}
	h.mu.Lock()
	h.hooks = hooks
	h.mu.Unlock()
	return nil
}

// Create stores hook (of hook.Kind, with its settings, already checked by the kind) as a
// new hook created by author from remoteAddr, and returns it with its token.
func (h *Registry) Create(ctx context.Context, hook api.Hook, author, remoteAddr string) (api.HookSecret, error) {
	hook.ID = hex.EncodeToString(randomBytes(16))
	hook.Path = "/hooks/v1/" + hook.Kind + "/" + hook.ID
	hook.CreatedAt, hook.CreatedBy, hook.CreatedFrom = h.now().UTC(), author, remoteAddr
	return h.store(ctx, hook)
}

// Rotate gives a hook a new token, for author from remoteAddr; the old one stops working
// when this returns.
func (h *Registry) Rotate(ctx context.Context, ref, author, remoteAddr string) (api.HookSecret, error) {
	hook, err := h.Inspect(ref)
	if err != nil {
		return api.HookSecret{}, err
	}
	if hook.Revoked {
		return api.HookSecret{}, api.Errorf(api.ErrConflict, "hook %s is revoked and cannot be given a token again; create a new hook", hook.ID)
	}
	hook.RotatedAt, hook.RotatedBy, hook.RotatedFrom = h.now().UTC(), author, remoteAddr
	return h.store(ctx, hook)
}

// Revoke makes a hook's token stop working when this returns, for author from remoteAddr.
// Unlike Remove, the hook stays listed, as revoked, with its history.
func (h *Registry) Revoke(ctx context.Context, ref, author, remoteAddr string) (api.Hook, error) {
	hook, err := h.Inspect(ref)
	if err != nil {
		return api.Hook{}, err
	}
	if hook.Revoked {
		return hook, nil // revoking twice is what the caller wanted already
	}
	hook.Revoked, hook.RevokedAt, hook.RevokedBy, hook.RevokedFrom = true, h.now().UTC(), author, remoteAddr
	if err := h.put(ctx, storedHook{Hook: hook}); err != nil {
		return api.Hook{}, err
	}
	return h.Inspect(hook.ID)
}

// store writes hook with a fresh token and returns the token.
func (h *Registry) store(ctx context.Context, hook api.Hook) (api.HookSecret, error) {
	token := base64.RawURLEncoding.EncodeToString(randomBytes(32)) // 256 bits
	if err := h.put(ctx, storedHook{Hook: hook, TokenHash: hashToken(token)}); err != nil {
		return api.HookSecret{}, err
	}
	h.mu.RLock()
	hook.RejectedDeliveries = h.rejected[hook.ID]
	h.mu.RUnlock()
	return api.HookSecret{Hook: hook, Token: token}, nil
}

func (h *Registry) put(ctx context.Context, sh storedHook) error {
	sh.RejectedDeliveries = 0 // counted in memory, never stored
	data, err := json.Marshal(sh)
	if err != nil {
		return err
	}
	if err := h.objects.Put(ctx, kindHook, sh.ID, data, nil); err != nil {
		return fmt.Errorf("failed to store hook %s: %w", sh.ID, err)
	}
	h.mu.Lock()
	h.hooks[sh.ID] = sh
	h.mu.Unlock()
	return nil
}

// List returns every hook, oldest first.
func (h *Registry) List() []api.Hook {
	h.mu.RLock()
	defer h.mu.RUnlock()
	out := make([]api.Hook, 0, len(h.hooks))
	for _, sh := range h.hooks {
		out = append(out, h.view(sh))
	}
	sort.Slice(out, func(i, j int) bool { return out[i].CreatedAt.Before(out[j].CreatedAt) })
	return out
}

// Inspect finds a hook by ID or unique ID prefix.
func (h *Registry) Inspect(ref string) (api.Hook, error) {
	h.mu.RLock()
	defer h.mu.RUnlock()
	if sh, ok := h.hooks[ref]; ok {
		return h.view(sh), nil
	}
	var found []api.Hook
	for id, sh := range h.hooks {
		if ref != "" && strings.HasPrefix(id, ref) {
			found = append(found, h.view(sh))
		}
	}
	switch len(found) {
	case 0:
		return api.Hook{}, api.Errorf(api.ErrNotFound, "hook %q does not exist", ref)
	case 1:
		return found[0], nil
	}
	return api.Hook{}, api.Errorf(api.ErrInvalid, "hook ID prefix %q is ambiguous: it matches %d hooks", ref, len(found))
}

// Remove deletes a hook: its token stops working when this returns.
func (h *Registry) Remove(ctx context.Context, ref string) error {
	hook, err := h.Inspect(ref)
	if err != nil {
		return err
	}
	if err := h.objects.Delete(ctx, kindHook, hook.ID); err != nil {
		return fmt.Errorf("failed to remove hook %s: %w", hook.ID, err)
	}
	h.mu.Lock()
	delete(h.hooks, hook.ID)
	delete(h.rejected, hook.ID)
	h.mu.Unlock()
	return nil
}

// view is the hook as the API shows it, with its count of rejected deliveries. Callers
// hold h.mu.
func (h *Registry) view(sh storedHook) api.Hook {
	hook := sh.Hook
	hook.RejectedDeliveries = h.rejected[hook.ID]
	return hook
}

// CountRejected counts a delivery refused for a bad token against hook id, on the hook
// and in /metrics. Deliveries to unknown IDs are counted only in /metrics, never per ID,
// or anyone could grow the map without bound.
func (h *Registry) CountRejected(id string) {
	label := existingHook
	if !h.countRejected(id) {
		label = unknownHook
	}
	h.metrics.rejected.WithLabelValues(label).Inc()
}

func (h *Registry) countRejected(id string) bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	if _, ok := h.hooks[id]; !ok {
		return false
	}
	h.rejected[id]++
	return true
}

// ErrBadToken is the one answer to every failed authentication, whatever the cause: an
// unknown hook, a wrong, missing or revoked token, a hook of another kind.
var ErrBadToken = api.Errorf(api.ErrUnauthorized, "invalid hook or token")

// dummyHash is compared against when the hook does not exist, so an unknown hook costs
// the same time as a wrong token.
var dummyHash = hashToken("no such hook")

// Authenticate returns hook id if it is of kind and token is its current token.
func (h *Registry) Authenticate(kind, id, token string) (api.Hook, error) {
	h.mu.RLock()
	sh, ok := h.hooks[id]
	h.mu.RUnlock()
	want := sh.TokenHash
	if !ok || want == "" {
		want = dummyHash
	}
	got := hashToken(token)
	if subtle.ConstantTimeCompare([]byte(got), []byte(want)) != 1 || !ok || token == "" || sh.Revoked || sh.Kind != kind {
		return api.Hook{}, ErrBadToken
	}
	return sh.Hook, nil
}

func hashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

func randomBytes(n int) []byte {
	b := make([]byte, n)
	_, _ = rand.Read(b) // crypto/rand.Read never fails on Linux (getrandom)
	return b
}
