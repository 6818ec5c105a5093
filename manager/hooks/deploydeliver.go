package hooks

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"path"
	"slices"
	"strings"
	"time"

	"github.com/exos-platform/exos/manager/api"
	"github.com/exos-platform/exos/manager/state"
)

// Delivery is what a delivery to a deploy hook was answered, for the server to write and
// audit: the HTTP status (202 queued, 200 nothing to do) and the body.
type Delivery struct {
	Status int
	Answer api.DeployAccepted
	Hook   api.Hook // zero when authentication failed
	Record api.DeployDelivery
	// queued is the deployment this delivery queued, whose own outcome waits until the
	// delivery is recorded, so the history never shows it deployed before accepted.
	queued *deployment
}

// Deliver handles one delivery to deploy hook id from remoteAddr: authenticate, read the
// body, check the push against the hook's scope, pin its tag to a digest, and queue the
// deploy. Everything that can refuse the push happens before the answer, so a CI sees
// 400 (malformed), 403 (outside the hook's scope), 422 (unknown tag) or 502 (registry
// down, with Retry-After) directly; the deploy itself runs after. The error carries the
// status; 401 is the same for every authentication failure.
func (d *Deploys) Deliver(ctx context.Context, id, token, remoteAddr string, query url.Values, body []byte) (Delivery, error) {
	hook, err := d.Hooks.Authenticate(api.HookKindDeploy, id, token)
	if err != nil {
		d.Hooks.CountRejected(id)
		return Delivery{}, err
	}
	if !d.limits.Allow(hook.ID) {
		return Delivery{Hook: hook}, api.Errorf(api.ErrTooManyRequests, "hook %s is over its rate limit; slow down", hook.ID)
	}
	rec := api.DeployDelivery{Hook: hook.ID, Stack: hook.Stack, Actor: api.DeployHookActor(hook.ID), Source: remoteAddr}
	out, err := d.deliver(ctx, hook, query, body, &rec)
	if err != nil {
		rec.Outcome, rec.Status, rec.Reason = api.DeliveryRejected, api.StatusOf(err), err.Error()
		out.Status = rec.Status
	}
	out.Hook = hook
	out.Record = d.record(rec)
	if out.queued != nil {
		close(out.queued.recorded)
	}
	return out, err
}

func (d *Deploys) deliver(ctx context.Context, hook api.Hook, query url.Values, body []byte, rec *api.DeployDelivery) (Delivery, error) {
	payload, err := DetectPayload(body, query)
	if err != nil {
		return Delivery{}, err
	}
	rec.Format = payload.Format
	pushes, seen, dup := d.unseen(payload.Pushes)
	if len(pushes) == 0 && seen > 0 {
		rec.Outcome, rec.Status, rec.Deployment, rec.Reason = api.DeliveryDuplicate, http.StatusOK, dup, "the registry sent these events before"
		return Delivery{Status: http.StatusOK, Answer: d.answer(hook, dup, api.DeployAccepted{Duplicate: true})}, nil
	}
	push, services, ignored, err := d.choose(hook, payload, pushes)
	if err != nil {
		return Delivery{}, err
	}
	if services == nil {
		d.markSeen(pushes, "")
		rec.Outcome, rec.Status, rec.Reason = api.DeliveryIgnored, http.StatusOK, strings.Join(ignored, "; ")
		return Delivery{Status: http.StatusOK, Answer: api.DeployAccepted{Status: api.DeliveryIgnored, Ignored: len(ignored), Reason: rec.Reason}}, nil
	}
	pinned, err := d.pin(ctx, hook, push)
	if err != nil {
		return Delivery{}, err
	}
	rec.Image = pinned
	dep, outcome := d.enqueue(hook, payload.Format, pinned, services, rec)
	rec.Outcome, rec.Status = outcome, http.StatusAccepted
	switch outcome {
	case api.DeliveryUnchanged:
		d.markSeen(pushes, "")
		rec.Status, rec.Reason = http.StatusOK, "the services already run "+pinned
		return Delivery{Status: http.StatusOK, Answer: api.DeployAccepted{Status: api.DeploymentConverged, Image: pinned, Unchanged: true, Reason: rec.Reason}}, nil
	case api.DeliveryDuplicate:
		rec.Reason = "the same image is already queued for the stack"
	}
	d.markSeen(pushes, dep.id)
	rec.Deployment = dep.id
	out := Delivery{Status: http.StatusAccepted, Answer: d.answer(hook, dep.id, api.DeployAccepted{Image: pinned, Duplicate: outcome == api.DeliveryDuplicate})}
	if outcome == api.DeliveryAccepted {
		out.queued = dep
	}
	return out, nil
}

