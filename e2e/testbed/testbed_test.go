//go:build e2e

package testbed

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/api/types/filters"
	"github.com/docker/docker/api/types/swarm"
	"github.com/docker/docker/client"
	"gotest.tools/v3/assert"
	is "gotest.tools/v3/assert/cmp"
	"gotest.tools/v3/poll"
)

func TestSwarmPlacementAndCleanTeardown(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	img := BusyboxImage(t)
	begin := time.Now()
	s := Start(t, Options{
		Nodes:      3,
		Images:     []string{img},
		NodeLabels: map[int]map[string]string{3: {"tier": "three"}},
	})
	t.Logf("Start took %v", time.Since(begin).Round(time.Millisecond))
	c := s.Client(t, 1)

	nodes, err := c.NodeList(ctx, swarm.NodeListOptions{})
	assert.NilError(t, err)
	hostnames := map[string]string{}
	for _, n := range nodes {
		assert.Check(t, is.Equal(n.Status.State, swarm.NodeStateReady), n.Description.Hostname)
		hostnames[n.Description.Hostname] = n.ID
	}
	assert.Assert(t, is.Len(hostnames, 3))
	for _, n := range s.Nodes {
		assert.Check(t, hostnames[n.Hostname] != "", "no swarm node %s", n.Hostname)
	}

	begin = time.Now()
	createPinnedService(ctx, t, c)
	poll.WaitOn(t, tasksRunningOn(ctx, c, "pinned", 3, hostnames["node3"]), poll.WithTimeout(60*time.Second), poll.WithDelay(100*time.Millisecond))
	t.Logf("3 healthy tasks on node3 after %v", time.Since(begin).Round(time.Millisecond))

	shims := shimSockets(ctx, t, s)
	begin = time.Now()
	s.Stop()
	t.Logf("Stop took %v", time.Since(begin).Round(time.Millisecond))
	assertNothingLeft(t, s.ID, shims)
	s.Stop() // idempotent
}

// createPinnedService runs 3 busybox httpd replicas constrained to node3's label. The health
// check (wget and nc against httpd) must pass before swarm reports a task as running.
func createPinnedService(ctx context.Context, t *testing.T, c *client.Client) {
	t.Helper()
	replicas, yes := uint64(3), true
	probe := `wget -qO- http://127.0.0.1:8080/passwd | grep -q nobody && printf 'GET /group HTTP/1.0\r\n\r\n' | nc 127.0.0.1 8080 | grep -q root:x:0`
	spec := swarm.ServiceSpec{
		Annotations: swarm.Annotations{Name: "pinned"},
		TaskTemplate: swarm.TaskSpec{
			ContainerSpec: &swarm.ContainerSpec{
				Image:   BusyboxImageRef,
				Command: []string{"httpd", "-f", "-p", "8080", "-h", "/etc"},
				Init:    &yes,
				Healthcheck: &container.HealthConfig{
					Test:     []string{"CMD", "sh", "-c", probe},
					Interval: 200 * time.Millisecond,
					Timeout:  2 * time.Second,
					Retries:  10,
				},
			},
			Placement: &swarm.Placement{Constraints: []string{"node.labels.tier==three"}},
		},
		Mode:         swarm.ServiceMode{Replicated: &swarm.ReplicatedService{Replicas: &replicas}},
		EndpointSpec: &swarm.EndpointSpec{Mode: swarm.ResolutionModeDNSRR},
	}
	_, err := c.ServiceCreate(ctx, spec, swarm.ServiceCreateOptions{})
	assert.NilError(t, err)
}

// tasksRunningOn waits for want running tasks of service, all of them on nodeID.
func tasksRunningOn(ctx context.Context, c *client.Client, service string, want int, nodeID string) poll.Check {
	return func(poll.LogT) poll.Result {
		tasks, err := c.TaskList(ctx, swarm.TaskListOptions{Filters: filters.NewArgs(
			filters.Arg("service", service), filters.Arg("desired-state", "running"))})
		if err != nil {
			return poll.Error(err)
		}
		running := 0
		for _, task := range tasks {
			if task.NodeID != "" && task.NodeID != nodeID { // "" = not scheduled yet
				return poll.Error(fmt.Errorf("task %s on node %s, want %s", task.ID, task.NodeID, nodeID))
			}
			if task.Status.State == swarm.TaskStateRunning {
				running++
			}
		}
		if running != want {
			return poll.Continue("%d of %d tasks running", running, want)
		}
		return poll.Success()
	}
}

