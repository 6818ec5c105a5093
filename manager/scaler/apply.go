package scaler

import (
	"context"
	"encoding/json"
	"strings"

	"github.com/containerd/errdefs"
	"github.com/docker/docker/api/types/swarm"
	composeext "github.com/exos-platform/exos/compose-ext"
	"github.com/exos-platform/exos/manager/api"
	"github.com/exos-platform/exos/manager/state"
	exosswarm "github.com/exos-platform/exos/manager/swarm"
)

// decide decides one plan and carries the decision out, under the lock of the service's
// stack. The fast path (duplicate, cooldown, stabilizing, resolved) reads only the index
// and memory; any outcome that depends on the replicas or the update state reads the
// service from Docker and decides again on what it finds, as the index may lag a step
// taken a moment ago.
func (s *Scaler) decide(ctx context.Context, hook api.Hook, p plan) (api.ScaleDecision, error) {
	d := api.ScaleDecision{
		Time: s.now().UTC(), Hook: hook.ID, Alert: p.alert.Labels["alertname"], Fingerprint: p.alert.Fingerprint,
		StartsAt: p.alert.StartsAt, Service: p.service, Direction: p.signal.Direction,
	}
	if p.svc == nil {
		d.Decision, d.Reason = api.DecisionResolved, "a resolved alert ends its episode; it never scales"
		return d, nil
	}
	d.Stack = p.svc.Stack
	unlock := s.locks.Lock(lockKey(p.svc))
	defer unlock()

	key := memoryKey(p.svc.Name, p.policy.DryRun)
	in := Input{Now: d.Time, Policy: p.policy, Signal: p.signal, Memory: s.recall(key, p.svc)}
	in.Replicas, in.Updating = replicas(p.svc.Raw), updating(p.svc.Raw)
	out := Decide(in)
	var err error
	if dependsOnReplicas(out) {
		out, err = s.step(ctx, p.svc.ID, in, hook, d.Alert)
	}
	if err == nil {
		s.remember(key, out.Memory)
	}
	d.From, d.To, d.Decision, d.Reason = out.From, out.To, out.Decision, out.Reason
	return d, err
}

func dependsOnReplicas(o Outcome) bool {
	switch o.Decision {
	case api.DecisionApplied, api.DecisionDryRun, api.DecisionClamped, api.DecisionDeferred:
		return true
	}
	return false
}

// step reads the service, decides again on its current replicas and applies the outcome
// as a versioned update, reading and deciding again when another writer got there first.
func (s *Scaler) step(ctx context.Context, id string, in Input, hook api.Hook, alert string) (Outcome, error) {
	var out Outcome
	var readErr error
	err := exosswarm.RetryOnConflict(func() error {
		svc, _, err := s.engine.ServiceInspectWithRaw(ctx, id, swarm.ServiceInspectOptions{})
		if err != nil {
			readErr = err
			return err
		}
		in.Replicas, in.Updating = replicas(svc), updating(svc)
		if out = Decide(in); !out.Changes() {
			return nil
		}
		rec := out.Memory.last(in.Signal.Direction)
		rec.Hook, rec.Alert = hook.ID, alert
		_, err = s.engine.ServiceUpdate(ctx, id, svc.Version, withStep(svc.Spec, in.Signal.Direction, rec), swarm.ServiceUpdateOptions{})
		return err
	})
	switch {
	case readErr != nil:
		return failed(in, "cannot read the service: "+readErr.Error()), transient(readErr)
	case err != nil:
		return failed(in, "Docker refused the update: "+err.Error()), transient(err)
	}
	return out, nil
}

// withStep returns spec with the new replicas and the step recorded in a label, so that
// the step and its record reach the Raft store in one write.
func withStep(spec swarm.ServiceSpec, direction string, rec StepRecord) swarm.ServiceSpec {
	to := rec.To
	mode := *spec.Mode.Replicated
	mode.Replicas = &to
	spec.Mode.Replicated = &mode
	labels := make(map[string]string, len(spec.Labels)+1)
	for k, v := range spec.Labels {
		labels[k] = v
	}
	data, _ := json.Marshal(rec) // a struct of strings, numbers and a time always marshals
	labels[stepLabel(direction)] = string(data)
	spec.Labels = labels
	return spec
}

