//go:build e2e

package e2e

import (
	"context"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/docker/docker/api/types/filters"
	"github.com/docker/docker/api/types/mount"
	"github.com/docker/docker/api/types/swarm"
	"gotest.tools/v3/assert"
	"gotest.tools/v3/poll"

	"github.com/exos-platform/exos/catalog"
	composeext "github.com/exos-platform/exos/compose-ext"
	"github.com/exos-platform/exos/e2e/testbed"
	exswarm "github.com/exos-platform/exos/manager/swarm"
)

// communityCatalog is the snapshot of the Rancher community catalog.
const communityCatalog = "../../shared/corpus/rancher-community-catalog"

// rancherTemplates are templates of the community catalog chosen across the translations
// the Rancher reading makes, each with what it exercises.
var rancherTemplates = map[string]string{
	"logspout":           "io.rancher.scheduler.global (mode global), hostname_override",
	"netdata":            "global, scale dropped",
	"etcd-ha":            "container_label_ne on itself (max_replicas_per_node: 1), a data-only sidekick",
	"keepalived":         "network_mode: host, affinity:host_label (constraints)",
	"xpilot":             "io.rancher.container.start_once (replicated job)",
	"wordpress":          "a port-only load balancer, retain_ip, health_check",
	"mysql":              "a data-volume sidekick turned into named volumes, load balancer",
	"gitea":              "load balancer with links",
	"openhab":            "network_mode: host with ports dropped, per-container volumes",
	"rethinkdb":          "per-container volumes, hostname_override, soft rules dropped",
	"eventstore":         "start_on_create, request_line forms",
	"quasardb-community": "net: host, data containers",
}

// TestCommunityTemplatesConvergeOnSwarm deploys templates of the Rancher community
// catalog that EXOS calls deployable, as `catalog deploy` reads them (default answers,
// Rancher reading, preflight), on a real 3-node swarm, and waits for each to converge.
//
// The test-only image map: our swarms are offline and cannot pull the templates' images,
// so every service runs the offline test image instead (exos/busybox:1, `sleep`), without
// the image's healthcheck (its tools are not in busybox), bind mounts of host paths the
// test bed lacks are pointed at a directory of the test, and named volumes use the local
// driver (volume plugins are not installed). Everything else (modes,
// placement, replicas, jobs, networks, volumes, ports) is the template's, as translated.
func TestCommunityTemplatesConvergeOnSwarm(t *testing.T) {
	sw := testbed.Start(t, testbed.Options{Nodes: 3, Images: []string{testbed.BusyboxImage(t)}})
	r := newRig(t, sw)
	deployer := exswarm.NewDeployer(r.engine)
	idx := catalog.Index(os.DirFS(communityCatalog))
	binds := t.TempDir()
	for name, what := range rancherTemplates {
		t.Run(name, func(t *testing.T) {
			t.Logf("exercises %s", what)
			stack := deployableStack(t, idx, name)
			mapImagesForTest(stack, binds)
			labelNodesFor(t, r, stack)
			plan, err := deployer.Plan(context.Background(), stack, exswarm.Options{})
			assert.NilError(t, err)
			_, err = deployer.Apply(context.Background(), plan, 1)
			assert.NilError(t, err)
			poll.WaitOn(t, converged(r, stack), poll.WithTimeout(2*time.Minute), poll.WithDelay(500*time.Millisecond))
			_, err = deployer.Remove(context.Background(), stack.Name)
			assert.NilError(t, err)
		})
	}
}

// deployableStack judges the template's default version as the catalog does, and
// converts it as `catalog deploy` would.
func deployableStack(t *testing.T, idx *catalog.Catalog, name string) *composeext.Stack {
	t.Helper()
	tpl := idx.Template(name)
	assert.Assert(t, tpl != nil, "the snapshot has no template %s", name)
	v := tpl.Version("")
	stackName := catalog.VerdictStack(name)
	verdict := catalog.Check(context.Background(), stackName, *v)
	assert.Assert(t, len(verdict.Reasons) == 0, "%s is not deployable: %v", name, verdict.Reasons)
	values, err := catalog.DefaultValues(v.Questions)
	assert.NilError(t, err)
	rendered, err := catalog.Render(*v, values)
	assert.NilError(t, err)
	stack, err := composeext.Load(context.Background(), rendered.Input(stackName))
	assert.NilError(t, err)
	return stack
}