// shimSockets lists the containerd shim sockets of all containers of the swarm; they live in the
// host-shared /run/containerd/s, named sha256("<containerd socket>/moby/<container id>").
func shimSockets(ctx context.Context, t *testing.T, s *Swarm) []string {
	t.Helper()
	var socks []string
	for _, n := range s.Nodes {
		list, err := s.Client(t, n.Index).ContainerList(ctx, container.ListOptions{All: true})
		assert.NilError(t, err)
		for _, ctr := range list {
			key := fmt.Sprintf("%s/%d/n%d/containerd/containerd.sock/moby/%s", runBase, s.ID, n.Index, ctr.ID)
			sum := sha256.Sum256([]byte(key))
			socks = append(socks, filepath.Join("/run/containerd/s", hex.EncodeToString(sum[:])))
		}
	}
	assert.Check(t, is.Len(socks, 3), "containers of the pinned service")
	return socks
}

func assertNothingLeft(t *testing.T, id int, shims []string) {
	t.Helper()
	runDir := fmt.Sprintf("%s/%d", runBase, id)
	dataDir := filepath.Join(dataBase(), fmt.Sprint(id))
	for _, p := range append([]string{runDir, dataDir}, shims...) {
		_, err := os.Stat(p)
		assert.Check(t, os.IsNotExist(err), "%s still exists", p)
	}
	assert.Check(t, is.DeepEqual(processesMentioning(t, runDir+"/"), []string(nil)))
	assert.Check(t, is.DeepEqual(namesWithPrefix(t, "/run/netns", fmt.Sprintf("ex%d-", id)), []string(nil)), "netns")
	assert.Check(t, is.DeepEqual(namesWithPrefix(t, "/sys/class/net", fmt.Sprintf("ex%d", id)), []string(nil)), "links")
	assert.Check(t, is.DeepEqual(namesWithPrefix(t, "/sys/class/net", fmt.Sprintf("exbr%d", id)), []string(nil)), "bridge")
	assert.Check(t, is.DeepEqual(iptablesRules(t, fmt.Sprintf("exos-testbed-%d", id)), []string(nil)))
	assert.Check(t, is.DeepEqual(mountsUnder(t, runDir+"/", dataDir+"/"), []string(nil)))
	assert.Check(t, is.DeepEqual(cgroupDirs(t, fmt.Sprintf("exos-tb-%d-", id)), []string(nil)))
}

// processesMentioning lists "pid cmdline" of every process whose command line contains s.
func processesMentioning(t *testing.T, s string) []string {
	t.Helper()
	cmdlines, err := filepath.Glob("/proc/[0-9]*/cmdline")
	assert.NilError(t, err)
	var found []string
	for _, p := range cmdlines {
		b, err := os.ReadFile(p)
		if err == nil && strings.Contains(string(b), s) {
			found = append(found, p+": "+strings.ReplaceAll(string(b), "\x00", " "))
		}
	}
	return found
}

func TestSwarmKillAndRestartNode(t *testing.T) {
	t.Parallel() // also shows that two swarms coexist
	ctx := context.Background()
	s := Start(t, Options{Nodes: 2, Images: []string{BusyboxImage(t)}})
	worker := s.Client(t, 2)

	s.KillNode(t, 2)
	_, err := worker.Ping(ctx)
	assert.Check(t, err != nil, "node2 still answers after KillNode")
	assert.Check(t, is.DeepEqual(processesMentioning(t, fmt.Sprintf("%s/%d/n2/", runBase, s.ID)), []string(nil)))

	begin := time.Now()
	s.StartNode(t, 2)
	poll.WaitOn(t, func(poll.LogT) poll.Result {
		info, err := worker.Info(ctx)
		if err != nil {
			return poll.Error(err)
		}
		if info.Swarm.LocalNodeState != swarm.LocalNodeStateActive {
			return poll.Continue("node2 swarm state %s", info.Swarm.LocalNodeState)
		}
		return poll.Success()
	}, poll.WithTimeout(60*time.Second), poll.WithDelay(100*time.Millisecond))
	t.Logf("node2 back in the swarm %v after StartNode", time.Since(begin).Round(time.Millisecond))

	s.Stop()
	assertNothingLeft(t, s.ID, nil)
}
