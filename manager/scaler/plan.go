package scaler

import (
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/exos-platform/exos/manager/api"
	"github.com/exos-platform/exos/manager/state"
)

// plan is one alert resolved to a service and the policy that governs it. svc is nil only
// for a resolved alert whose service cannot be found: it needs none.
type plan struct {
	target
	svc    *state.Service
	policy Policy
}

// plan resolves every alert of msg. A delivery with any firing alert that cannot be
// resolved (no such service, out of the hook's scope, no policy) is refused as a whole,
// with one problem per alert: nothing of it is applied, and each alert is recorded.
func (s *Scaler) plan(hook api.Hook, msg *message, source string) ([]plan, error) {
	ts, problems := targets(hook, msg)
	var plans []plan
	for _, t := range ts {
		p, err := s.resolve(hook, t)
		if err != nil && t.signal.Firing {
			problems = append(problems, api.Problem{Key: fmt.Sprintf("alerts[%d]", t.index), Message: err.Error()})
			continue
		}
		plans = append(plans, p)
	}
	if len(problems) == 0 {
		return plans, nil
	}
	slices.SortFunc(problems, func(a, b api.Problem) int { return strings.Compare(a.Key, b.Key) })
	for _, pr := range problems {
		s.record(api.ScaleDecision{Hook: hook.ID, Decision: api.DecisionRejected, Reason: pr.Key + ": " + pr.Message}, source)
	}
	return nil, &api.Error{
		StatusCode: http.StatusBadRequest,
		Message:    fmt.Sprintf("%d of %d alerts cannot be acted on; nothing was scaled", len(problems), len(msg.Alerts)),
		Problems:   problems,
	}
}

func (s *Scaler) resolve(hook api.Hook, t target) (plan, error) {
	p := plan{target: t}
	svc := s.lookup(hook, t.service)
	if svc == nil {
		return p, fmt.Errorf("service %q does not exist", t.service)
	}
	if managerService(svc.Name, svc) {
		// p.svc stays nil: not even a resolved alert takes the manager's stack lock.
		return p, fmt.Errorf("%s", managerServiceMessage(svc.Name))
	}
	p.svc, p.service = svc, svc.Name
	if len(hook.Services) > 0 && !slices.Contains(hook.Services, svc.Name) {
		return p, fmt.Errorf("service %s is outside the hook's scope (%s)", svc.Name, scopeText(hook))
	}
	if svc.Raw.Spec.Mode.Replicated == nil {
		return p, fmt.Errorf("service %s is not a replicated service; only replicated services scale", svc.Name)
	}
	policy, err := PolicyFromLabels(svc.Raw.Spec.Labels)
	if err != nil {
		return p, fmt.Errorf("service %s has a bad autoscale policy: %v", svc.Name, err)
	}
	if len(hook.Services) == 0 && !policy.FromLabels {
		return p, fmt.Errorf("service %s has no autoscale policy; a hook without --service scales only services deployed with one", svc.Name)
	}
	if p.policy, err = policy.withHook(hook); err != nil {
		return p, fmt.Errorf("service %s: %v", svc.Name, err)
	}
	return p, nil
}

// lookup finds a service by its full name, or by its name within its stack when the hook
// names exactly one service of that name (alerts often carry the short name).
func (s *Scaler) lookup(hook api.Hook, name string) *state.Service {
	if svc := s.index.ServiceByName(nil, name); svc != nil {
		return svc
	}
	var match string
	for _, full := range hook.Services {
		if strings.HasSuffix(full, "_"+name) {
			if match != "" {
				return nil
			}
			match = full
		}
	}
	if match == "" {
		return nil
	}
	return s.index.ServiceByName(nil, match)
}
