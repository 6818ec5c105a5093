package scaler

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/exos-platform/exos/manager/api"
	"github.com/exos-platform/exos/manager/hooks"
	"gotest.tools/v3/assert"
	is "gotest.tools/v3/assert/cmp"
)

type testAlert struct {
	status, service, scale, fingerprint string
	startsAt                            time.Time
}

func payload(alerts ...testAlert) *strings.Reader {
	var list []map[string]any
	for _, a := range alerts {
		labels := map[string]string{"alertname": "Load"}
		if a.service != "" {
			labels["service"] = a.service
		}
		if a.scale != "" {
			labels["scale"] = a.scale
		}
		list = append(list, map[string]any{
			"status": a.status, "labels": labels, "annotations": map[string]string{},
			"startsAt": a.startsAt, "endsAt": time.Time{}, "fingerprint": a.fingerprint, "generatorURL": "http://prom/graph",
		})
	}
	body, _ := json.Marshal(map[string]any{
		"version": "4", "groupKey": "{}:{alertname=\"Load\"}", "status": "firing", "receiver": "exos",
		"alerts": list, "groupLabels": map[string]string{}, "commonLabels": map[string]string{}, "futureField": 1,
	})
	return strings.NewReader(string(body))
}

func firing(service, scale, fp string) testAlert {
	return testAlert{status: "firing", service: service, scale: scale, fingerprint: fp, startsAt: t0.Add(-time.Minute)}
}

func decisions(resp api.HookResponse) []string {
	var out []string
	for _, d := range resp.Decisions {
		out = append(out, d.Decision)
	}
	return out
}

func TestDuplicateDeliveriesStepOnce(t *testing.T) {
	r := newRig(t)
	h := r.hook(t, api.HookCreateRequest{Action: api.ActionAuto})
	for i := 0; i < 5; i++ {
		resp, err := r.deliver(h, payload(firing("web_app", "up", "f1")))
		assert.NilError(t, err)
		want := api.DecisionDuplicate
		if i == 0 {
			want = api.DecisionApplied
		}
		assert.Check(t, is.DeepEqual(decisions(resp), []string{want}))
	}
	assert.Check(t, is.Equal(r.engine.replicas("svc1"), uint64(4)))
	assert.Check(t, is.Equal(r.engine.updates, 1))
}

func TestStepsSurviveARestart(t *testing.T) {
	r := newRig(t)
	h := r.hook(t, api.HookCreateRequest{Action: api.ActionAuto})
	_, err := r.deliver(h, payload(firing("web_app", "up", "f1")))
	assert.NilError(t, err)
	// The manager dies before the history is written: the step is on the service.
	r.restart(t)
	resp, err := r.deliver(h, payload(firing("web_app", "up", "f1")))
	assert.NilError(t, err)
	assert.Check(t, is.DeepEqual(decisions(resp), []string{api.DecisionDuplicate}), "a step must not repeat after a restart")
	hist := r.s.ScaleHistory(h.ID, "")
	assert.Assert(t, is.Len(hist, 2))
	assert.Check(t, is.Equal(hist[0].Decision, api.DecisionApplied))
	assert.Check(t, is.Contains(hist[0].Reason, "recorded on the service"))

	// A cooldown measured from that step also survives.
	r.clock.Add(30 * time.Second)
	resp, err = r.deliver(h, payload(firing("web_app", "up", "f2")))
	assert.NilError(t, err)
	assert.Check(t, is.DeepEqual(decisions(resp), []string{api.DecisionCooldown}))
}

func TestHistoryIsPersistedAndReloaded(t *testing.T) {
	r := newRig(t)
	h := r.hook(t, api.HookCreateRequest{Action: api.ActionAuto})
	for i := range hooks.SegmentSize + 10 {
		_, err := r.deliver(h, payload(testAlert{status: "resolved", service: "web_app", scale: "up", fingerprint: fmt.Sprint(i), startsAt: t0}))
		assert.NilError(t, err)
		if i%200 == 0 {
			assert.NilError(t, r.s.History.Flush(context.Background()))
		}
	}
	assert.NilError(t, r.s.History.Flush(context.Background()))
	r.restart(t)
	assert.Check(t, is.Len(r.s.ScaleHistory(h.ID, ""), hooks.SegmentSize+10))
	assert.Check(t, is.Len(r.s.ScaleHistory("", "web"), hooks.SegmentSize+10))
	assert.Check(t, is.Len(r.s.ScaleHistory("", "other"), 0))
}

