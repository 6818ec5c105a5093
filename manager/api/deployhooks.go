package api

import (
	"context"
	"net/http"
	"net/url"
	"time"
)

// DeployHookActor is who a delivery to deploy hook id acts as, in revisions, deliveries
// and the audit log.
func DeployHookActor(id string) string { return "hook:" + id }

// Deployment statuses, as the status URL answers them. Pending: waiting for an earlier
// deploy of the stack; converging: the revision is made and Swarm is rolling it out;
// converged: every task of the services runs the new image; rolled_back: Swarm rolled
// the rollout back (the old image still serves); failed: the deploy could not be made
// or Swarm paused it; superseded: a newer push to the stack replaced it before it ran,
// or a later revision has since changed the image.
const (
	DeploymentPending    = "pending"
	DeploymentConverging = "converging"
	DeploymentConverged  = "converged"
	DeploymentRolledBack = "rolled_back"
	DeploymentFailed     = "failed"
	DeploymentSuperseded = "superseded"
)

// DeployAccepted is the answer to a delivery to a deploy hook: 202 with the deployment to
// poll, or 200 when the services already run the image (Unchanged) or the delivery asked
// for nothing (Ignored: registry events that are not a tagged push in the hook's scope).
type DeployAccepted struct {
	DeploymentID string `json:"deployment_id,omitempty"`
	StatusURL    string `json:"status_url,omitempty"`
	Status       string `json:"status"`
	Image        string `json:"image,omitempty"` // repo:tag@digest
	Unchanged    bool   `json:"unchanged,omitempty"`
	Duplicate    bool   `json:"duplicate,omitempty"`
	Ignored      int    `json:"ignored,omitempty"`
	Reason       string `json:"reason,omitempty"`
}

// Deployment is one accepted push and where it stands.
type Deployment struct {
	ID       string   `json:"deployment_id"`
	Hook     string   `json:"hook"`
	Stack    string   `json:"stack"`
	Services []string `json:"services"`
	Image    string   `json:"image"` // repo:tag@digest
	Format   string   `json:"format"`
	Status   string   `json:"status"`
	Reason   string   `json:"reason,omitempty"`
	// Revisions are the stack revisions the deploy made, one per service.
	Revisions    []int     `json:"revisions,omitempty"`
	SupersededBy string    `json:"superseded_by,omitempty"`
	ReceivedAt   time.Time `json:"received_at"`
	Actor        string    `json:"actor"`
	Source       string    `json:"source,omitempty"`
}

// Deploy delivery outcomes, as the history records them.
const (
	DeliveryAccepted   = "accepted"   // a deployment was queued (202)
	DeliveryUnchanged  = "unchanged"  // the services already run the digest (200)
	DeliveryDuplicate  = "duplicate"  // the same push is queued or was seen (event id)
	DeliveryIgnored    = "ignored"    // a registry event that asks for no deploy
	DeliveryRejected   = "rejected"   // bad body, out of scope, unknown tag, registry down
	DeliverySuperseded = "superseded" // a newer push replaced it before it ran
	DeliveryDeployed   = "deployed"   // the revision was made; its rollout is followed
	DeliveryFailed     = "failed"     // the deploy could not be made, or its rollout failed
)

// How a deployed push's rollout ended, as the history records it after "deployed"
// (with DeliveryFailed, and DeliverySuperseded when a later revision changed the image).
const (
	DeliveryConverged  = "converged"   // every task runs the image
	DeliveryRolledBack = "rolled_back" // Swarm rolled the rollout back; the old image serves
)

// DeployDelivery is one recorded delivery to a deploy hook, or what became of it.
type DeployDelivery struct {
	Time       time.Time `json:"time"`
	Hook       string    `json:"hook"`
	Stack      string    `json:"stack,omitempty"`
	Format     string    `json:"format,omitempty"`
	Image      string    `json:"image,omitempty"`
	Outcome    string    `json:"outcome"`
	Status     int       `json:"status,omitempty"` // the HTTP status answered
	Deployment string    `json:"deployment,omitempty"`
	Revision   int       `json:"revision,omitempty"`
	Reason     string    `json:"reason,omitempty"`
	Actor      string    `json:"actor,omitempty"`
	Source     string    `json:"source,omitempty"`
}

// DeployHistory lists recorded deliveries to deploy hooks, oldest first; hook and stack
// filter when not empty.
func (c *Client) DeployHistory(ctx context.Context, hook, stack string) ([]DeployDelivery, error) {
	q := url.Values{}
	if hook != "" {
		q.Set("hook", hook)
	}
	if stack != "" {
		q.Set("stack", stack)
	}
	var out []DeployDelivery
	_, err := c.do(ctx, http.MethodGet, "/api/v1/deploy-hooks/history", q, nil, &out)
	return out, err
}
