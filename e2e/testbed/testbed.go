//go:build e2e

// Package testbed starts disposable Docker Swarms for e2e tests: N private dockerd (docker.io
// 20.10) in their own network namespaces on a private bridge, driven by scripts/testbed/*.sh.
// A swarm never touches the host's Docker engine, and Stop leaves nothing behind.
//
//	s := testbed.Start(t, testbed.Options{Nodes: 3, Images: []string{testbed.BusyboxImage(t)}})
//	c := s.Client(t, 1) // node 1 is the first manager
//
// Needs root, dockerd/containerd/runc, iproute2, iptables (scripts/install-deps.sh).
package testbed

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/docker/docker/client"
)

// Options describe the swarm to start.
type Options struct {
	// Nodes is the number of nodes (default 1).
	Nodes int
	// Managers is the number of managers among them, nodes 1..Managers (default 1).
	Managers int
	// Images are docker-archive tars loaded on every node before the swarm forms.
	Images []string
	// NodeLabels are swarm node labels by node index (1-based).
	NodeLabels map[int]map[string]string
}

// Swarm is a running test swarm with ID K (0..9).
type Swarm struct {
	ID    int
	Nodes []*Node

	t        testing.TB
	root     string
	lock     *os.File
	stopOnce sync.Once
}

// Node is one dockerd of the swarm.
type Node struct {
	// Index is the 1-based node number; the hostname is "node<Index>".
	Index    int
	Hostname string
	// IP is the node's address on the test bridge (10.201.K.(10+Index)).
	IP string
	// Host is the engine address for DOCKER_HOST, e.g. "unix:///run/exos-testbed/K/node1.sock".
	Host string
}

// Start brings up a swarm as described by opts and registers its teardown with t.Cleanup.
// It fails the test, with the scripts' output, if the swarm does not come up.
func Start(t testing.TB, opts Options) *Swarm {
	t.Helper()
	if opts.Nodes == 0 {
		opts.Nodes = 1
	}
	if opts.Managers == 0 {
		opts.Managers = 1
	}
	root := repoRoot(t)
	id, lock, stale, err := claimID()
	if err != nil {
		t.Fatalf("failed to claim a test swarm id: %v", err)
	}
	s := &Swarm{ID: id, t: t, root: root, lock: lock}
	t.Cleanup(s.Stop)
	if stale {
		// left behind by a test process that died without its cleanup
		if out, err := s.run("swarm-down.sh", nil, "FAST=1"); err != nil {
			t.Fatalf("failed to remove stale test swarm %d: %v\n%s", id, err, out)
		}
	}
	begin := time.Now()
	args := append([]string{fmt.Sprint(opts.Nodes)}, opts.Images...)
	labels, err := labelsArg(opts.NodeLabels)
	if err != nil {
		t.Fatalf("invalid Options.NodeLabels: %v", err)
	}
	env := []string{fmt.Sprintf("MANAGERS=%d", opts.Managers), "LABELS=" + labels}
	out, err := s.run("swarm-up.sh", args, env...)
	if err != nil {
		t.Fatalf("failed to start test swarm %d: %v\n%s", id, err, out)
	}
	t.Logf("test swarm %d: %d node(s) up in %v\n%s", id, opts.Nodes, time.Since(begin).Round(time.Millisecond), out)
	for i := 1; i <= opts.Nodes; i++ {
		s.Nodes = append(s.Nodes, &Node{
			Index:    i,
			Hostname: fmt.Sprintf("node%d", i),
			IP:       fmt.Sprintf("10.201.%d.%d", id, 10+i),
			Host:     "unix://" + s.sock(i),
		})
	}
	return s
}

// Stop tears the swarm down completely. It is idempotent and registered as a cleanup by Start;
// when the test failed it first logs the tail of every dockerd log.
func (s *Swarm) Stop() {
	s.stopOnce.Do(func() {
		if s.t.Failed() {
			s.logDaemonTails()
		}
		begin := time.Now()
		if out, err := s.run("swarm-down.sh", nil, "FAST=1"); err != nil {
			s.t.Errorf("failed to tear down test swarm %d: %v\n%s", s.ID, err, out)
		}
		s.t.Logf("test swarm %d: torn down in %v", s.ID, time.Since(begin).Round(time.Millisecond))
		s.lock.Close() // releases the flock: the id is free again
	})
}

