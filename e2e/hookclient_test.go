//go:build e2e

package e2e

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/exos-platform/exos/manager/api"
)

// alert is one Alertmanager alert in a webhook payload.
type alert struct {
	Status      string            `json:"status"`
	Labels      map[string]string `json:"labels"`
	StartsAt    time.Time         `json:"startsAt"`
	Fingerprint string            `json:"fingerprint"`
}

// amPayload is an Alertmanager webhook (version 4) body holding alerts.
func amPayload(alerts ...alert) []byte {
	body, _ := json.Marshal(map[string]any{
		"version": "4", "status": "firing", "receiver": "exos-scale", "groupKey": "{}:{}",
		"groupLabels": map[string]string{}, "commonLabels": map[string]string{}, "alerts": alerts,
	})
	return body
}

func stormAlert(startsAt time.Time, episode int) []byte {
	return amPayload(alert{
		Status: "firing", StartsAt: startsAt.Add(time.Duration(episode) * time.Second),
		Labels:      map[string]string{"alertname": "Storm", "service": "demo_web", "scale": "up"},
		Fingerprint: fmt.Sprintf("storm%d", episode),
	})
}

// deliver posts body to the hook as Alertmanager does, with the token as a bearer.
func deliver(e *exos, h api.HookSecret, body []byte) (api.HookResponse, error) {
	resp, status, err := e.post(e.api.BaseURL()+"/hooks/v1/scale/"+h.ID, h.Token, body)
	if err == nil && status != http.StatusOK {
		err = fmt.Errorf("status %d", status)
	}
	return resp, err
}

func (e *exos) post(url, token string, body []byte) (api.HookResponse, int, error) {
	req, err := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return api.HookResponse{}, 0, err
	}
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := e.http.Do(req)
	if err != nil {
		return api.HookResponse{}, 0, err
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	var out api.HookResponse
	_ = json.Unmarshal(raw, &out)
	return out, resp.StatusCode, nil
}
