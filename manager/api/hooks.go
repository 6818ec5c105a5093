package api

import (
	"context"
	"net/http"
	"net/url"
	"time"
)

// Hook kinds: what a delivery to a hook does.
const (
	HookKindScale  = "scale"  // an Alertmanager webhook scales services
	HookKindDeploy = "deploy" // a pushed image is deployed to a stack
)

// Hook actions: what a scale hook does with an alert.
const (
	ActionUp   = "up"   // every firing alert asks for a step up
	ActionDown = "down" // every firing alert asks for a step down
	ActionAuto = "auto" // the alert's `scale` label (up|down) says which
)

// Scale decisions: what the manager did with one alert of one delivery.
const (
	DecisionApplied     = "applied"     // replicas changed
	DecisionDryRun      = "dry-run"     // would have changed replicas; dry-run hook or policy
	DecisionClamped     = "clamped"     // already at min or max
	DecisionDuplicate   = "duplicate"   // this alert episode already stepped within the cooldown
	DecisionCooldown    = "cooldown"    // another step in this direction is too recent
	DecisionStabilizing = "stabilizing" // down signal not yet sustained for the window
	DecisionDeferred    = "deferred"    // a rolling update or a deploy is in progress
	DecisionResolved    = "resolved"    // a resolved alert ends its episode; it never scales
	DecisionRejected    = "rejected"    // bad payload, unknown service, out of the hook's scope
	DecisionFailed      = "failed"      // Docker refused or failed the update
)

// HookActor is who a delivery to hook id acts as, in decisions and the audit log.
func HookActor(id string) string { return "alertmanager:" + id }

// Hook is a receiver hook: a URL with a secret token that scales services when called.
type Hook struct {
	ID     string `json:"id"`
	Kind   string `json:"kind"`   // "scale"
	Action string `json:"action"` // up, down or auto
	// Services the hook may scale (full Swarm names, "stack_service"). Empty only for an
	// auto hook, which may then scale any service whose autoscale policy allows it.
	Services []string `json:"services"`
	// Step, Min and Max override the service's autoscale policy when set.
	Step      *uint64   `json:"step,omitempty"`
	Min       *uint64   `json:"min,omitempty"`
	Max       *uint64   `json:"max,omitempty"`
	DryRun    bool      `json:"dryRun,omitempty"`
	Path      string    `json:"path"` // "/hooks/v1/scale/<id>", relative to the manager's address
	CreatedAt time.Time `json:"createdAt"`
	RotatedAt time.Time `json:"rotatedAt,omitzero"`
	// CreatedBy is who created the hook and CreatedFrom the address they called from;
	// RotatedBy and RotatedFrom are who gave it its current token. Who removed a hook is
	// in the audit log.
	CreatedBy   string `json:"createdBy,omitempty"`
	CreatedFrom string `json:"createdFrom,omitempty"`
	RotatedBy   string `json:"rotatedBy,omitempty"`
	RotatedFrom string `json:"rotatedFrom,omitempty"`
	// RejectedDeliveries counts the deliveries to this hook refused for a bad or missing
	// token since the manager started. They are counted, not recorded one by one, so a
	// flood of them costs nothing in the history.
	RejectedDeliveries uint64 `json:"rejectedDeliveries"`
	// Stack, Service, Repository and TagPattern scope a deploy hook: it deploys new
	// images of Repository (default: the images the services run) to the services of
	// Stack (or Service alone), for tags matching TagPattern (a glob; empty: any).
	Stack      string `json:"stack,omitempty"`
	Service    string `json:"service,omitempty"`
	Repository string `json:"repository,omitempty"`
	TagPattern string `json:"tagPattern,omitempty"`
	// Revoked: the token no longer works; the hook stays listed with its history.
	Revoked     bool      `json:"revoked,omitempty"`
	RevokedAt   time.Time `json:"revokedAt,omitzero"`
	RevokedBy   string    `json:"revokedBy,omitempty"`
	RevokedFrom string    `json:"revokedFrom,omitempty"`
}

