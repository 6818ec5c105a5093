package agent

import (
	"bytes"
	"context"
	"encoding/pem"
	"errors"
	"io"
	stdlog "log"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/exos-platform/exos/manager/api"
	"github.com/exos-platform/exos/manager/tlsconf"
	"gotest.tools/v3/assert"
	is "gotest.tools/v3/assert/cmp"
)

// manager is a TLS server answering status, counting the reports posted with key k1.
func manager(t *testing.T, status int) (*httptest.Server, *atomic.Int32, []byte) {
	var posted atomic.Int32
	ts := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == api.AgentReportPath && r.Header.Get("Authorization") == "Bearer k1" {
			posted.Add(1)
		}
		w.WriteHeader(status)
	}))
	ts.Config.ErrorLog = stdlog.New(io.Discard, "", 0) // the handshakes refused on purpose
	ts.StartTLS()
	t.Cleanup(ts.Close)
	ca := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: ts.Certificate().Raw})
	return ts, &posted, ca
}

func sender(t *testing.T, url string, ca []byte, serverName string) *Sender {
	s, err := NewSender(SenderConfig{URL: url, Key: "k1", CAPEM: ca, ServerName: serverName})
	assert.NilError(t, err)
	s.Backoff = time.Millisecond
	return s
}

func TestSendVerifiesTheManager(t *testing.T) {
	ts, posted, ca := manager(t, http.StatusNoContent)
	// httptest's certificate holds example.com: the name is checked, not the address dialled.
	assert.NilError(t, sender(t, ts.URL, ca, "example.com").Send(context.Background(), api.AgentReport{NodeID: "n1"}))
	assert.Check(t, is.Equal(posted.Load(), int32(1)))

	err := sender(t, ts.URL, ca, "exos-manager").Send(context.Background(), api.AgentReport{})
	assert.ErrorContains(t, err, "certificate is valid for")

	otherCA, _, err := tlsconf.NewCA("another CA", time.Now())
	assert.NilError(t, err)
	err = sender(t, ts.URL, otherCA, "example.com").Send(context.Background(), api.AgentReport{})
	assert.ErrorContains(t, err, "certificate signed by unknown authority")
}

func TestSendNeedsACA(t *testing.T) {
	_, err := NewSender(SenderConfig{URL: "https://exos-manager:7420", Key: "k1"})
	assert.Check(t, err != nil)
}

func TestSendRetriesABoundedNumberOfTimes(t *testing.T) {
	ts, posted, ca := manager(t, http.StatusServiceUnavailable)
	err := sender(t, ts.URL, ca, "example.com").Send(context.Background(), api.AgentReport{})
	assert.ErrorContains(t, err, "503")
	assert.Check(t, is.Equal(posted.Load(), int32(3)), "the report and 2 retries")
}

func TestSendDoesNotRetryARefusal(t *testing.T) {
	ts, posted, ca := manager(t, http.StatusUnauthorized)
	err := sender(t, ts.URL, ca, "example.com").Send(context.Background(), api.AgentReport{})
	assert.Check(t, errors.Is(err, errRefused))
	assert.Check(t, is.Equal(posted.Load(), int32(1)))
}

func TestQuietLog(t *testing.T) {
	var buf bytes.Buffer
	log := slog.New(slog.NewTextHandler(&buf, nil))
	var q quietLog
	t0 := time.Date(2026, 12, 4, 18, 0, 0, 0, time.UTC)
	down := errors.New("connection refused")
	for i := range 24 { // two minutes of failures, one every 5 s
		q.note(log, down, t0.Add(time.Duration(i)*5*time.Second))
	}
	q.note(log, nil, t0.Add(2*time.Minute))
	q.note(log, nil, t0.Add(2*time.Minute+5*time.Second))
	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	assert.Assert(t, is.Len(lines, 3), buf.String())
	assert.Check(t, is.Contains(lines[0], "failed=1"))
	assert.Check(t, is.Contains(lines[1], "failed=13"))
	assert.Check(t, is.Contains(lines[2], "reporting to the manager again"))
	assert.Check(t, is.Contains(lines[2], "failed=24"))
}