func failed(in Input, reason string) Outcome {
	return Outcome{Decision: api.DecisionFailed, From: in.Replicas, To: in.Replicas, Reason: reason, Memory: in.Memory}
}

// transient classifies a Docker error: a service that vanished is final (4xx), anything
// else may pass, so Alertmanager should retry (503).
func transient(err error) error {
	if errdefs.IsNotFound(err) {
		return api.Errorf(api.ErrNotFound, "the service is gone: %v", err)
	}
	return api.Errorf(api.ErrUnavailable, "Docker failed; retry: %v", err)
}

// recall returns the memory of a service, reading its last steps from its labels the
// first time (after a restart the stabilization window starts again: never early).
func (s *Scaler) recall(key string, svc *state.Service) Memory {
	s.mu.Lock()
	defer s.mu.Unlock()
	if m, ok := s.memory[key]; ok {
		return m
	}
	if strings.HasSuffix(key, dryRunSuffix) {
		return Memory{}
	}
	up, _ := stepOnService(svc.Raw, api.ActionUp)
	down, _ := stepOnService(svc.Raw, api.ActionDown)
	return Memory{LastUp: up, LastDown: down}
}

func (s *Scaler) remember(key string, m Memory) {
	s.mu.Lock()
	s.memory[key] = m
	s.mu.Unlock()
}

// recoverSteps records the steps services carry that the history lacks. It runs once at
// start, so it indexes the recorded steps once rather than scanning the history per service.
func (s *Scaler) recoverSteps() {
	type stepKey struct {
		service, direction string
		at                 int64
	}
	recorded := map[stepKey]bool{}
	for _, d := range s.History.List(func(api.ScaleDecision) bool { return true }) {
		if d.Decision == api.DecisionApplied {
			recorded[stepKey{d.Service, d.Direction, d.Time.UnixNano()}] = true
		}
	}
	for _, svc := range s.index.Services(nil) {
		for _, dir := range []string{api.ActionUp, api.ActionDown} {
			rec, ok := stepOnService(svc.Raw, dir)
			if !ok || recorded[stepKey{svc.Name, dir, rec.At.UnixNano()}] {
				continue
			}
			s.History.Add(api.ScaleDecision{
				Time: rec.At, Hook: rec.Hook, Alert: rec.Alert, Service: svc.Name, Stack: svc.Stack, Direction: dir,
				From: rec.From, To: rec.To, Decision: api.DecisionApplied, Actor: api.HookActor(rec.Hook),
				Reason: "step recorded on the service; the manager stopped before writing it to the history",
			})
		}
	}
}

// stepOnService reads the record of the service's last step in direction, if it has one.
func stepOnService(svc swarm.Service, direction string) (StepRecord, bool) {
	a, _, _ := composeext.AutoscaleFromLabels(svc.Spec.Labels) // the records are read even if the policy is bad
	raw := a.LastDown
	if direction == api.ActionUp {
		raw = a.LastUp
	}
	var rec StepRecord
	if raw == "" || json.Unmarshal([]byte(raw), &rec) != nil {
		return StepRecord{}, false
	}
	return rec, true
}

func (m Memory) last(direction string) StepRecord {
	if direction == api.ActionUp {
		return m.LastUp
	}
	return m.LastDown
}

func stepLabel(direction string) string {
	if direction == api.ActionUp {
		return composeext.LabelAutoscaleLastUp
	}
	return composeext.LabelAutoscaleLastDown
}

const dryRunSuffix = "/dry-run"

func memoryKey(service string, dryRun bool) string {
	if dryRun {
		return service + dryRunSuffix
	}
	return service
}

// lockKey is the stack's lock, so steps and deploys of the stack take turns; a service
// outside any stack has a lock of its own.
func lockKey(svc *state.Service) string {
	if svc.Stack != "" {
		return svc.Stack
	}
	return "service:" + svc.Name
}

func replicas(svc swarm.Service) uint64 {
	if r := svc.Spec.Mode.Replicated; r != nil && r.Replicas != nil {
		return *r.Replicas
	}
	return 0
}

func updating(svc swarm.Service) bool {
	us := svc.UpdateStatus
	return us != nil && (us.State == swarm.UpdateStateUpdating || us.State == swarm.UpdateStateRollbackStarted)
}
