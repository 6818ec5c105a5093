package manager

import (
	"context"
	"testing"
	"time"

	"github.com/exos-platform/exos/cli-plugin/command"
	"github.com/exos-platform/exos/cli-plugin/internal/test"
	"github.com/exos-platform/exos/manager/api"
	"gotest.tools/v3/assert"
	is "gotest.tools/v3/assert/cmp"
	"gotest.tools/v3/golden"
)

// tlsFakeManager is a fake manager reached over a transport, as the plugin's client is.
type tlsFakeManager struct {
	*test.FakeManager
	transport command.Transport
}

func (m tlsFakeManager) Transport() command.Transport { return m.transport }

func (m tlsFakeManager) BaseURL() string { return "https://10.0.0.1:7420" }

var pinnedTransport = command.Transport{
	TLS: true, CASource: "saved for this swarm (/home/u/.docker/exos/clu1.json)", CA: "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n",
	CAFingerprint: "2D:71:16:42", CAExpires: time.Date(2046, 3, 1, 12, 0, 0, 0, time.UTC),
	Hosts: []string{"10.0.0.1", "node1"}, Expires: time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC),
}

func tlsStatusCli(tr command.Transport) *test.FakeCli {
	info := api.Info{Version: "1.2.0", SwarmID: "clu1", StartedAt: time.Now().Add(-time.Hour), ReadyAt: time.Now().Add(-time.Hour)}
	return test.NewFakeCli(tlsFakeManager{FakeManager: &test.FakeManager{InfoFunc: func(context.Context) (api.Info, error) { return info, nil }}, transport: tr}, nil)
}

func TestStatusShowsTheTransport(t *testing.T) {
	cli := tlsStatusCli(pinnedTransport)
	cmd := newStatusCommand(cli)
	cmd.SetArgs([]string{})
	assert.NilError(t, cmd.Execute())
	golden.Assert(t, cli.OutBuffer().String(), "manager-status-tls.golden")

	cli = tlsStatusCli(pinnedTransport)
	cmd = newStatusCommand(cli)
	cmd.SetArgs([]string{"--format", "{{.Transport.TLS}} {{.Transport.CAFingerprint}} {{.Transport.Expires.Format \"2006-01-02\"}}"})
	assert.NilError(t, cmd.Execute())
	assert.Check(t, is.Equal(cli.OutBuffer().String(), "true 2D:71:16:42 2026-06-01\n"))
}

func TestCAPrintsThePinnedCA(t *testing.T) {
	cli := tlsStatusCli(pinnedTransport)
	cmd := newCACommand(cli)
	cmd.SetArgs([]string{})
	assert.NilError(t, cmd.Execute())
	assert.Check(t, is.Equal(cli.OutBuffer().String(), pinnedTransport.CA))

	cli = tlsStatusCli(command.Transport{Warning: "plain"})
	cmd = newCACommand(cli)
	cmd.SetArgs([]string{})
	cmd.SilenceUsage, cmd.SilenceErrors = true, true
	assert.Check(t, is.ErrorContains(cmd.Execute(), "serves plain HTTP: it has no CA"))
}
