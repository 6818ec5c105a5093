//go:build e2e

package e2e

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/exos-platform/exos/e2e/testbed"
	"github.com/exos-platform/exos/manager/api"
	"gotest.tools/v3/assert"
	is "gotest.tools/v3/assert/cmp"
)

// Bad deliveries get a clear 4xx and scale nothing; bad payloads are recorded, bad tokens
// counted on the hook.
func TestBadHookDeliveriesScaleNothing(t *testing.T) {
	e := start(t, testbed.Options{Nodes: 1})
	h := deployAutoscaled(t, e)
	url := e.api.BaseURL() + "/hooks/v1/scale/" + h.ID
	firing := func(service string) []byte {
		return amPayload(alert{Status: "firing", StartsAt: time.Now().UTC(), Fingerprint: "bad",
			Labels: map[string]string{"alertname": "Bad", "service": service, "scale": "up"}})
	}
	cases := []struct {
		name   string
		url    string
		token  string
		body   []byte
		status int
	}{
		{"malformed JSON", url, h.Token, []byte(`{"version": "4", "alerts": [`), http.StatusBadRequest},
		{"wrong version", url, h.Token, []byte(`{"version": "2", "alerts": [{"status": "firing"}]}`), http.StatusBadRequest},
		{"unknown service", url, h.Token, firing("demo_nope"), http.StatusBadRequest},
		{"huge body", url, h.Token, []byte(`{"version":"4","x":"` + strings.Repeat("a", 2<<20) + `"}`), http.StatusRequestEntityTooLarge},
		{"wrong token", url, h.Token + "x", firing("demo_web"), http.StatusUnauthorized},
		{"no token", url, "", firing("demo_web"), http.StatusUnauthorized},
		{"unknown hook", e.api.BaseURL() + "/hooks/v1/scale/0123456789abcdef", h.Token, firing("demo_web"), http.StatusUnauthorized},
	}
	for _, tc := range cases {
		_, status, err := e.post(tc.url, tc.token, tc.body)
		assert.NilError(t, err, tc.name)
		assert.Check(t, is.Equal(status, tc.status), tc.name)
	}
	assert.Check(t, is.Equal(e.replicas("demo_web"), uint64(1)), "nothing scaled")
	hist, err := e.api.ScaleHistory(context.Background(), h.ID, "")
	assert.NilError(t, err)
	assert.Check(t, is.Equal(count(hist, api.DecisionRejected, ""), 4), "every bad payload to the hook is recorded: %v", hist)
	assert.Check(t, is.Equal(count(hist, api.DecisionApplied, ""), 0))
	got, err := e.api.InspectHook(context.Background(), h.ID)
	assert.NilError(t, err)
	assert.Check(t, is.Equal(got.RejectedDeliveries, uint64(2)), "bad tokens are counted, not recorded")

	// The token in the URL, for tools that cannot send headers, works.
	resp, status, err := e.post(url+"?token="+h.Token, "", firing("demo_web"))
	assert.NilError(t, err)
	assert.Check(t, is.Equal(status, http.StatusOK))
	assert.Check(t, is.Equal(resp.Decisions[0].Decision, api.DecisionApplied))
}