func TestUpWinsWithinOneDelivery(t *testing.T) {
	r := newRig(t)
	h := r.hook(t, api.HookCreateRequest{Action: api.ActionAuto})
	resp, err := r.deliver(h, payload(firing("web_app", "down", "d1"), firing("web_app", "up", "u1")))
	assert.NilError(t, err)
	assert.Check(t, is.DeepEqual(decisions(resp), []string{api.DecisionApplied, api.DecisionStabilizing}))
}

func TestBadDeliveriesChangeNothing(t *testing.T) {
	r := newRig(t)
	h := r.hook(t, api.HookCreateRequest{Action: api.ActionAuto})
	cases := []struct {
		name   string
		body   string
		status int
		msg    string
	}{
		{"malformed JSON", `{"version":"4",`, 400, "not valid JSON"},
		{"wrong version", `{"version":"3","alerts":[{}]}`, 400, `version "3"`},
		{"no alerts", `{"version":"4","alerts":[]}`, 400, "no alerts"},
		{"huge body", `{"version":"4","pad":"` + strings.Repeat("x", MaxBody) + `"}`, 413, "larger than"},
		{"unknown service", payloadString(firing("web_nope", "up", "f")), 400, `service "web_nope" does not exist`},
		{"no direction", payloadString(firing("web_app", "", "f")), 400, "labels.scale"},
		{"service without policy", payloadString(firing("web_db", "up", "f")), 400, "no autoscale policy"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			before := len(r.s.ScaleHistory(h.ID, ""))
			_, err := r.deliver(h, strings.NewReader(tc.body))
			assert.Check(t, is.Equal(api.StatusOf(err), tc.status))
			assert.Check(t, is.ErrorContains(err, tc.msg))
			hist := r.s.ScaleHistory(h.ID, "")
			assert.Assert(t, len(hist) > before, "bad input must be recorded")
			assert.Check(t, is.Equal(hist[len(hist)-1].Decision, api.DecisionRejected))
		})
	}
	assert.Check(t, is.Equal(r.engine.updates, 0))
}

func payloadString(alerts ...testAlert) string {
	var b strings.Builder
	_, _ = payload(alerts...).WriteTo(&b)
	return b.String()
}

func TestTokens(t *testing.T) {
	r := newRig(t)
	h := r.hook(t, api.HookCreateRequest{Action: api.ActionAuto})
	assert.Check(t, len(h.Token) >= 43, "256-bit token")
	for name, call := range map[string]func() error{
		"wrong token": func() error {
			_, err := r.s.Deliver(context.Background(), h.ID, h.Token+"x", "", payload())
			return err
		},
		"no token": func() error { _, err := r.s.Deliver(context.Background(), h.ID, "", "", payload()); return err },
		"unknown hook": func() error {
			_, err := r.s.Deliver(context.Background(), "nohook", h.Token, "", payload())
			return err
		},
	} {
		err := call()
		assert.Check(t, errors.Is(err, api.ErrUnauthorized), name)
		assert.Check(t, is.Equal(err.Error(), "invalid hook or token"), name)
	}
	rotated, err := r.s.RotateHook(context.Background(), h.ID[:8], "carol", "10.0.0.8:5000")
	assert.NilError(t, err)
	_, err = r.deliver(h, payload(firing("web_app", "up", "f")))
	assert.Check(t, errors.Is(err, api.ErrUnauthorized), "the old token is revoked by a rotation")
	_, err = r.deliver(rotated, payload(firing("web_app", "up", "f")))
	assert.NilError(t, err)
	assert.NilError(t, r.s.RemoveHook(context.Background(), h.ID))
	_, err = r.deliver(rotated, payload(firing("web_app", "up", "f")))
	assert.Check(t, errors.Is(err, api.ErrUnauthorized), "a removed hook is revoked")
	for _, o := range r.objects.objs {
		assert.Check(t, !strings.Contains(string(o.Data), rotated.Token), "a token is stored in clear")
	}
}

