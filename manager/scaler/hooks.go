package scaler

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

// kindHook labels the configs holding hooks: their settings and their token's hash.
const kindHook = "hook"

// Objects is the durable store of EXOS objects; *persist.Store implements it.
type Objects interface {
	Put(ctx context.Context, kind, name string, data []byte, labels map[string]string) error
	Delete(ctx context.Context, kind, name string) error
	List(ctx context.Context, kind string) ([]persist.Object, error)
}

// storedHook is a hook as persisted: never its token, only the token's SHA-256.
type storedHook struct {
	api.Hook
	TokenHash string `json:"tokenHash"`
}

// Hooks is the registry of receiver hooks. Its methods are safe for concurrent use.
type Hooks struct {
	objects Objects
	now     func() time.Time

	mu    sync.RWMutex
	hooks map[string]storedHook
	// rejected counts, per hook, the deliveries refused for a bad token; in memory only,
	// like a Prometheus counter, so a flood of them writes nothing.
	rejected map[string]uint64
}

// NewHooks returns an empty registry; Load fills it from the swarm.
func NewHooks(objects Objects, now func() time.Time) *Hooks {
	return &Hooks{objects: objects, now: now, hooks: map[string]storedHook{}, rejected: map[string]uint64{}}
}

// Load reads every hook from the swarm.
func (h *Hooks) Load(ctx context.Context) error {
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

// Create validates req, stores the new hook, created by author from remoteAddr, and
// returns it with its token.
func (h *Hooks) Create(ctx context.Context, req api.HookCreateRequest, author, remoteAddr string) (api.HookSecret, error) {
	if err := validateCreate(req); err != nil {
		return api.HookSecret{}, err
	}
	id := hex.EncodeToString(randomBytes(16))
	hook := api.Hook{
		ID: id, Kind: req.Kind, Action: req.Action, Services: append([]string{}, req.Services...),
		Step: req.Step, Min: req.Min, Max: req.Max, DryRun: req.DryRun,
		Path: "/hooks/v1/scale/" + id, CreatedAt: h.now().UTC(), CreatedBy: author, CreatedFrom: remoteAddr,
	}
	return h.store(ctx, hook)
}

// Rotate gives a hook a new token, for author from remoteAddr; the old one stops working
// when this returns.
func (h *Hooks) Rotate(ctx context.Context, ref, author, remoteAddr string) (api.HookSecret, error) {
	hook, err := h.Inspect(ref)
	if err != nil {
		return api.HookSecret{}, err
	}
	hook.RotatedAt, hook.RotatedBy, hook.RotatedFrom = h.now().UTC(), author, remoteAddr
	return h.store(ctx, hook)
}

// store writes hook with a fresh token and returns the token.
func (h *Hooks) store(ctx context.Context, hook api.Hook) (api.HookSecret, error) {
	token := base64.RawURLEncoding.EncodeToString(randomBytes(32)) // 256 bits
	hook.RejectedDeliveries = 0                                    // counted in memory, never stored
	sh := storedHook{Hook: hook, TokenHash: hashToken(token)}
	data, err := json.Marshal(sh)
	if err != nil {
		return api.HookSecret{}, err
	}
	if err := h.objects.Put(ctx, kindHook, hook.ID, data, nil); err != nil {
		return api.HookSecret{}, fmt.Errorf("failed to store hook %s: %w", hook.ID, err)
	}
	h.mu.Lock()
	h.hooks[hook.ID] = sh
	hook.RejectedDeliveries = h.rejected[hook.ID]
	h.mu.Unlock()
	return api.HookSecret{Hook: hook, Token: token}, nil
}

// List returns every hook, oldest first.
func (h *Hooks) List() []api.Hook {
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
func (h *Hooks) Inspect(ref string) (api.Hook, error) {
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

// Remove revokes a hook: its token stops working when this returns.
func (h *Hooks) Remove(ctx context.Context, ref string) error {
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
func (h *Hooks) view(sh storedHook) api.Hook {
	hook := sh.Hook
	hook.RejectedDeliveries = h.rejected[hook.ID]
	return hook
}

// countRejected counts a delivery refused for a bad token against hook id, and reports
// whether id is a hook: deliveries to unknown IDs are not counted per ID, or anyone could
// grow the map without bound.
func (h *Hooks) countRejected(id string) bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	if _, ok := h.hooks[id]; !ok {
		return false
	}
	h.rejected[id]++
	return true
}

// errBadToken is the one answer to every failed authentication, whatever the cause.
var errBadToken = api.Errorf(api.ErrUnauthorized, "invalid hook or token")

// dummyHash is compared against when the hook does not exist, so an unknown hook costs
// the same time as a wrong token.
var dummyHash = hashToken("no such hook")

// Authenticate returns the hook id if token is its current token.
func (h *Hooks) Authenticate(id, token string) (api.Hook, error) {
	h.mu.RLock()
	sh, ok := h.hooks[id]
	h.mu.RUnlock()
	want := sh.TokenHash
	if !ok {
		want = dummyHash
	}
	got := hashToken(token)
	if subtle.ConstantTimeCompare([]byte(got), []byte(want)) != 1 || !ok || token == "" {
		return api.Hook{}, errBadToken
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

func validateCreate(req api.HookCreateRequest) error {
	var problems []api.Problem
	add := func(key, format string, args ...any) {
		problems = append(problems, api.Problem{Key: key, Message: fmt.Sprintf(format, args...)})
	}
	if req.Kind != "scale" {
		add("kind", "unknown hook kind %q: the only kind is scale", req.Kind)
	}
	switch req.Action {
	case api.ActionUp, api.ActionDown:
		if len(req.Services) == 0 {
			add("services", "an %s hook must name the services it scales (--service)", req.Action)
		}
	case api.ActionAuto:
	default:
		add("action", "must be up, down or auto, got %q", req.Action)
	}
	for i, s := range req.Services {
		if strings.TrimSpace(s) == "" {
			add(fmt.Sprintf("services[%d]", i), "empty service name")
		}
	}
	if req.Step != nil && *req.Step == 0 {
		add("step", "must be at least 1")
	}
	if req.Min != nil && req.Max != nil && *req.Min > *req.Max {
		add("min", "min %d is above max %d", *req.Min, *req.Max)
	}
	if len(problems) > 0 {
		return &api.Error{StatusCode: 400, Message: "invalid hook; nothing was created", Problems: problems}
	}
	return nil
}