// HookCreateRequest creates a hook.
type HookCreateRequest struct {
	Kind     string   `json:"kind"`
	Action   string   `json:"action"`
	Services []string `json:"services"`
	Step     *uint64  `json:"step,omitempty"`
	Min      *uint64  `json:"min,omitempty"`
	Max      *uint64  `json:"max,omitempty"`
	DryRun   bool     `json:"dryRun,omitempty"`
	// Stack, Service, Repository and TagPattern are a deploy hook's scope (see Hook).
	Stack      string `json:"stack,omitempty"`
	Service    string `json:"service,omitempty"`
	Repository string `json:"repository,omitempty"`
	TagPattern string `json:"tagPattern,omitempty"`
}

// HookSecret is the answer to a create or a rotate: the only time the token is shown.
type HookSecret struct {
	Hook
	Token string `json:"token"`
}

// ScaleDecision is one recorded decision: one alert of one delivery to a hook.
type ScaleDecision struct {
	Time        time.Time `json:"time"`
	Hook        string    `json:"hook"`
	Alert       string    `json:"alert,omitempty"` // the alert's alertname label
	Fingerprint string    `json:"fingerprint,omitempty"`
	StartsAt    time.Time `json:"startsAt,omitzero"`
	Service     string    `json:"service,omitempty"`
	Stack       string    `json:"stack,omitempty"`
	Direction   string    `json:"direction,omitempty"` // up or down
	From        uint64    `json:"from"`
	To          uint64    `json:"to"`
	Decision    string    `json:"decision"`
	Reason      string    `json:"reason,omitempty"`
	// Actor is who the decision was taken for: "alertmanager:<hook id>" for a delivery to
	// a hook; Source is the address the delivery came from.
	Actor  string `json:"actor,omitempty"`
	Source string `json:"source,omitempty"`
}

// HookResponse is the answer to a delivery: one decision per alert.
type HookResponse struct {
	Decisions []ScaleDecision `json:"decisions"`
}

// CreateHook creates a hook and returns it with its token.
func (c *Client) CreateHook(ctx context.Context, req HookCreateRequest) (HookSecret, error) {
	var out HookSecret
	_, err := c.do(ctx, http.MethodPost, "/api/v1/hooks", nil, req, &out)
	return out, err
}

// ListHooks lists every hook (never their tokens).
func (c *Client) ListHooks(ctx context.Context) ([]Hook, error) {
	var out []Hook
	_, err := c.do(ctx, http.MethodGet, "/api/v1/hooks", nil, nil, &out)
	return out, err
}

// InspectHook returns one hook by ID or unique ID prefix.
func (c *Client) InspectHook(ctx context.Context, id string) (Hook, error) {
	var out Hook
	_, err := c.do(ctx, http.MethodGet, "/api/v1/hooks/"+escape(id), nil, nil, &out)
	return out, err
}

// RotateHook replaces the hook's token; the old one stops working at once.
func (c *Client) RotateHook(ctx context.Context, id string) (HookSecret, error) {
	var out HookSecret
	_, err := c.do(ctx, http.MethodPost, "/api/v1/hooks/"+escape(id)+"/rotate", nil, nil, &out)
	return out, err
}

// RevokeHook makes a hook's token stop working; the hook stays listed, as revoked.
func (c *Client) RevokeHook(ctx context.Context, id string) (Hook, error) {
	var out Hook
	_, err := c.do(ctx, http.MethodPost, "/api/v1/hooks/"+escape(id)+"/revoke", nil, nil, &out)
	return out, err
}

// RemoveHook revokes a hook.
func (c *Client) RemoveHook(ctx context.Context, id string) error {
	_, err := c.do(ctx, http.MethodDelete, "/api/v1/hooks/"+escape(id), nil, nil, nil)
	return err
}

// ScaleHistory lists recorded scale decisions, oldest first. hook and stack filter when
// not empty.
func (c *Client) ScaleHistory(ctx context.Context, hook, stack string) ([]ScaleDecision, error) {
	q := url.Values{}
	if hook != "" {
		q.Set("hook", hook)
	}
	if stack != "" {
		q.Set("stack", stack)
	}
	var out []ScaleDecision
	_, err := c.do(ctx, http.MethodGet, "/api/v1/scaling/history", q, nil, &out)
	return out, err
}