func TestHookScope(t *testing.T) {
	r := newRig(t)
	one, four := uint64(1), uint64(4)
	h := r.hook(t, api.HookCreateRequest{Action: api.ActionUp, Services: []string{"web_db"}, Max: &four, Step: &one})
	// The hook names web_db, which has no policy: the hook's --max makes it scalable.
	resp, err := r.deliver(h, payload(firing("", "", "f1")))
	assert.NilError(t, err)
	assert.Check(t, is.DeepEqual(decisions(resp), []string{api.DecisionApplied}))
	assert.Check(t, is.Equal(r.engine.replicas("svc2"), uint64(2)))
	// The short name is accepted for a service the hook names.
	resp, err = r.deliver(h, payload(firing("db", "", "f1")))
	assert.NilError(t, err)
	assert.Check(t, is.DeepEqual(decisions(resp), []string{api.DecisionDuplicate}))
	// Another service is out of scope, even an autoscaled one.
	_, err = r.deliver(h, payload(firing("web_app", "", "f2")))
	assert.Check(t, is.ErrorContains(err, "outside the hook's scope"))
	assert.Check(t, is.Equal(r.engine.replicas("svc1"), uint64(2)))

	_, err = r.s.CreateHook(context.Background(), api.HookCreateRequest{Kind: "scale", Action: api.ActionUp, Services: []string{"web_nope"}}, "carol", "")
	assert.Check(t, is.ErrorContains(err, `service "web_nope" does not exist`))
	_, err = r.s.CreateHook(context.Background(), api.HookCreateRequest{Kind: "scale", Action: api.ActionUp}, "carol", "")
	assert.Check(t, is.ErrorContains(err, "must name the services"))
}

func TestRacesAndDockerFailures(t *testing.T) {
	r := newRig(t)
	h := r.hook(t, api.HookCreateRequest{Action: api.ActionAuto})
	r.engine.raceOnce = true
	resp, err := r.deliver(h, payload(firing("web_app", "up", "f1")))
	assert.NilError(t, err, "an out-of-sequence update is retried")
	assert.Check(t, is.DeepEqual(decisions(resp), []string{api.DecisionApplied}))

	r.clock.Add(2 * time.Minute)
	r.engine.failWith = errors.New("connection refused")
	resp, err = r.deliver(h, payload(firing("web_app", "up", "f2")))
	assert.Check(t, is.Equal(api.StatusOf(err), 503), "Alertmanager must retry a Docker failure")
	assert.Check(t, is.DeepEqual(decisions(resp), []string{api.DecisionFailed}))
	r.engine.failWith = nil
	resp, err = r.deliver(h, payload(firing("web_app", "up", "f2")))
	assert.NilError(t, err)
	assert.Check(t, is.DeepEqual(decisions(resp), []string{api.DecisionApplied}), "the retry is not a duplicate of the failed attempt")
	assert.Check(t, is.Equal(r.engine.replicas("svc1"), uint64(6)))
}

// Hooks keep who created and rotated them, and every decision of a delivery is the
// hook's, from the delivery's address.
func TestHooksAndDecisionsRecordTheirAuthors(t *testing.T) {
	r := newRig(t)
	ctx := context.Background()
	h := r.hook(t, api.HookCreateRequest{Action: api.ActionAuto})
	assert.Check(t, is.Equal(h.CreatedBy, "carol"))
	assert.Check(t, is.Equal(h.CreatedFrom, "10.0.0.7:41000"))
	rotated, err := r.s.RotateHook(ctx, h.ID, "dave (token ci)", "10.0.0.8:5000")
	assert.NilError(t, err)

	reloaded := hooks.NewRegistry(r.objects, time.Now)
	assert.NilError(t, reloaded.Load(ctx))
	stored, err := reloaded.Inspect(h.ID)
	assert.NilError(t, err)
	assert.Check(t, is.Equal(stored.CreatedBy, "carol"))
	assert.Check(t, is.Equal(stored.RotatedBy, "dave (token ci)"))
	assert.Check(t, is.Equal(stored.RotatedFrom, "10.0.0.8:5000"))

	resp, err := r.deliver(rotated, payload(firing("web_app", "up", "f")))
	assert.NilError(t, err)
	assert.Assert(t, is.Len(resp.Decisions, 1))
	assert.Check(t, is.Equal(resp.Decisions[0].Actor, "alertmanager:"+h.ID))
	assert.Check(t, is.Equal(resp.Decisions[0].Source, "10.0.0.9:9093"))
	history := r.s.ScaleHistory(h.ID, "")
	assert.Assert(t, is.Len(history, 1))
	assert.Check(t, is.Equal(history[0].Actor, "alertmanager:"+h.ID))
}