// mapImagesForTest is the test-only image map (see the test's comment).
func mapImagesForTest(stack *composeext.Stack, bindDir string) {
	for i := range stack.Services {
		spec := &stack.Services[i].Spec
		cs := spec.TaskTemplate.ContainerSpec
		cs.Image = "exos/busybox:1"
		cs.Command, cs.Args = []string{"sleep"}, []string{"3600"}
		if spec.Mode.ReplicatedJob != nil || spec.Mode.GlobalJob != nil {
			cs.Args = []string{"1"}
		}
		cs.Healthcheck = nil
		cs.User = ""
		for j, m := range cs.Mounts {
			switch {
			case m.Type == mount.TypeBind:
				cs.Mounts[j].Source = bindDir
			case m.VolumeOptions != nil && m.VolumeOptions.DriverConfig != nil:
				cs.Mounts[j].VolumeOptions.DriverConfig = nil // volume plugins (convoy, rancher-nfs) are not installed
			}
		}
	}
}

// labelNodesFor gives the nodes the labels the stack's constraints ask for (==), as an
// operator places nodes for a template's host_label rules: a label asked with several
// values (a master and a backup) gets them on different nodes.
func labelNodesFor(t *testing.T, r *rig, stack *composeext.Stack) {
	t.Helper()
	ctx := context.Background()
	values := map[string][]string{}
	for _, svc := range stack.Services {
		if p := svc.Spec.TaskTemplate.Placement; p != nil {
			for _, c := range p.Constraints {
				k, v, ok := strings.Cut(c, "==")
				k, v = strings.TrimSpace(k), strings.TrimSpace(v)
				if ok && strings.HasPrefix(k, "node.labels.") && !slices.Contains(values[k], v) {
					values[k] = append(values[k], v)
				}
			}
		}
	}
	if len(values) == 0 {
		return
	}
	nodes, err := r.direct.NodeList(ctx, swarm.NodeListOptions{})
	assert.NilError(t, err)
	for i, n := range nodes {
		spec := n.Spec
		if spec.Labels == nil {
			spec.Labels = map[string]string{}
		}
		for k, vs := range values {
			spec.Labels[strings.TrimPrefix(k, "node.labels.")] = vs[i%len(vs)]
		}
		assert.NilError(t, r.direct.NodeUpdate(ctx, n.ID, n.Version, spec))
	}
}

// converged says whether every service of the stack runs what it asks for: replicas of
// the current spec running, one running task per eligible node for a global service, a
// job's tasks complete.
func converged(r *rig, stack *composeext.Stack) poll.Check {
	return func(poll.LogT) poll.Result {
		ctx := context.Background()
		tasks, err := r.direct.TaskList(ctx, swarm.TaskListOptions{Filters: filters.NewArgs(filters.Arg("label", exswarm.LabelNamespace+"="+stack.Name))})
		if err != nil {
			return poll.Error(err)
		}
		services, err := r.direct.ServiceList(ctx, swarm.ServiceListOptions{Filters: filters.NewArgs(filters.Arg("label", exswarm.LabelNamespace+"="+stack.Name))})
		if err != nil {
			return poll.Error(err)
		}
		if len(services) != len(stack.Services) {
			return poll.Continue("%d of %d services", len(services), len(stack.Services))
		}
		for _, svc := range services {
			if msg := serviceNotDone(svc, tasks); msg != "" {
				return poll.Continue("%s: %s", svc.Spec.Name, msg)
			}
		}
		return poll.Success()
	}
}

func serviceNotDone(svc swarm.Service, tasks []swarm.Task) string {
	var running, complete, pending int
	var last string
	for _, t := range tasks {
		if t.ServiceID != svc.ID {
			continue
		}
		switch {
		case t.Status.State == swarm.TaskStateComplete:
			complete++
		case t.DesiredState == swarm.TaskStateRunning && t.Status.State == swarm.TaskStateRunning:
			running++
		case t.DesiredState == swarm.TaskStateRunning:
			pending++
			last = fmt.Sprintf("%s %s", t.Status.State, t.Status.Err)
		}
	}
	mode := svc.Spec.Mode
	switch {
	case mode.ReplicatedJob != nil:
		total := uint64(1)
		if mode.ReplicatedJob.TotalCompletions != nil {
			total = *mode.ReplicatedJob.TotalCompletions
		}
		if uint64(complete) < total {
			return fmt.Sprintf("%d of %d completions (%s)", complete, total, last)
		}
	case mode.Replicated != nil:
		if uint64(running) != *mode.Replicated.Replicas {
			return fmt.Sprintf("%d of %d running (%s)", running, *mode.Replicated.Replicas, last)
		}
	default:
		if running == 0 || pending > 0 {
			return fmt.Sprintf("%d running, %d pending (%s)", running, pending, last)
		}
	}
	return ""
}
