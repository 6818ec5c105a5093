package composeext

import (
	"gopkg.in/yaml.v3"
)

// exosKeys lists the keys an exos service entry (or x-exos) may hold, with the keys each
// block may hold (nil for a scalar).
var exosKeys = map[string]map[string]bool{
	"scale": nil,
	"health_check": setOf("port", "request_line", "interval", "initializing_timeout",
		"reinitializing_timeout", "healthy_threshold", "unhealthy_threshold", "response_timeout", "strategy"),
	"upgrade_strategy": setOf("start_first", "batch_size", "interval_millis"),
	"autoscale":        setOf("min", "max", "step_up", "step_down", "cooldown_up", "cooldown_down", "mode"),
	"scale_policy":     setOf("increment", "min", "max"),
}

// rancherOnly are rancher-compose keys with no Swarm equivalent: refused rather than
// silently dropped, so that a user knows the stack will not behave as under Rancher.
var rancherOnly = setOf("retain_ip", "lb_config", "external_ips", "metadata", "storage_driver",
	"network_driver", "service_schemas", "drain_timeout_ms", "start_on_create", "vcpu", "memory",
	"userdata", "disks", "hostname", "recreate_on_quorum_strategy_config")

// checkExosKeys reports unknown and Rancher-only keys of one service entry, with lines.
func checkExosKeys(file, path string, svc *yaml.Node, ps *problems) {
	if svc.Kind != yaml.MappingNode {
		ps.add(file, svc.Line, path, "must be a mapping")
		return
	}
	for _, p := range pairs(svc) {
		key := p.key.Value
		sub, known := exosKeys[key]
		switch {
		case rancherOnly[key]:
			ps.add(file, p.key.Line, path+"."+key, "not supported on Swarm: %s", key)
		case !known:
			ps.add(file, p.key.Line, path+"."+key, "unknown key")
		case sub != nil:
			checkBlockKeys(file, path+"."+key, p.value, sub, ps)
		}
	}
}

func checkBlockKeys(file, path string, block *yaml.Node, known map[string]bool, ps *problems) {
	if block.Kind != yaml.MappingNode {
		ps.add(file, block.Line, path, "must be a mapping")
		return
	}
	for _, p := range pairs(block) {
		key := p.key.Value
		switch {
		case rancherOnly[key]:
			ps.add(file, p.key.Line, path+"."+key, "not supported on Swarm: %s", key)
		case !known[key]:
			ps.add(file, p.key.Line, path+"."+key, "unknown key")
		}
	}
}
