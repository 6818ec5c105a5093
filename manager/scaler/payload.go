package scaler

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/exos-platform/exos/manager/api"
	"github.com/prometheus/alertmanager/template"
)

// MaxBody bounds a delivery. Alertmanager's largest groups are a few hundred KB; anything
// bigger is not an alert.
const MaxBody = 1 << 20

// message is Alertmanager's webhook body (notify/webhook.Message, whose package pulls in
// 67 modules): template.Data plus the envelope fields. Unknown fields are ignored, so
// newer Alertmanagers keep working.
type message struct {
	*template.Data
	Version         string `json:"version"`
	GroupKey        string `json:"groupKey"`
	TruncatedAlerts uint64 `json:"truncatedAlerts"`
}

// parseMessage reads and checks a delivery body.
func parseMessage(body io.Reader) (*message, error) {
	raw, err := io.ReadAll(io.LimitReader(body, MaxBody+1))
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig) || len(raw) > MaxBody:
		return nil, api.Errorf(api.ErrTooLarge, "the alert payload is larger than %d bytes", MaxBody)
	case err != nil:
		return nil, api.Errorf(api.ErrInvalid, "failed to read the alert payload: %v", err)
	}
	msg := &message{}
	if err := json.Unmarshal(raw, msg); err != nil {
		return nil, api.Errorf(api.ErrInvalid, "the alert payload is not valid JSON: %v", err)
	}
	switch {
	case msg.Version != "4":
		return nil, api.Errorf(api.ErrInvalid, "unsupported Alertmanager webhook version %q: EXOS accepts version \"4\"", msg.Version)
	case msg.Data == nil || len(msg.Alerts) == 0:
		return nil, api.Errorf(api.ErrInvalid, "the alert payload has no alerts")
	}
	return msg, nil
}

// target is one alert aimed at one service.
type target struct {
	index   int
	alert   template.Alert
	service string // as the alert or the hook names it
	signal  Signal
}

// targets resolves every alert of msg to a service and a direction, reporting every
// alert that cannot be resolved.
func targets(h api.Hook, msg *message) ([]target, []api.Problem) {
	var out []target
	var problems []api.Problem
	for i, a := range msg.Alerts {
		key := fmt.Sprintf("alerts[%d]", i)
		t, err := resolveTarget(h, a)
		if err != nil {
			problems = append(problems, api.Problem{Key: key, Message: err.Error()})
			continue
		}
		t.index = i
		out = append(out, t)
	}
	return out, problems
}

func resolveTarget(h api.Hook, a template.Alert) (target, error) {
	t := target{alert: a, service: a.Labels["service"]}
	if t.service == "" {
		if len(h.Services) != 1 {
			return t, fmt.Errorf("labels.service: missing; the hook scales %s, so the alert must name one", scopeText(h))
		}
		t.service = h.Services[0]
	}
	t.signal = Signal{Direction: h.Action, Episode: a.Fingerprint + "@" + a.StartsAt.UTC().Format("2006-01-02T15:04:05.999999999Z"), Firing: a.Status != "resolved"}
	if a.Status != "firing" && a.Status != "resolved" {
		return t, fmt.Errorf("status: %q is neither firing nor resolved", a.Status)
	}
	if a.Fingerprint == "" || a.StartsAt.IsZero() {
		return t, fmt.Errorf("fingerprint and startsAt are required to recognise duplicate deliveries")
	}
	if h.Action == api.ActionAuto {
		switch dir := a.Labels["scale"]; dir {
		case api.ActionUp, api.ActionDown:
			t.signal.Direction = dir
		default:
			return t, fmt.Errorf("labels.scale: must be up or down for an auto hook, got %q", dir)
		}
	}
	return t, nil
}

func scopeText(h api.Hook) string {
	if len(h.Services) == 0 {
		return "any autoscaled service"
	}
	return strings.Join(h.Services, ", ")
}
