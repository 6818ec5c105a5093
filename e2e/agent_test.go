//go:build e2e

package e2e

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/docker/docker/api/types/filters"
	"github.com/docker/docker/api/types/network"
	"github.com/docker/docker/api/types/swarm"
	"github.com/exos-platform/exos/e2e/testbed"
	"github.com/exos-platform/exos/manager/api"
	"gotest.tools/v3/assert"
	is "gotest.tools/v3/assert/cmp"
	"gotest.tools/v3/icmd"
	"gotest.tools/v3/poll"
)

// agentSocket is every node's own Docker socket for the agent: the test nodes' sockets
// differ by hostname, which a Swarm mount template fills in per node.
func agentSocket(sw *testbed.Swarm) string {
	node1 := strings.TrimPrefix(sw.Nodes[0].Host, "unix://")
	return strings.Replace(node1, sw.Nodes[0].Hostname+".sock", "{{.Node.Hostname}}.sock", 1)
}

// TestAgentReportsEveryNode: exos_agent runs on the 3 nodes and the manager accepts every
// node's reports, with every task container in them (the stack's, the agents', the
// manager's), on the dashboard too; a node whose agent stops goes agent silent; install
// again updates the agent; a wrong key is refused; uninstall removes the agent's service,
// network and key.
func TestAgentReportsEveryNode(t *testing.T) {
	e := start(t, testbed.Options{Nodes: 3})
	ctx := context.Background()
	e.run("stack", "deploy", "-c", "../testdata/e2e/placed.yml", "--wait", "shop").Assert(t, icmd.Success)
	poll.WaitOn(t, func(poll.LogT) poll.Result {
		if n := runningTasks(t, e, "exos_agent"); n != 3 {
			return poll.Continue("%d of 3 agents running", n)
		}
		return poll.Success()
	}, poll.WithTimeout(60*time.Second), poll.WithDelay(200*time.Millisecond))

	nodes, err := e.engine.NodeList(ctx, swarm.NodeListOptions{})
	assert.NilError(t, err)
	want := 3 + 3 + 1 // the stack's replicas, the agents, the manager
	poll.WaitOn(t, func(poll.LogT) poll.Result {
		m := e.metrics()
		total := 0
		for _, n := range nodes {
			if m[fmt.Sprintf(`exos_agent_reports_total{node=%q,result="accepted"}`, n.ID)] < 1 {
				return poll.Continue("no accepted report from %s yet", n.Description.Hostname)
			}
			total += int(m[fmt.Sprintf(`exos_agent_report_containers{node=%q}`, n.ID)])
		}
		if total != want {
			return poll.Continue("%d containers reported, want %d", total, want)
		}
		return poll.Success()
	}, poll.WithTimeout(api.AgentSilentAfter), poll.WithDelay(500*time.Millisecond))

	// The dashboard has every node ready, reporting, with its containers.
	poll.WaitOn(t, func(poll.LogT) poll.Result {
		hosts, err := e.api.ListHosts(ctx)
		if err != nil {
			return poll.Continue("hosts: %v", err)
		}
		total := 0
		for _, h := range hosts {
			if h.State != api.HostReady || h.LastReport.IsZero() || h.Node.MemoryTotal == 0 {
				return poll.Continue("%s: %s, last report %v", h.Hostname, h.State, h.LastReport)
			}
			total += h.Containers
		}
		if len(hosts) != 3 || total != want {
			return poll.Continue("%d hosts with %d containers, want 3 with %d", len(hosts), total, want)
		}
		return poll.Success()
	}, poll.WithTimeout(api.AgentSilentAfter), poll.WithDelay(500*time.Millisecond))
	usage, err := e.api.Usage(ctx, api.UsageQuery{Stack: "shop"})
	assert.NilError(t, err)
	assert.Check(t, is.Len(usage, 3), "the stack's containers, with their load")
	for _, c := range usage {
		assert.Check(t, c.MemoryUsage > 0, "%+v", c)
	}

	// An agent that stops reporting makes its node agent silent within 15 s (and 5 s for
	// the report it may just have sent); installing again brings it back.
	e.docker("service", "update", "--detach", "--constraint-add", "node.hostname!=node3", "exos_agent").Assert(t, icmd.Success)
	poll.WaitOn(t, func(poll.LogT) poll.Result {
		if h, err := e.api.InspectHost(ctx, "node3"); err != nil || h.State != api.HostSilent {
			return poll.Continue("node3: %s %v", h.State, err)
		}
		return poll.Success()
	}, poll.WithTimeout(api.AgentSilentAfter+api.AgentInterval+2*time.Second), poll.WithDelay(500*time.Millisecond))

	// Installing again updates the agent in place.
	res := e.install()
	res.Assert(t, icmd.Success)
	assert.Check(t, is.Contains(res.Stdout(), "Updating service exos_agent"))
	poll.WaitOn(t, func(poll.LogT) poll.Result {
		if h, err := e.api.InspectHost(ctx, "node3"); err != nil || h.State != api.HostReady {
			return poll.Continue("node3: %s %v", h.State, err)
		}
		return poll.Success()
	}, poll.WithTimeout(30*time.Second), poll.WithDelay(500*time.Millisecond))

	req, err := http.NewRequest(http.MethodPost, e.api.BaseURL()+api.AgentReportPath, strings.NewReader(`{"nodeId":"`+nodes[0].ID+`"}`))
	assert.NilError(t, err)
	req.Header.Set("Authorization", "Bearer not-the-agent-key")
	resp, err := e.http.Do(req)
	assert.NilError(t, err)
	resp.Body.Close()
	assert.Check(t, is.Equal(resp.StatusCode, http.StatusUnauthorized))
	assert.Check(t, e.metrics()[`exos_agent_reports_total{node="",result="unauthorized"}`] >= 1)

	res = e.run("manager", "uninstall")
	res.Assert(t, icmd.Success)
	assert.Check(t, is.Contains(res.Stdout(), "Removed network exos_agent"))
	assert.Check(t, is.Contains(res.Stdout(), "Removed secret exos-agent-key"))
	services, err := e.engine.ServiceList(ctx, swarm.ServiceListOptions{Filters: filters.NewArgs(filters.Arg("name", "exos_agent"))})
	assert.NilError(t, err)
	assert.Check(t, is.Len(services, 0))
	// Swarm removes a network once its last attachment is released on the nodes.
	poll.WaitOn(t, func(poll.LogT) poll.Result {
		networks, err := e.engine.NetworkList(ctx, network.ListOptions{Filters: filters.NewArgs(filters.Arg("name", "exos_agent"))})
		assert.NilError(t, err)
		if len(networks) > 0 {
			return poll.Continue("network exos_agent is still there")
		}
		return poll.Success()
	}, poll.WithTimeout(30*time.Second), poll.WithDelay(200*time.Millisecond))
	secrets, err := e.engine.SecretList(ctx, swarm.SecretListOptions{Filters: filters.NewArgs(filters.Arg("name", "exos-agent-key"))})
	assert.NilError(t, err)
	assert.Check(t, is.Len(secrets, 0))
}

