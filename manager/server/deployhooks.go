package server

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"

	"github.com/exos-platform/exos/manager/api"
	"github.com/exos-platform/exos/manager/hooks"
)

// DeployHooks creates deploy hooks and receives their deliveries; *hooks.Deploys
// implements it.
type DeployHooks interface {
	CreateHook(ctx context.Context, req api.HookCreateRequest, author, remoteAddr string) (api.HookSecret, error)
	RevokeHook(ctx context.Context, ref, author, remoteAddr string) (api.Hook, error)
	DeployHistory(hook, stack string) []api.DeployDelivery
	Deliver(ctx context.Context, id, token, remoteAddr string, query url.Values, body []byte) (hooks.Delivery, error)
	Status(hookID, token, deploymentID string) (api.Deployment, error)
}

// errNoDeployHooks answers the deploy hook routes of a server configured without them.
var errNoDeployHooks = api.Errorf(api.ErrUnavailable, "this manager has no deploy hooks")

func (s *Server) revokeHook(r *http.Request) (any, error) {
	if s.deploys == nil {
		return nil, errNoDeployHooks
	}
	author, from := caller(r)
	return s.deploys.RevokeHook(r.Context(), r.PathValue("id"), author, from)
}

func (s *Server) deployHistory(r *http.Request) (any, error) {
	if s.deploys == nil {
		return []api.DeployDelivery{}, nil
	}
	q := r.URL.Query()
	return visible(r, s.deploys.DeployHistory(q.Get("hook"), q.Get("stack")), func(d api.DeployDelivery) string {
		env, _ := s.stacks.Env(d.Stack)
		return env
	}), nil
}

// deliverDeploy receives a push for a deploy hook, authenticated by the hook's token (a
// bearer or X-Exos-Token header, ?token= or the last path segment). It answers 202 with
// the deployment to poll, or 200 when there is nothing to deploy; the deploy runs after.
func (s *Server) deliverDeploy(w http.ResponseWriter, r *http.Request) {
	if !s.ready.Load() {
		s.writeError(w, r, api.Errorf(api.ErrUnavailable, "the manager is starting"))
		return
	}
	id := requestID(w, r)
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxHookBody))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			err = api.Errorf(api.ErrTooLarge, "the body is larger than %d bytes; no push is that large", maxHookBody)
		} else {
			err = api.Errorf(api.ErrInvalid, "failed to read the body: %v", err)
		}
		s.writeError(w, r, err)
		return
	}
	query := r.URL.Query()
	query.Del("token")
	out, err := s.deploys.Deliver(r.Context(), r.PathValue("id"), hookToken(r), r.RemoteAddr, query, body)
	s.auditDeployDelivery(r, id, out, err)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	if out.Answer.StatusURL != "" {
		out.Answer.StatusURL = absoluteURL(r, out.Answer.StatusURL)
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(out.Status)
	_ = json.NewEncoder(w).Encode(out.Answer)
}

// deploymentStatus answers a deployment's status, to the holder of its hook's token.
func (s *Server) deploymentStatus(w http.ResponseWriter, r *http.Request) {
	if !s.ready.Load() {
		s.writeError(w, r, api.Errorf(api.ErrUnavailable, "the manager is starting"))
		return
	}
	st, err := s.deploys.Status(r.PathValue("id"), hookToken(r), r.PathValue("deployment"))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(st)
}

// absoluteURL makes a path of this server absolute, as the caller reached it.
func absoluteURL(r *http.Request, path string) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host + path
}

// auditDeployDelivery stores the audit event of an authenticated delivery that was
// queued, found the image running, or was refused, as the hook's actor. Duplicates,
// ignored registry events and rate-limited calls are only in the hook's history, and bad
// tokens only counted, so that a flood writes little; the deploy itself is audited by
// the deploy hooks when it is made.
func (s *Server) auditDeployDelivery(r *http.Request, requestID string, out hooks.Delivery, err error) {
	rec := out.Record
	if out.Hook.ID == "" || rec.Outcome == api.DeliveryDuplicate || rec.Outcome == api.DeliveryIgnored || errors.Is(err, api.ErrTooManyRequests) {
		return
	}
	env, _ := s.stacks.Env(out.Hook.Stack)
	e := api.AuditEvent{
		Time: rec.Time, Actor: rec.Actor, Source: sourceOf(r), Action: "hook.deploy", Route: r.Pattern,
		Object: "hooks/" + out.Hook.ID, Env: env, Result: api.AuditOK, Status: out.Status, RequestID: requestID,
		Detail: fmt.Sprintf("stack %s: %s push %s: %s", out.Hook.Stack, rec.Format, rec.Image, rec.Outcome),
	}
	if rec.Deployment != "" {
		e.Detail += " (deployment " + rec.Deployment + ")"
	}
	if err != nil {
		e.Result, e.Status, e.Detail = api.AuditError, api.StatusOf(err), e.Detail+": "+rec.Reason
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(r.Context()), recordTimeout)
	defer cancel()
	if err := s.audit.Record(ctx, e); err != nil {
		s.log.Error("audit event of a deploy hook delivery not stored", "request", requestID, "err", err)
	}
}