// Client returns an API client for the given 1-based node, closed when the test ends.
func (s *Swarm) Client(t testing.TB, node int) *client.Client {
	t.Helper()
	n := s.node(t, node)
	c, err := client.NewClientWithOpts(client.WithHost(n.Host), client.WithAPIVersionNegotiation())
	if err != nil {
		t.Fatalf("failed to create a client for %s: %v", n.Hostname, err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// KillNode crashes a whole node: SIGKILL to its dockerd, containerd, shims and containers.
func (s *Swarm) KillNode(t testing.TB, node int) {
	t.Helper()
	n := s.node(t, node)
	if out, err := s.run("node-stop.sh", []string{fmt.Sprint(n.Index), "-9"}); err != nil {
		t.Fatalf("failed to kill %s: %v\n%s", n.Hostname, err, out)
	}
}

// StartNode starts the dockerd of a stopped or killed node again and waits until it answers.
// It rejoins the swarm by itself.
func (s *Swarm) StartNode(t testing.TB, node int) {
	t.Helper()
	n := s.node(t, node)
	for _, script := range []string{"node-start.sh", "wait-node.sh"} {
		if out, err := s.run(script, []string{fmt.Sprint(n.Index)}); err != nil {
			t.Fatalf("failed to start %s (%s): %v\n%s", n.Hostname, script, err, out)
		}
	}
}

// ScriptsDir is the directory of the test-bed shell scripts (scripts/testbed in the repository).
func (s *Swarm) ScriptsDir() string {
	return filepath.Join(s.root, "scripts", "testbed")
}

func (s *Swarm) node(t testing.TB, node int) *Node {
	t.Helper()
	if node < 1 || node > len(s.Nodes) {
		t.Fatalf("swarm %d has no node %d (nodes are 1..%d)", s.ID, node, len(s.Nodes))
	}
	return s.Nodes[node-1]
}

// run runs a test-bed script with the swarm id as first argument and returns its combined output.
func (s *Swarm) run(script string, args []string, env ...string) ([]byte, error) {
	cmd := exec.Command(filepath.Join(s.ScriptsDir(), script), append([]string{fmt.Sprint(s.ID)}, args...)...)
	cmd.Env = append(os.Environ(), append(env, fmt.Sprintf("EXOS_TESTBED_OWNER=%d", os.Getpid()))...)
	return cmd.CombinedOutput()
}

func (s *Swarm) sock(i int) string {
	return fmt.Sprintf("%s/%d/node%d.sock", runBase, s.ID, i)
}

func (s *Swarm) logDaemonTails() {
	for i := range s.Nodes {
		log := filepath.Join(dataBase(), fmt.Sprint(s.ID), fmt.Sprintf("n%d", i+1), "dockerd.log")
		out, _ := exec.Command("tail", "-n", "30", log).CombinedOutput()
		s.t.Logf("--- tail of %s:\n%s", log, out)
	}
}

// labelsArg encodes NodeLabels for swarm-up.sh: "2:env=dev 3:env=prod,zone=a". The shell
// format cannot carry spaces or commas, so those are rejected.
func labelsArg(labels map[int]map[string]string) (string, error) {
	var specs []string
	for node, kv := range labels {
		var pairs []string
		for k, v := range kv {
			if strings.ContainsAny(k+v, " \t\n,") || k == "" {
				return "", fmt.Errorf("label %q=%q of node %d: empty key, space or comma", k, v, node)
			}
			pairs = append(pairs, k+"="+v)
		}
		if len(pairs) == 0 {
			continue
		}
		sort.Strings(pairs)
		specs = append(specs, fmt.Sprintf("%d:%s", node, strings.Join(pairs, ",")))
	}
	sort.Strings(specs)
	return strings.Join(specs, " "), nil
}

// repoRoot walks up from the working directory to the directory holding go.mod.
func repoRoot(t testing.TB) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatalf("failed to get the working directory: %v", err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatalf("no go.mod above the working directory")
		}
		dir = parent
	}
}