// waitAgentReports waits until the manager, as it serves now, has accepted a report of
// every node's agent it had not accepted before.
func (e *exos) waitAgentReports(t *testing.T) {
	nodes, err := e.engine.NodeList(context.Background(), swarm.NodeListOptions{})
	assert.NilError(t, err)
	accepted := func(m map[string]float64, node string) float64 {
		return m[fmt.Sprintf(`exos_agent_reports_total{node=%q,result="accepted"}`, node)]
	}
	before := e.metrics()
	poll.WaitOn(t, func(poll.LogT) poll.Result {
		m := e.metrics()
		for _, n := range nodes {
			if accepted(m, n.ID) <= accepted(before, n.ID) {
				return poll.Continue("no new report accepted from %s", n.Description.Hostname)
			}
		}
		return poll.Success()
	}, poll.WithTimeout(30*time.Second), poll.WithDelay(500*time.Millisecond))
}

// runningTasks counts the running tasks of a service.
func runningTasks(t testing.TB, e *exos, service string) int {
	tasks, err := e.engine.TaskList(context.Background(), swarm.TaskListOptions{Filters: filters.NewArgs(
		filters.Arg("service", service), filters.Arg("desired-state", "running"))})
	assert.NilError(t, err)
	n := 0
	for _, task := range tasks {
		if task.Status.State == swarm.TaskStateRunning {
			n++
		}
	}
	return n
}

// metrics scrapes the manager's /metrics: value by series (name{labels}).
func (e *exos) metrics() map[string]float64 {
	resp, err := e.http.Get(e.api.BaseURL() + "/metrics")
	assert.NilError(e.t, err)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	assert.NilError(e.t, err)
	values := map[string]float64{}
	for _, line := range strings.Split(string(body), "\n") {
		series, value, ok := strings.Cut(line, " ")
		if !ok || strings.HasPrefix(line, "#") {
			continue
		}
		if v, err := strconv.ParseFloat(value, 64); err == nil {
			values[series] = v
		}
	}
	return values
}
