package scaler

import (
	"context"
	"fmt"
	"net/http"
	"strings"

	"github.com/exos-platform/exos/manager/api"
	"github.com/exos-platform/exos/manager/state"
)

// CreateHook creates a hook for author, calling from remoteAddr, after checking that the
// services it names exist and can scale: a hook that could never work is refused now, not
// at the first alert.
func (s *Scaler) CreateHook(ctx context.Context, req api.HookCreateRequest, author, remoteAddr string) (api.HookSecret, error) {
	var problems []api.Problem
	for i, name := range req.Services {
		svc := s.index.ServiceByName(nil, name)
		key := fmt.Sprintf("services[%d]", i)
		switch {
		case managerService(name, svc):
			problems = append(problems, api.Problem{Key: key, Message: managerServiceMessage(name)})
		case svc == nil:
			problems = append(problems, api.Problem{Key: key, Message: fmt.Sprintf("service %q does not exist; deploy its stack first (names are STACK_SERVICE)", name)})
		case svc.Raw.Spec.Mode.Replicated == nil:
			problems = append(problems, api.Problem{Key: key, Message: fmt.Sprintf("service %s is not replicated; only replicated services scale", name)})
		}
	}
	if len(problems) > 0 {
		return api.HookSecret{}, &api.Error{StatusCode: http.StatusBadRequest, Message: "invalid hook; nothing was created", Problems: problems}
	}
	if err := validateCreate(req); err != nil {
		return api.HookSecret{}, err
	}
	hook := api.Hook{
		Kind: req.Kind, Action: req.Action, Services: append([]string{}, req.Services...),
		Step: req.Step, Min: req.Min, Max: req.Max, DryRun: req.DryRun,
	}
	return s.Hooks.Create(ctx, hook, author, remoteAddr)
}

func validateCreate(req api.HookCreateRequest) error {
	var problems []api.Problem
	add := func(key, format string, args ...any) {
		problems = append(problems, api.Problem{Key: key, Message: fmt.Sprintf(format, args...)})
	}
	if req.Kind != api.HookKindScale {
		add("kind", "unknown hook kind %q: the kinds are scale and deploy", req.Kind)
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

// managerService reports whether a service, by its full name or by the stack it is in,
// belongs to the manager's own stack. svc may be nil (not deployed).
func managerService(name string, svc *state.Service) bool {
	return strings.HasPrefix(name, api.ManagerStack+"_") || (svc != nil && svc.Stack == api.ManagerStack)
}

func managerServiceMessage(name string) string {
	return fmt.Sprintf("service %s belongs to the EXOS manager's own stack (%s); hooks cannot scale it", name, api.ManagerStack)
}

// ListHooks lists every hook.
func (s *Scaler) ListHooks() []api.Hook { return s.Hooks.List() }

// InspectHook returns a hook by ID or unique prefix.
func (s *Scaler) InspectHook(ref string) (api.Hook, error) { return s.Hooks.Inspect(ref) }

// RotateHook gives a hook a new token, for author calling from remoteAddr.
func (s *Scaler) RotateHook(ctx context.Context, ref, author, remoteAddr string) (api.HookSecret, error) {
	return s.Hooks.Rotate(ctx, ref, author, remoteAddr)
}

// RemoveHook revokes a hook. Its history stays.
func (s *Scaler) RemoveHook(ctx context.Context, ref string) error {
	hook, err := s.Hooks.Inspect(ref)
	if err != nil {
		return err
	}
	return s.Hooks.Remove(ctx, hook.ID)
}

// ScaleHistory lists decisions, oldest first, for a hook (ID or unique prefix of a live
// hook, or the full ID of a removed one) and/or a stack.
func (s *Scaler) ScaleHistory(hookRef, stack string) []api.ScaleDecision {
	id := hookRef
	if hookRef != "" {
		if h, err := s.Hooks.Inspect(hookRef); err == nil {
			id = h.ID
		}
	}
	return s.History.List(func(d api.ScaleDecision) bool {
		return (id == "" || d.Hook == id) && (stack == "" || d.Stack == stack)
	})
}
