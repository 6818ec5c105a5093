package stacks

import (
	"fmt"
	"maps"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/api/types/swarm"
	"github.com/exos-platform/exos/manager/api"
	"github.com/exos-platform/exos/manager/state"
)

// serviceView is what `stack services` shows of a service: replica counts come from the
// tasks of its current spec, so a service in a rolling update is not counted as converged.
func serviceView(svc *state.Service, tasks []*state.Task, current func(*state.Service, *state.Task) bool) api.Service {
	spec := svc.Raw.Spec
	out := api.Service{
		ID: svc.ID, Name: svc.Name, Stack: svc.Stack, Env: svc.Env, Revision: svc.Revision,
		Mode: modeOf(spec.Mode), Labels: maps.Clone(spec.Labels), Ports: servicePorts(svc.Raw),
	}
	if spec.TaskTemplate.ContainerSpec != nil {
		out.Image = spec.TaskTemplate.ContainerSpec.Image
	}
	if u := svc.Raw.UpdateStatus; u != nil {
		out.UpdateState, out.UpdateMessage = string(u.State), u.Message
	}
	out.Monitor = defaultMonitor
	if uc := spec.UpdateConfig; uc != nil && uc.Monitor > 0 {
		out.Monitor = uc.Monitor
	}
	if cs := spec.TaskTemplate.ContainerSpec; cs != nil {
		out.Healthcheck = hasHealthcheck(cs.Healthcheck)
	}
	desiredRunning := 0
	for _, t := range tasks {
		if t.DesiredState != string(swarm.TaskStateRunning) || !current(svc, t) {
			continue
		}
		desiredRunning++
		if t.State == string(swarm.TaskStateRunning) {
			out.Running++
		}
	}
	out.Desired = desiredRunning
	if spec.Mode.Replicated != nil && spec.Mode.Replicated.Replicas != nil {
		out.Desired = int(*spec.Mode.Replicated.Replicas)
	}
	return out
}

// defaultMonitor is Swarm's update monitor period when a spec sets none.
const defaultMonitor = 5 * time.Second

func hasHealthcheck(hc *container.HealthConfig) bool {
	return hc != nil && len(hc.Test) > 0 && hc.Test[0] != "NONE"
}

// isCurrent says whether a task runs the service's current spec. Swarm copies the task
// template into every task it creates, but the Engine API adds defaults to the service's
// copy only (an empty DNSConfig, the default restart policy, runtime "container"), so those
// are left out of the comparison. A change of restart policy alone is still seen through
// the service's update status.
func isCurrent(svc *state.Service, t *state.Task) bool {
	return reflect.DeepEqual(comparable(svc.Raw.Spec.TaskTemplate), comparable(t.Raw.Spec))
}

func comparable(spec swarm.TaskSpec) swarm.TaskSpec {
	spec.RestartPolicy, spec.Runtime = nil, ""
	if cs := spec.ContainerSpec; cs != nil && cs.DNSConfig != nil && reflect.DeepEqual(*cs.DNSConfig, swarm.DNSConfig{}) {
		copied := *cs
		copied.DNSConfig = nil
		spec.ContainerSpec = &copied
	}
	return spec
}

func modeOf(m swarm.ServiceMode) string {
	switch {
	case m.Global != nil:
		return "global"
	case m.ReplicatedJob != nil:
		return "replicated-job"
	case m.GlobalJob != nil:
		return "global-job"
	default:
		return "replicated"
	}
}

func servicePorts(s swarm.Service) []string {
	ports := []string{}
	if s.Spec.EndpointSpec == nil {
		return ports
	}
	for _, p := range s.Spec.EndpointSpec.Ports {
		ports = append(ports, portString(p))
	}
	return ports
}

func portString(p swarm.PortConfig) string {
	s := fmt.Sprintf("%d->%d/%s", p.PublishedPort, p.TargetPort, p.Protocol)
	if p.PublishMode == swarm.PortConfigPublishModeHost {
		return s + " (host)"
	}
	return "*:" + s
}

// containerView is what `stack containers` shows of a task.
func containerView(svc *state.Service, t *state.Task, node *state.Node, current bool) api.Container {
	raw := t.Raw
	c := api.Container{
		ID: t.ID, Name: taskName(svc, t), Service: svc.Name, ServiceID: svc.ID, NodeID: raw.NodeID,
		DesiredState: t.DesiredState, State: t.State, Error: raw.Status.Err, Message: raw.Status.Message,
		UpdatedAt: raw.Status.Timestamp, Current: current, Ports: []string{},
	}
	if node != nil {
		c.Node = node.Hostname
	}
	if raw.Spec.ContainerSpec != nil {
		c.Image = raw.Spec.ContainerSpec.Image
		c.Health = healthOf(raw)
	}
	if cs := raw.Status.ContainerStatus; cs != nil {
		c.ContainerID, c.ExitCode = cs.ContainerID, cs.ExitCode
	}
	if ps := raw.Status.PortStatus.Ports; ps != nil {
		for _, p := range ps {
			c.Ports = append(c.Ports, portString(p))
		}
	}
	return c
}

// healthOf derives a task's health from its state: Swarm holds a task with a healthcheck in
// "starting" until the check passes and fails it when the check fails.
func healthOf(t swarm.Task) string {
	if !hasHealthcheck(t.Spec.ContainerSpec.Healthcheck) {
		return ""
	}
	switch {
	case strings.Contains(t.Status.Err, "unhealthy"):
		return "unhealthy"
	case t.Status.State == swarm.TaskStateStarting:
		return "starting"
	case t.Status.State == swarm.TaskStateRunning:
		return "healthy"
	}
	return ""
}

func taskName(svc *state.Service, t *state.Task) string {
	if t.Slot > 0 {
		return svc.Name + "." + strconv.Itoa(t.Slot)
	}
	return svc.Name + "." + t.Raw.NodeID
}

// sortContainers orders tasks like `docker stack ps`: by name, newest first within a slot.
func sortContainers(cs []api.Container) {
	sort.SliceStable(cs, func(i, j int) bool {
		if cs[i].Name != cs[j].Name {
			return cs[i].Name < cs[j].Name
		}
		return cs[i].UpdatedAt.After(cs[j].UpdatedAt)
	})
}
