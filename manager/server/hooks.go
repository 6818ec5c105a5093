package server

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"

	"github.com/exos-platform/exos/manager/api"
	"github.com/exos-platform/exos/manager/authz"
)

// Scaling manages receiver hooks and receives their deliveries; *scaler.Scaler
// implements it.
type Scaling interface {
	CreateHook(ctx context.Context, req api.HookCreateRequest, author, remoteAddr string) (api.HookSecret, error)
	ListHooks() []api.Hook
	InspectHook(ref string) (api.Hook, error)
	RotateHook(ctx context.Context, ref, author, remoteAddr string) (api.HookSecret, error)
	RemoveHook(ctx context.Context, ref string) error
	ScaleHistory(hook, stack string) []api.ScaleDecision
	Deliver(ctx context.Context, id, token, remoteAddr string, body io.Reader) (api.HookResponse, error)
}

// maxHookBody bounds a delivery: Alertmanager's largest groups are a few hundred KB.
const maxHookBody = 1 << 20

func (s *Server) createHook(r *http.Request) (any, error) {
	var req api.HookCreateRequest
	if err := decode(r, &req); err != nil {
		return nil, err
	}
	author, from := caller(r)
	if req.Kind == api.HookKindDeploy && s.deploys != nil {
		return s.deploys.CreateHook(r.Context(), req, author, from)
	}
	return s.scaling.CreateHook(r.Context(), req, author, from)
}

// listHooks lists the hooks whose services the caller sees, all of them.
func (s *Server) listHooks(r *http.Request) (any, error) {
	p := principalOf(r)
	out := []api.Hook{}
	for _, h := range s.scaling.ListHooks() {
		if s.seesAll(p, s.envsOfHook(h)) {
			out = append(out, h)
		}
	}
	return out, nil
}

func (s *Server) seesAll(p authz.Principal, envs []string) bool {
	for _, env := range envs {
		if !p.Sees(env) {
			return false
		}
	}
	return true
}

func (s *Server) inspectHook(r *http.Request) (any, error) {
	return s.scaling.InspectHook(r.PathValue("id"))
}

func (s *Server) rotateHook(r *http.Request) (any, error) {
	author, from := caller(r)
	return s.scaling.RotateHook(r.Context(), r.PathValue("id"), author, from)
}

func (s *Server) removeHook(r *http.Request) (any, error) {
	return nil, s.scaling.RemoveHook(r.Context(), r.PathValue("id"))
}

func (s *Server) scaleHistory(r *http.Request) (any, error) {
	q := r.URL.Query()
	return visible(r, s.scaling.ScaleHistory(q.Get("hook"), q.Get("stack")), func(d api.ScaleDecision) string {
		env, _ := s.stacks.Env(d.Stack)
		return env
	}), nil
}

// deliverHook receives a delivery to a hook. It is authenticated by the hook's own token,
// never the admin token: as a bearer header (Alertmanager's http_config.authorization),
// as ?token= or as a last path segment for tools that cannot send headers.
func (s *Server) deliverHook(w http.ResponseWriter, r *http.Request) {
	if !s.ready.Load() {
		s.writeError(w, r, api.Errorf(api.ErrUnavailable, "the manager is starting"))
		return
	}
	id := requestID(w, r)
	r.Body = http.MaxBytesReader(w, r.Body, maxHookBody)
	resp, err := s.scaling.Deliver(r.Context(), r.PathValue("id"), hookToken(r), r.RemoteAddr, r.Body)
	if auditErr := s.auditDeliveries(r, id, resp); auditErr != nil && err == nil {
		err = auditErr
	}
	if err != nil {
		s.writeHookError(w, r, resp, err)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(resp)
}

// writeHookError answers an error with the decisions taken so far, so a 503 after some
// alerts were applied still tells the caller which.
func (s *Server) writeHookError(w http.ResponseWriter, r *http.Request, resp api.HookResponse, err error) {
	if len(resp.Decisions) == 0 {
		s.writeError(w, r, err)
		return
	}
	status := api.StatusOf(err)
	if status >= 500 {
		s.log.Error("hook delivery failed", "hook", r.PathValue("id"), "status", status, "err", err)
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(struct {
		api.ErrorBody
		api.HookResponse
	}{api.ErrorBody{Error: err.Error()}, resp})
}

func hookToken(r *http.Request) string {
	if token, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer "); ok {
		return token
	}
	if token := r.Header.Get("X-Exos-Token"); token != "" {
		return token
	}
	if token := r.PathValue("token"); token != "" {
		return token
	}
	return r.URL.Query().Get("token")
}
