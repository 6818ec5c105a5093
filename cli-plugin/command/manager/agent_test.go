package manager

import (
	"bytes"
	"context"
	"crypto/x509"
	"encoding/hex"
	"encoding/json"
	"errors"
	"net"
	"testing"
	"time"

	"github.com/docker/docker/api/types/network"
	"github.com/docker/docker/api/types/swarm"
	"github.com/exos-platform/exos/cli-plugin/command"
	"github.com/exos-platform/exos/cli-plugin/internal/test"
	"gotest.tools/v3/assert"
	is "gotest.tools/v3/assert/cmp"
	"gotest.tools/v3/golden"
)

func TestAgentSpec(t *testing.T) {
	tr := caTransportForTest(t)
	spec := agentSpec(agentSpecOptions{image: "exos/manager:1.2.0", socketPath: "/run/nodes/{{.Node.Hostname}}.sock",
		keyID: "agentkey1", networkID: "net1", transport: tr})
	assert.Check(t, is.Equal(spec.TaskTemplate.ContainerSpec.Configs[0].ConfigID, tr.configs[0].ConfigID), "the manager's CA")
	spec.TaskTemplate.ContainerSpec.Configs = nil // its ID is made by the fake
	out, err := json.MarshalIndent(spec, "", "    ")
	assert.NilError(t, err)
	golden.Assert(t, string(out), "agent-spec.golden")
}

func TestAgentArgs(t *testing.T) {
	assert.Check(t, is.DeepEqual(agentArgs(transport{scheme: command.TransportHTTP}),
		[]string{"agent", "--manager=http://exos-manager:7420"}))
	assert.Check(t, is.DeepEqual(agentArgs(transport{scheme: command.TransportHTTPS}),
		[]string{"agent", "--manager=https://exos-manager:7420", "--ca-file=/etc/exos/tls-ca.pem", "--server-name=exos-manager"}))
	assert.Check(t, is.DeepEqual(agentArgs(transport{scheme: command.TransportHTTPS, agentServerName: "exos.example.com"}),
		[]string{"agent", "--manager=https://exos-manager:7420", "--ca-file=/etc/exos/tls-ca.pem", "--server-name=exos.example.com"}))
}

func TestAgentServerNameOfAnOwnCertificate(t *testing.T) {
	for _, tc := range []struct {
		leaf x509.Certificate
		want string
	}{
		{leaf: x509.Certificate{DNSNames: []string{"exos.example.com", "exos-manager"}}, want: ""},
		{leaf: x509.Certificate{DNSNames: []string{"exos.example.com"}}, want: "exos.example.com"},
		{leaf: x509.Certificate{IPAddresses: []net.IP{net.ParseIP("10.0.0.5")}}, want: "10.0.0.5"},
	} {
		assert.Check(t, is.Equal(agentServerName(&tc.leaf), tc.want), "%v", tc.leaf.DNSNames)
	}
	tr := transport{labels: map[string]string{}}
	tr.withAgentServerName("exos.example.com")
	assert.Check(t, is.Equal(tr.labels[agentServerNameLabel], "exos.example.com"), "kept for the next install")
}

func TestEnsureAgentKeyCreates(t *testing.T) {
	store := &fakeSecretStore{secrets: []swarm.Secret{{ID: "x", Spec: swarm.SecretSpec{Annotations: swarm.Annotations{Name: "exos-agent-key-old"}}}}}
	var out bytes.Buffer
	id, err := ensureAgentKey(context.Background(), &out, store)
	assert.NilError(t, err)
	assert.Check(t, is.Equal(id, "new-key"))
	assert.Check(t, is.Equal(out.String(), "Created the agent key secret exos-agent-key\n"))
	assert.Assert(t, is.Len(store.created, 1))
	created := store.created[0]
	assert.Check(t, is.Equal(created.Name, "exos-agent-key"))
	assert.Check(t, is.DeepEqual(created.Labels, map[string]string{"io.exos.kind": "agent-key"}))
	key, err := hex.DecodeString(string(created.Data))
	assert.NilError(t, err, "hex: it travels in a header")
	assert.Check(t, is.Len(key, 32))
}

func TestEnsureAgentKeyKeepsTheOne(t *testing.T) {
	store := &fakeSecretStore{secrets: []swarm.Secret{{ID: "ak1", Spec: swarm.SecretSpec{Annotations: swarm.Annotations{Name: "exos-agent-key"}}}}}
	var out bytes.Buffer
	id, err := ensureAgentKey(context.Background(), &out, store)
	assert.NilError(t, err)
	assert.Check(t, is.Equal(id, "ak1"))
	assert.Check(t, is.Len(store.created, 0))
	assert.Check(t, is.Equal(out.String(), ""))
}

// fakeNetworks answers NetworkList with all its networks, like a name filter matching
// parts of names.
type fakeNetworks struct {
	networks []network.Summary
	created  []network.CreateOptions
}

