package composeext

import (
	"math/big"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/compose-spec/compose-go/v2/types"
	"github.com/docker/docker/api/types/swarm"
)

func (c *converter) resources(src types.Resources) *swarm.ResourceRequirements {
	out := &swarm.ResourceRequirements{}
	if l := src.Limits; l != nil {
		out.Limits = &swarm.Limit{
			NanoCPUs:    c.nanoCPUs("deploy.resources.limits.cpus", l.NanoCPUs),
			MemoryBytes: int64(l.MemoryBytes),
			Pids:        l.Pids,
		}
	}
	if r := src.Reservations; r != nil {
		var generic []swarm.GenericResource
		for _, res := range r.GenericResources {
			var g swarm.GenericResource
			if d := res.DiscreteResourceSpec; d != nil {
				g.DiscreteResourceSpec = &swarm.DiscreteGenericResource{Kind: d.Kind, Value: d.Value}
			}
			generic = append(generic, g)
		}
		out.Reservations = &swarm.Resources{
			NanoCPUs:         c.nanoCPUs("deploy.resources.reservations.cpus", r.NanoCPUs),
			MemoryBytes:      int64(r.MemoryBytes),
			GenericResources: generic,
		}
	}
	return out
}

// nanoCPUs converts like opts.ParseCPUs. compose-go holds cpus as a float32, so the value
// goes back through its shortest decimal form to avoid float rounding (0.1 stays 1e8).
func (c *converter) nanoCPUs(key string, v types.NanoCPUs) int64 {
	if v == 0 {
		return 0
	}
	cpu, ok := new(big.Rat).SetString(strconv.FormatFloat(float64(v), 'f', -1, 32))
	if !ok {
		c.problem(key, "failed to parse %v as a rational number", v)
		return 0
	}
	nano := cpu.Mul(cpu, big.NewRat(1e9, 1))
	if !nano.IsInt() {
		c.problem(key, "value is too precise")
		return 0
	}
	return nano.Num().Int64()
}

// restartPolicy uses deploy.restart_policy, else translates `restart` like the CLI.
func (c *converter) restartPolicy(src *types.RestartPolicy) *swarm.RestartPolicy {
	if src != nil {
		return &swarm.RestartPolicy{
			Condition:   swarm.RestartPolicyCondition(src.Condition),
			Delay:       durationPtr(src.Delay),
			MaxAttempts: src.MaxAttempts,
			Window:      durationPtr(src.Window),
		}
	}
	name, count, hasCount := strings.Cut(c.svc.Restart, ":")
	attempts := uint64(0)
	if hasCount {
		n, err := strconv.Atoi(count)
		if err != nil || name == "" {
			c.problem("restart", "invalid restart policy %q", c.svc.Restart)
			return nil
		}
		attempts = uint64(n)
	}
	switch name {
	case "", "no":
		return nil
	case "always", "unless-stopped":
		return &swarm.RestartPolicy{Condition: swarm.RestartPolicyConditionAny}
	case "on-failure":
		return &swarm.RestartPolicy{Condition: swarm.RestartPolicyConditionOnFailure, MaxAttempts: &attempts}
	}
	c.problem("restart", "unknown restart policy: %s", c.svc.Restart)
	return nil
}

func convertPlacement(p types.Placement) *swarm.Placement {
	prefs := []swarm.PlacementPreference{}
	for _, pref := range p.Preferences {
		prefs = append(prefs, swarm.PlacementPreference{Spread: &swarm.SpreadOver{SpreadDescriptor: pref.Spread}})
	}
	return &swarm.Placement{Constraints: p.Constraints, Preferences: prefs, MaxReplicas: p.MaxReplicas}
}

func convertEndpoint(mode string, ports []types.ServicePortConfig, c *converter) *swarm.EndpointSpec {
	out := []swarm.PortConfig{}
	for _, p := range ports {
		var published uint64
		if p.Published != "" {
			var err error
			if published, err = strconv.ParseUint(p.Published, 10, 16); err != nil {
				c.problem("ports", "invalid published port %q", p.Published)
			}
		}
		if p.HostIP != "" {
			c.problem("ports", "not supported on Swarm: host_ip %s", p.HostIP)
		}
		out = append(out, swarm.PortConfig{
			Protocol:      swarm.PortConfigProtocol(p.Protocol),
			TargetPort:    p.Target,
			PublishedPort: uint32(published),
			PublishMode:   swarm.PortConfigPublishMode(p.Mode),
		})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].PublishedPort < out[j].PublishedPort })
	return &swarm.EndpointSpec{Mode: swarm.ResolutionMode(strings.ToLower(mode)), Ports: out}
}

func (c *converter) mode(d types.DeployConfig) swarm.ServiceMode {
	var replicas *uint64
	if d.Replicas != nil {
		r := uint64(*d.Replicas)
		replicas = &r
	}
	switch d.Mode {
	case "global", "global-job":
		if replicas != nil {
			c.problem("deploy.replicas", "replicas can only be used with replicated or replicated-job mode")
		}
		if d.Mode == "global" {
			return swarm.ServiceMode{Global: &swarm.GlobalService{}}
		}
		return swarm.ServiceMode{GlobalJob: &swarm.GlobalJob{}}
	case "replicated-job":
		return swarm.ServiceMode{ReplicatedJob: &swarm.ReplicatedJob{MaxConcurrent: replicas, TotalCompletions: replicas}}
	case "replicated", "":
		return swarm.ServiceMode{Replicated: &swarm.ReplicatedService{Replicas: replicas}}
	}
	c.problem("deploy.mode", "unknown mode: %s", d.Mode)
	return swarm.ServiceMode{}
}

func convertUpdateConfig(src *types.UpdateConfig) *swarm.UpdateConfig {
	if src == nil {
		return nil
	}
	parallel := uint64(1)
	if src.Parallelism != nil {
		parallel = *src.Parallelism
	}
	return &swarm.UpdateConfig{
		Parallelism:     parallel,
		Delay:           time.Duration(src.Delay),
		FailureAction:   src.FailureAction,
		Monitor:         time.Duration(src.Monitor),
		MaxFailureRatio: src.MaxFailureRatio,
		Order:           src.Order,
	}
}