// answer fills in the deployment's ID, status URL and current status.
func (d *Deploys) answer(hook api.Hook, deploymentID string, a api.DeployAccepted) api.DeployAccepted {
	a.DeploymentID, a.StatusURL = deploymentID, StatusPath(hook.ID, deploymentID)
	if dep, ok := d.deployment(deploymentID); ok {
		a.Status = d.status(dep).Status
		if a.Image == "" {
			a.Image = dep.image
		}
	}
	return a
}

// StatusPath is where a deployment's status is read, with the hook's token.
func StatusPath(hookID, deploymentID string) string {
	return "/hooks/v1/deploy/" + hookID + "/deployments/" + deploymentID
}

// choose picks the push to deploy and the services it goes to. A delivery with several
// pushes (a registry batching events) deploys the newest one in scope. Events of a
// registry notification outside the hook's scope are ignored, not refused: a registry
// notifies every endpoint of every repository, and retries any refusal without end.
// services is nil when nothing is to be deployed.
func (d *Deploys) choose(hook api.Hook, payload Payload, pushes []Push) (Push, []*state.Service, []string, error) {
	ignored := payload.Ignored
	for i := len(pushes) - 1; i >= 0; i-- {
		p := pushes[i]
		err := checkTag(hook, p)
		var services []*state.Service
		if err == nil {
			services, err = d.targets(hook, p)
		}
		if err == nil {
			return p, services, ignored, nil
		}
		if payload.Format != FormatRegistry || !errors.Is(err, api.ErrForbidden) {
			return Push{}, nil, nil, err
		}
		ignored = append(ignored, err.Error())
	}
	return Push{}, nil, ignored, nil
}

// checkTag refuses a tag the hook's pattern does not match.
func checkTag(hook api.Hook, p Push) error {
	if hook.TagPattern == "" {
		return nil
	}
	if p.Tag == "" {
		return api.Errorf(api.ErrForbidden, "the push has no tag, and hook %s deploys only tags matching %q", hook.ID, hook.TagPattern)
	}
	if ok, _ := path.Match(hook.TagPattern, p.Tag); !ok { // the pattern was checked at creation
		return api.Errorf(api.ErrForbidden, "tag %q does not match hook %s's tag pattern %q; nothing was deployed", p.Tag, hook.ID, hook.TagPattern)
	}
	return nil
}

// targets returns the services of the hook's scope that run the push's repository (the
// hook's when the push names none). The hook's repository restricts what it deploys; a
// push of any other repository is outside its scope.
func (d *Deploys) targets(hook api.Hook, p Push) ([]*state.Service, error) {
	all := d.swarm.ServicesByStack(nil, hook.Stack)
	if len(all) == 0 {
		return nil, api.Errorf(api.ErrConflict, "stack %s has no services; deploy it before pushing to its hook", hook.Stack)
	}
	scope := all
	if hook.Service != "" {
		svc := serviceNamed(all, hook.Stack, hook.Service)
		if svc == nil {
			return nil, api.Errorf(api.ErrConflict, "stack %s no longer has service %s; the hook deploys nothing", hook.Stack, hook.Service)
		}
		scope = []*state.Service{svc}
	}
	repo := p.Repository
	if hook.Repository != "" {
		if repo != "" && repo != hook.Repository {
			return nil, api.Errorf(api.ErrForbidden, "repository %s is outside the scope of hook %s, which deploys %s; nothing was deployed", repo, hook.ID, hook.Repository)
		}
		repo = hook.Repository
	}
	if repo == "" {
		if len(scope) == 1 {
			return scope, nil
		}
		return nil, api.Errorf(api.ErrInvalid, `the delivery names no image, and stack %s has %d services: send {"image":"REPO","tag":"TAG"}, or scope the hook to one service or repository`, hook.Stack, len(scope))
	}
	var out []*state.Service
	var running []string
	for _, svc := range scope {
		r := imageRepository(serviceImage(svc))
		if r == repo {
			out = append(out, svc)
		} else if !slices.Contains(running, r) {
			running = append(running, r)
		}
	}
	if len(out) == 0 {
		return nil, api.Errorf(api.ErrForbidden, "repository %s is outside the scope of hook %s: %s runs %s; nothing was deployed", repo, hook.ID, scopeName(hook), strings.Join(running, ", "))
	}
	// By name, so that a stack hook deploys its services (one revision each) in the
	// same order every time, whatever order the index holds them in.
	slices.SortFunc(out, func(a, b *state.Service) int { return strings.Compare(a.Name, b.Name) })
	return out, nil
}