func (f *fakeNetworks) NetworkList(context.Context, network.ListOptions) ([]network.Summary, error) {
	return f.networks, nil
}

func (f *fakeNetworks) NetworkCreate(_ context.Context, name string, o network.CreateOptions) (network.CreateResponse, error) {
	f.created = append(f.created, o)
	return network.CreateResponse{ID: "net-" + name}, nil
}

func TestEnsureAgentNetwork(t *testing.T) {
	f := &fakeNetworks{networks: []network.Summary{{ID: "other", Name: "exos_agent_old"}}}
	var out bytes.Buffer
	id, err := ensureAgentNetwork(context.Background(), &out, f)
	assert.NilError(t, err)
	assert.Check(t, is.Equal(id, "net-exos_agent"))
	assert.Check(t, is.DeepEqual(f.created, []network.CreateOptions{{Driver: "overlay", Scope: "swarm",
		Labels: map[string]string{"com.docker.stack.namespace": "exos"}}}))
	assert.Check(t, is.Equal(out.String(), "Created the agent network exos_agent\n"))

	f.networks = append(f.networks, network.Summary{ID: "n1", Name: "exos_agent"})
	id, err = ensureAgentNetwork(context.Background(), &out, f)
	assert.NilError(t, err)
	assert.Check(t, is.Equal(id, "n1"))
	assert.Check(t, is.Len(f.created, 1), "kept")
}

// withAgent is a swarm with the manager, the agent, their network and the agent key.
func withAgent() *fakeEngine {
	engine := exosObjects()
	engine.services = append(engine.services, swarm.Service{ID: "a1", Spec: swarm.ServiceSpec{Annotations: swarm.Annotations{Name: "exos_agent"}}})
	engine.networks = []network.Summary{{ID: "n1", Name: "exos_agent"}}
	engine.secrets = append(engine.secrets, swarm.Secret{ID: "ak1", Spec: swarm.SecretSpec{Annotations: swarm.Annotations{
		Name: "exos-agent-key", Labels: map[string]string{"io.exos.kind": "agent-key"}}}})
	return engine
}

func TestUninstallRemovesTheAgent(t *testing.T) {
	engine := withAgent()
	cli := test.NewFakeCli(nil, engine)
	cmd := newUninstallCommand(cli)
	cmd.SetArgs([]string{})
	assert.NilError(t, cmd.Execute())
	assert.Check(t, is.DeepEqual(engine.removed, []string{"service m1", "service a1", "network n1", "secret ak1"}))
	assert.Check(t, is.Equal(cli.OutBuffer().String(),
		"Removed service exos_manager\nRemoved service exos_agent\nRemoved network exos_agent\nRemoved secret exos-agent-key\n"))
}

func TestRemoveAgentObjectsWaitsForTheNetwork(t *testing.T) {
	engine := withAgent()
	engine.networkBusy = 2 // the removed tasks still shut down
	var out bytes.Buffer
	assert.NilError(t, removeAgentObjects(context.Background(), &out, engine, time.Minute, time.Millisecond))
	assert.Check(t, is.DeepEqual(engine.removed, []string{"network n1", "secret ak1"}))
}

func TestRemoveAgentObjectsGivesUp(t *testing.T) {
	engine := withAgent()
	engine.networkBusy = 1000
	var out bytes.Buffer
	err := removeAgentObjects(context.Background(), &out, engine, 20*time.Millisecond, time.Millisecond)
	assert.ErrorContains(t, err, "failed to remove network exos_agent: network exos_agent is in use")
	assert.Check(t, is.DeepEqual(engine.removed, []string{"secret ak1"}), "the key goes all the same")
	assert.Check(t, !errors.Is(err, context.Canceled))
}

// Swarm lists a removed network for a moment: uninstall waits until it does not, so that
// an install right after does not attach its services to it.
func TestRemoveAgentObjectsWaitsUntilTheNetworkIsNoLongerListed(t *testing.T) {
	engine := withAgent()
	engine.networkLingers = 4
	var out bytes.Buffer
	assert.NilError(t, removeAgentObjects(context.Background(), &out, engine, time.Minute, time.Millisecond))
	assert.Check(t, is.Equal(engine.networkLingers, 0), "it looked until the network was gone")
	id, err := findNetwork(context.Background(), engine)
	assert.NilError(t, err)
	assert.Check(t, is.Equal(id, ""))
	assert.Check(t, is.Equal(out.String(), "Removed network exos_agent\nRemoved secret exos-agent-key\n"))

	engine = withAgent()
	engine.networkLingers = 1_000_000
	err = removeAgentObjects(context.Background(), &out, engine, 20*time.Millisecond, time.Millisecond)
	assert.Error(t, err, "swarm still lists network exos_agent after removing it")
}
