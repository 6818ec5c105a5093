package scaler

import (
	"context"
	"errors"
	"net/http"
	"testing"

	"github.com/docker/docker/api/types/swarm"
	"github.com/exos-platform/exos/manager/api"
	"github.com/exos-platform/exos/manager/state"
	"github.com/prometheus/client_golang/prometheus"
	"gotest.tools/v3/assert"
	is "gotest.tools/v3/assert/cmp"
)

// withManagerService adds the manager's own service, exos_manager (id "mgr1"), with an
// autoscale policy, as if someone had labelled it.
func withManagerService(t *testing.T, r *rig) {
	t.Helper()
	labels := map[string]string{"com.docker.stack.namespace": "exos", "io.exos.autoscale": "true", "io.exos.autoscale.max": "3"}
	svc := swarm.Service{ID: "mgr1", Spec: serviceSpec("exos_manager", 1, labels), Meta: swarm.Meta{Version: swarm.Version{Index: 10}}}
	r.engine.services[svc.ID] = svc
	assert.NilError(t, r.engine.index.UpsertServices(state.NewService(svc)))
}

func TestHookCreateRefusesTheManagerStack(t *testing.T) {
	r := newRig(t)
	withManagerService(t, r)
	for _, name := range []string{"exos_manager", "exos_agent"} { // deployed or not
		_, err := r.s.CreateHook(context.Background(), api.HookCreateRequest{Kind: "scale", Action: api.ActionUp, Services: []string{"web_app", name}}, "carol", "")
		assert.Check(t, is.Equal(api.StatusOf(err), http.StatusBadRequest), name)
		var apiErr *api.Error
		assert.Assert(t, errors.As(err, &apiErr))
		assert.Check(t, is.DeepEqual(apiErr.Problems, []api.Problem{{Key: "services[1]",
			Message: "service " + name + " belongs to the EXOS manager's own stack (exos); hooks cannot scale it"}}))
	}
	assert.Check(t, is.Len(r.s.ListHooks(), 0), "nothing was created")
}

func TestDeliveriesCannotScaleTheManagerStack(t *testing.T) {
	r := newRig(t)
	withManagerService(t, r)
	h := r.hook(t, api.HookCreateRequest{Action: api.ActionAuto})
	_, err := r.deliver(h, payload(firing("exos_manager", "up", "f1"), firing("web_app", "up", "f2")))
	assert.Check(t, is.Equal(api.StatusOf(err), http.StatusBadRequest))
	assert.Check(t, is.ErrorContains(err, "1 of 2 alerts cannot be acted on; nothing was scaled"))
	assert.Check(t, is.ErrorContains(err, "alerts[0]: service exos_manager belongs to the EXOS manager's own stack (exos); hooks cannot scale it"))
	// A resolved alert for it is only recorded: it never scales anything.
	resolved := firing("exos_manager", "up", "f1")
	resolved.status = "resolved"
	resp, err := r.deliver(h, payload(resolved))
	assert.NilError(t, err)
	assert.Check(t, is.DeepEqual(decisions(resp), []string{api.DecisionResolved}))
	assert.Check(t, is.Equal(r.engine.updates, 0))
	assert.Check(t, is.Equal(r.engine.replicas("mgr1"), uint64(1)))
}

func TestBadTokensAreCountedNotRecorded(t *testing.T) {
	r := newRig(t)
	h := r.hook(t, api.HookCreateRequest{Action: api.ActionAuto})
	other := r.hook(t, api.HookCreateRequest{Action: api.ActionAuto})
	ctx := context.Background()
	for _, call := range []struct{ id, token string }{
		{h.ID, h.Token + "x"}, {h.ID, ""}, {h.ID, other.Token}, {"nohook", h.Token}, {"nohook", ""},
	} {
		_, err := r.s.Deliver(ctx, call.id, call.token, "", payload(firing("web_app", "up", "f")))
		assert.Check(t, errors.Is(err, api.ErrUnauthorized))
		assert.Check(t, is.Equal(err.Error(), "invalid hook or token"), "the same answer whatever the cause")
	}
	assert.Check(t, is.Len(r.s.ScaleHistory("", ""), 0), "no delivery is recorded one by one")
	assert.Check(t, is.Equal(r.engine.updates, 0))

	got, err := r.s.InspectHook(h.ID[:6])
	assert.NilError(t, err)
	assert.Check(t, is.Equal(got.RejectedDeliveries, uint64(3)))
	counts := map[string]uint64{}
	for _, l := range r.s.ListHooks() {
		counts[l.ID] = l.RejectedDeliveries
	}
	assert.Check(t, is.DeepEqual(counts, map[string]uint64{h.ID: 3, other.ID: 0}))
	assert.Check(t, is.DeepEqual(rejectedMetric(t, r.s), map[string]float64{"existing": 3, "unknown": 2}), "/metrics names no hook")

	// A rotation keeps the count and stores none of it; a removal drops it.
	rotated, err := r.s.RotateHook(ctx, h.ID, "carol", "")
	assert.NilError(t, err)
	assert.Check(t, is.Equal(rotated.RejectedDeliveries, uint64(3)))
	for _, o := range r.objects.objs {
		assert.Check(t, !is.Contains(string(o.Data), `"rejectedDeliveries":3`)().Success(), "the count is not persisted")
	}
	assert.NilError(t, r.s.RemoveHook(ctx, h.ID[:8]))
	_, err = r.s.Deliver(ctx, h.ID, rotated.Token, "", payload(firing("web_app", "up", "f")))
	assert.Check(t, errors.Is(err, api.ErrUnauthorized))
	assert.Check(t, is.DeepEqual(rejectedMetric(t, r.s), map[string]float64{"existing": 3, "unknown": 3}), "a removed hook is an unknown one")
}

// rejectedMetric reads exos_hook_rejected_deliveries_total by hook label.
func rejectedMetric(t *testing.T, s *Scaler) map[string]float64 {
	t.Helper()
	reg := prometheus.NewRegistry()
	reg.MustRegister(s.Collectors()...)
	families, err := reg.Gather()
	assert.NilError(t, err)
	out := map[string]float64{}
	for _, f := range families {
		if f.GetName() != "exos_hook_rejected_deliveries_total" {
			continue
		}
		for _, m := range f.GetMetric() {
			out[m.GetLabel()[0].GetValue()] = m.GetCounter().GetValue()
		}
	}
	return out
}
