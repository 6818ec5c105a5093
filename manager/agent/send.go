package agent

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/exos-platform/exos/manager/api"
)

// Sender posts reports to the manager.
type Sender struct {
	url    string // the manager's base URL
	key    string
	client *http.Client
	// Retries and Backoff bound the attempts per report: a report older than an interval
	// is worth less than the next one, so it is dropped, not queued.
	Retries int
	Backoff time.Duration
}

// SenderConfig says how to reach the manager.
type SenderConfig struct {
	URL string
	Key string
	// CAPEM is the CA the manager's certificate must come from (nil for plain HTTP).
	CAPEM []byte
	// ServerName is the name the certificate is checked against: the agent dials the
	// manager's task address on the agent network, which no certificate names.
	ServerName string
}

// NewSender returns a sender that verifies the manager with c.CAPEM only.
func NewSender(c SenderConfig) (*Sender, error) {
	transport := &http.Transport{
		// two connections kept between posts: the reports', and the events'
		MaxIdleConns: 2, MaxIdleConnsPerHost: 2, IdleConnTimeout: 4 * api.AgentInterval,
		TLSHandshakeTimeout: 5 * time.Second, ResponseHeaderTimeout: 5 * time.Second,
	}
	if strings.HasPrefix(c.URL, "https://") {
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(c.CAPEM) {
			return nil, errors.New("no PEM certificate in the manager's CA")
		}
		transport.TLSClientConfig = &tls.Config{RootCAs: pool, ServerName: c.ServerName, MinVersion: tls.VersionTLS12}
	}
	return &Sender{
		url: strings.TrimSuffix(c.URL, "/"), key: c.Key,
		client:  &http.Client{Transport: transport, Timeout: api.AgentInterval},
		Retries: 2, Backoff: 500 * time.Millisecond,
	}, nil
}

// errRefused is a report the manager answered with a client error: sending it again
// would be refused again.
var errRefused = errors.New("the manager refused the report")

// Send posts a report, trying again (up to Retries times, Backoff apart and doubling)
// when the manager cannot be reached or answers 5xx.
func (s *Sender) Send(ctx context.Context, report api.AgentReport) error {
	return s.send(ctx, api.AgentReportPath, report)
}

// SendEvents posts a batch of task events, trying again as Send does.
func (s *Sender) SendEvents(ctx context.Context, batch api.AgentEvents) error {
	return s.send(ctx, api.AgentEventsPath, batch)
}

func (s *Sender) send(ctx context.Context, path string, v any) error {
	body, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("failed to encode %s: %w", path, err)
	}
	wait := s.Backoff
	for attempt := 0; ; attempt++ {
		err = s.post(ctx, path, body)
		if err == nil || errors.Is(err, errRefused) || attempt >= s.Retries {
			return err
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(wait):
		}
		wait *= 2
	}
}

func (s *Sender) post(ctx context.Context, path string, body []byte) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.url+path, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+s.key)
	resp, err := s.client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	msg, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
	switch {
	case resp.StatusCode < 300:
		return nil
	case resp.StatusCode < 500:
		return fmt.Errorf("%w: %s: %s", errRefused, resp.Status, strings.TrimSpace(string(msg)))
	}
	return fmt.Errorf("the manager answered %s: %s", resp.Status, strings.TrimSpace(string(msg)))
}

// Run reports every interval until ctx ends. While reports fail it logs the first
// failure, then one line a minute at most with the count, and one when reports go
// through again: a manager away for an hour costs 60 lines, not 720.
func Run(ctx context.Context, a *Agent, s *Sender, interval time.Duration, log *slog.Logger) {
	ticker := time.NewTicker(interval)
	defer ticker.Stop()
	var q quietLog
	for {
		report, err := a.Report(ctx)
		if err == nil {
			err = s.Send(ctx, report)
		}
		if ctx.Err() != nil {
			return
		}
		q.note(log, err, a.now())
		select {
		case <-ctx.Done():
			return
		case <-ticker.C:
		}
	}
}

// quietEvery is how often a failure that goes on is logged again.
const quietEvery = time.Minute

// quietLog logs a run of failures sparsely.
type quietLog struct {
	failing  int // failures in a row
	loggedAt time.Time
}

func (q *quietLog) note(log *slog.Logger, err error, now time.Time) {
	switch {
	case err == nil && q.failing > 0:
		log.Info("reporting to the manager again", "failed", q.failing)
		q.failing = 0
	case err == nil:
	case q.failing == 0 || now.Sub(q.loggedAt) >= quietEvery:
		q.failing++
		q.loggedAt = now
		log.Warn("cannot report; trying again every interval", "err", err, "failed", q.failing)
	default:
		q.failing++
	}
}