func scopeName(hook api.Hook) string {
	if hook.Service != "" {
		return "service " + hook.Stack + "_" + hook.Service
	}
	return "stack " + hook.Stack
}

// pin returns repo:tag@digest: the push's own digest when it carries one (a registry
// notification's is exactly what was pushed), else the one the registry resolves the tag
// to, with the stack's environment's registry credentials.
func (d *Deploys) pin(ctx context.Context, hook api.Hook, p Push) (string, error) {
	repo := p.Repository
	if repo == "" {
		repo = hook.Repository
	}
	if repo == "" {
		services, err := d.targets(hook, p)
		if err != nil {
			return "", err
		}
		repo = imageRepository(serviceImage(services[0]))
	}
	image := repo
	if p.Tag != "" {
		image += ":" + p.Tag
	}
	if p.Digest != "" {
		return image + "@" + p.Digest, nil
	}
	env, _ := d.stacks.Env(hook.Stack)
	// An image of no registry EXOS knows is deployed by its tag (known is false), as
	// set-image does: Swarm's nodes resolve it themselves.
	pinned, _, _, err := d.resolver.Resolve(ctx, image, env)
	if err != nil {
		return "", resolveError(image, err)
	}
	return pinned, nil
}

// resolveError keeps the resolver's 422 (a tag the registry lacks); anything else is the
// registry's failure: 502, with a Retry-After.
func resolveError(image string, err error) error {
	if errors.Is(err, api.ErrUnprocessable) {
		return fmt.Errorf("%w: cannot deploy %s: %v; nothing was deployed", api.ErrUnprocessable, image, err)
	}
	return retryLater{fmt.Errorf("%w: cannot resolve %s: %v; nothing was deployed, retry later", api.ErrBadGateway, image, err)}
}

// retryAfter is how long a CI should wait before retrying a push the registry could not
// resolve.
const retryAfter = 30 * time.Second

// retryLater is an error answered with Retry-After.
type retryLater struct{ error }

func (e retryLater) Unwrap() error { return e.error }

// RetryAfter is what the server sends in Retry-After.
func (retryLater) RetryAfter() time.Duration { return retryAfter }

// runsAlready reports whether every service runs the pinned image (see sameImage).
func runsAlready(services []*state.Service, pinned string) bool {
	for _, svc := range services {
		if !sameImage(serviceImage(svc), pinned) {
			return false
		}
	}
	return true
}

func names(services []*state.Service) []string {
	out := make([]string, 0, len(services))
	for _, svc := range services {
		out = append(out, svc.Name)
	}
	return out
}

// unseen drops the registry events already received (a registry retries what it thinks
// was lost), and returns how many it dropped and the deployment the last of them made
// ("" if none).
func (d *Deploys) unseen(pushes []Push) (out []Push, seen int, deployment string) {
	d.mu.Lock()
	defer d.mu.Unlock()
	for _, p := range pushes {
		id, ok := "", false
		if p.EventID != "" {
			id, ok = d.events.get(p.EventID)
		}
		if !ok {
			out = append(out, p)
			continue
		}
		seen++
		if id != "" {
			deployment = id
		}
	}
	return out, seen, deployment
}

func (d *Deploys) markSeen(pushes []Push, deploymentID string) {
	d.mu.Lock()
	defer d.mu.Unlock()
	for _, p := range pushes {
		if p.EventID != "" {
			d.events.put(p.EventID, deploymentID)
		}
	}
}

// record adds a delivery, or what became of one, to the history, with its time.
func (d *Deploys) record(rec api.DeployDelivery) api.DeployDelivery {
	if rec.Time.IsZero() {
		rec.Time = d.now().UTC()
	}
	d.History.Add(rec)
	return rec
}
