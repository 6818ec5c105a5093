package composeext

import (
	"strconv"
	"time"

	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/api/types/swarm"
)

// Swarm's minimums for resources (controlapi/service.go validateResources): zero means
// no limit or reservation, anything else must reach these.
const (
	minNanoCPUs = 1e6             // 0.001 CPU
	minMemory   = 4 * 1024 * 1024 // 4 MiB
)

// resources applies validateResourceRequirements to limits and reservations. Pids are
// not checked by Swarm (a negative pids limit means no limit to the daemon).
func (c *preflight) resources(svc Service) {
	r := svc.Spec.TaskTemplate.Resources
	if r == nil {
		return
	}
	if l := r.Limits; l != nil {
		c.cpuMemory(serviceKey(svc, "deploy.resources.limits"), l.NanoCPUs, l.MemoryBytes)
	}
	if v := r.Reservations; v != nil {
		c.cpuMemory(serviceKey(svc, "deploy.resources.reservations"), v.NanoCPUs, v.MemoryBytes)
	}
}

func (c *preflight) cpuMemory(key string, nanoCPUs, memory int64) {
	if nanoCPUs != 0 && nanoCPUs < minNanoCPUs {
		c.problem(key+".cpus", "cpus %s is under Swarm's minimum of 0.001: give 0.001 or more, or leave it out", strconv.FormatFloat(float64(nanoCPUs)/1e9, 'f', -1, 64))
	}
	if memory != 0 && memory < minMemory {
		c.problem(key+".memory", "memory of %d bytes is under Swarm's minimum of 4MiB (%d bytes): give 4M or more, or leave it out", memory, minMemory)
	}
}

// restartPolicy applies validateRestartPolicy and the daemon's condition check
// (daemon/cluster/convert/service.go restartPolicyToGRPC).
func (c *preflight) restartPolicy(svc Service) {
	rp := svc.Spec.TaskTemplate.RestartPolicy
	if rp == nil {
		return
	}
	key := serviceKey(svc, "deploy.restart_policy")
	for name, d := range map[string]*time.Duration{"delay": rp.Delay, "window": rp.Window} {
		if d != nil && *d < 0 {
			c.problem(key+"."+name, "%s %s is negative, which Swarm refuses: use 0s or more", name, *d)
		}
	}
	switch rp.Condition {
	case "", swarm.RestartPolicyConditionNone, swarm.RestartPolicyConditionOnFailure, swarm.RestartPolicyConditionAny:
	default:
		c.problem(key+".condition", "unknown condition %q: use none, on-failure or any", rp.Condition)
	}
}

// healthcheck applies validateHealthCheck (the daemon's own, daemon/container.go, has the
// same rules): each duration is 0 (the default) or at least 1ms. An EXOS health_check,
// which replaces the compose one, is valid by construction (exos.go).
func (c *preflight) healthcheck(svc Service) {
	hc := svc.Spec.TaskTemplate.ContainerSpec.Healthcheck
	if hc == nil || svc.Exos.HealthCheck != nil {
		return
	}
	key := serviceKey(svc, "healthcheck")
	durations := map[string]time.Duration{
		"interval": hc.Interval, "timeout": hc.Timeout,
		"start_period": hc.StartPeriod, "start_interval": hc.StartInterval,
	}
	for name, d := range durations {
		if d != 0 && d < container.MinimumDuration {
			c.problem(key+"."+name, "%s %s is under Swarm's minimum of %s: give %s or more, or leave it out", name, d, container.MinimumDuration, container.MinimumDuration)
		}
	}
	if hc.Retries < 0 {
		c.problem(key+".retries", "retries must not be negative")
	}
}
