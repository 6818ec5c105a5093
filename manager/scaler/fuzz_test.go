package scaler

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/exos-platform/exos/manager/api"
)

// fuzzHooks are the hook shapes an alert is resolved against: each takes a different path
// through resolveTarget (one service named by the hook, none, auto with its scale label).
var fuzzHooks = []api.Hook{
	{ID: "up", Action: api.ActionUp, Services: []string{"shop_web"}},
	{ID: "down", Action: api.ActionDown, Services: []string{"shop_web", "shop_api"}},
	{ID: "auto", Action: api.ActionAuto},
}

// FuzzPayload feeds arbitrary delivery bodies to the decoder every delivery reaches once
// its token is accepted: anyone holding a hook's token can send anything. A body is either refused with a 4xx, or
// accepted, re-encodes to a body that is accepted again and encodes the same (so what
// EXOS records of it is what it acted on), and every alert in it resolves to a target
// or a problem.
func FuzzPayload(f *testing.F) {
	for _, seed := range []string{
		payloadString(firing("web_app", "up", "f1")),
		payloadString(firing("", "", "f2"), testAlert{status: "resolved", service: "web", fingerprint: "f2", startsAt: t0}),
		payloadString(testAlert{status: "pending", service: "web", scale: "sideways", fingerprint: "f3", startsAt: t0}),
		payloadString(testAlert{status: "firing", service: "web"}),
		`{"version":"4",`,
		`{"version":"3","alerts":[{}]}`,
		`{"version":"4","alerts":[]}`,
		`{"version":"4","alerts":null}`,
		`{"version":"4","alerts":[{"startsAt":"0000-01-01T00:00:00+23:59","fingerprint":"x","status":"firing"}]}`,
		`{"version":"4","truncatedAlerts":18446744073709551615,"alerts":[{"labels":{"service":"\ud800"}}]}`,
		`null`,
		`[]`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		msg, err := parseMessage(bytes.NewReader(body))
		if err != nil {
			if s := api.StatusOf(err); s < 400 || s > 499 {
				t.Fatalf("refused with status %d, want 4xx: %v", s, err)
			}
			if err.Error() == "" {
				t.Fatal("refused without a message")
			}
			return
		}
		again := reencode(t, msg)
		msg2, err := parseMessage(bytes.NewReader(again))
		if err != nil {
			t.Fatalf("re-encoded body refused: %v\n%s", err, again)
		}
		if third := reencode(t, msg2); !bytes.Equal(again, third) {
			t.Fatalf("re-encoding is not stable:\n%s\n%s", again, third)
		}
		for _, h := range fuzzHooks {
			checkTargets(t, h, msg)
		}
	})
}

func reencode(t *testing.T, msg *message) []byte {
	t.Helper()
	out, err := json.Marshal(msg)
	if err != nil {
		t.Fatalf("accepted body does not re-encode: %v", err)
	}
	return out
}

// checkTargets: every alert becomes exactly one target or one problem, keyed by its index.
func checkTargets(t *testing.T, h api.Hook, msg *message) {
	ts, problems := targets(h, msg)
	if len(ts)+len(problems) != len(msg.Alerts) {
		t.Fatalf("hook %s: %d alerts gave %d targets and %d problems", h.ID, len(msg.Alerts), len(ts), len(problems))
	}
	for _, tg := range ts {
		if tg.service == "" || tg.signal.Episode == "" {
			t.Fatalf("hook %s: target without service or episode: %+v", h.ID, tg)
		}
		if tg.signal.Direction != api.ActionUp && tg.signal.Direction != api.ActionDown {
			t.Fatalf("hook %s: target direction %q", h.ID, tg.signal.Direction)
		}
	}
	for _, p := range problems {
		if !strings.HasPrefix(p.Key, "alerts[") || p.Message == "" {
			t.Fatalf("hook %s: problem without key or message: %+v", h.ID, p)
		}
	}
}
