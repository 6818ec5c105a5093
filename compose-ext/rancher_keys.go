package composeext

import (
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// The compose v1 and v2 service keys Rancher took that docker's v3 schema lacks or that
// Swarm ignores: translated where Swarm has the same, refused where a Swarm service
// cannot do it (docker stack deploy would drop them with a warning, and the service would
// not work).

// rancherRefusedKeys are service keys whose value, when set, Swarm services cannot
// honour, with what to do instead.
var rancherRefusedKeys = map[string]string{
	"privileged": "Swarm services cannot run privileged containers; grant what the container needs with cap_add, or run it with docker run",
	"pid":        "Swarm services cannot share the host's (or another container's) process namespace; run it with docker run",
	"ipc":        "Swarm services cannot share the host's (or another container's) IPC namespace; run it with docker run",
	"uts":        "Swarm services cannot share the host's UTS namespace; run it with docker run",
	"devices":    "Swarm services cannot map host devices; run it with docker run",
	"external_links": "Rancher external links: Swarm has no links to containers outside the stack; " +
		"attach both stacks to an external network and use the other service's name",
	"cpuset": "Swarm services cannot pin CPUs; use deploy.resources.limits.cpus",
}

// translateService translates one service definition (of every compose file defining it).
func (r *rancherReader) translateService(s *rancherService) {
	for _, f := range r.files {
		k, def := child(f.services, s.name)
		if def == nil || def.Kind != yaml.MappingNode {
			continue
		}
		d := &rancherService{name: s.name, file: f, node: def, line: k.Line, mode: s.mode, lb: s.lb}
		r.translateLabels(d, def)
		r.translateKeys(d, def)
		if d.mode != "" {
			s.mode = d.mode
		}
		if d.volumeDriver != "" {
			s.volumeDriver = d.volumeDriver
		}
	}
}

// translateKeys translates the service keys docker's schema lacks.
func (r *rancherReader) translateKeys(s *rancherService, svc *yaml.Node) {
	for _, p := range pairs(svc) {
		k, line := p.key.Value, p.key.Line
		if still, _ := child(svc, k); still != p.key {
			continue // read with another key
		}
		v := r.value(p.value)
		switch k {
		case "net", "network_mode":
			r.networkMode(s, svc, p)
		case "log_driver", "log_opt":
			deleteKey(svc, k)
			if v == "" && len(p.value.Content) == 0 {
				continue // Docker's default
			}
			logging := childMap(svc, "logging", line)
			if k == "log_driver" {
				setKey(logging, "driver", p.value)
			} else {
				setKey(logging, "options", p.value)
			}
			r.warn(s, line, k, "compose v1 %s: logging.%s", k, map[string]string{"log_driver": "driver", "log_opt": "options"}[k])
		case "mem_limit", "mem_reservation":
			deleteKey(svc, k)
			if v == "" || v == "0" {
				continue
			}
			block := map[string]string{"mem_limit": "limits", "mem_reservation": "reservations"}[k]
			res := childMap(childMap(childMap(svc, "deploy", line), "resources", line), block, line)
			setKey(res, "memory", strNode(p.value.Value, p.value.Line)) // a string, as docker's schema wants
			r.warn(s, line, k, "%s: deploy.resources.%s.memory: %s", k, block, v)
		case "cpu_quota":
			r.cpuQuota(s, svc, p)
		case "cpu_period":
			if _, quota := child(svc, "cpu_quota"); quota == nil {
				deleteKey(svc, k)
				r.warn(s, line, k, "cpu_period dropped: without cpu_quota it limits nothing")
			}
		case "cpu_shares", "memswap_limit", "mem_swappiness", "oom_kill_disable":
			deleteKey(svc, k)
			if v != "" {
				r.warn(s, line, k, "%s dropped: Swarm services cannot set it (the container runs with Docker's default)", k)
			}
		case "volume_driver":
			deleteKey(svc, k)
			s.volumeDriver = v
		default:
			if why, ok := rancherRefusedKeys[k]; ok {
				r.refusedKey(s, svc, p, v, why)
			}
		}
	}
}

// refusedKey refuses a key Swarm cannot honour, unless its value asks for nothing.
func (r *rancherReader) refusedKey(s *rancherService, svc *yaml.Node, p pair, v, why string) {
	deleteKey(svc, p.key.Value)
	empty := v == "" && (p.value.Kind == yaml.ScalarNode || len(p.value.Content) == 0)
	if empty || (p.key.Value == "privileged" && !isTrue(v)) {
		return
	}
	r.refuse(s, p.key.Line, p.key.Value, "not supported on Swarm: %s", why)
}

// cpuQuota: a CFS quota (over cpu_period, 100ms by default) is a CPU limit, which Swarm
// sets the same way.
func (r *rancherReader) cpuQuota(s *rancherService, svc *yaml.Node, p pair) {
	deleteKey(svc, "cpu_quota")
	quota, err := strconv.ParseInt(r.value(p.value), 10, 64)
	period := int64(100000)
	if _, pv := deleteKey(svc, "cpu_period"); pv != nil {
		period, _ = strconv.ParseInt(r.value(pv), 10, 64)
	}
	if err != nil || quota <= 0 || period <= 0 {
		r.refuse(s, p.key.Line, "cpu_quota", "cpu_quota must be a positive number of microseconds (per cpu_period, 100000 by default)")
		return
	}
	cpus := strconv.FormatFloat(float64(quota)/float64(period), 'f', -1, 64)
	limits := childMap(childMap(childMap(svc, "deploy", p.key.Line), "resources", p.key.Line), "limits", p.key.Line)
	setKey(limits, "cpus", strNode(cpus, p.value.Line))
	r.warn(s, p.key.Line, "cpu_quota", "cpu_quota: deploy.resources.limits.cpus: %s", cpus)
}

// networkMode translates net (v1) and network_mode: host is the node's own network,
// which a service joins as an external network of that name, as docker does; Rancher's
// bridge and managed networks are the stack's network. A service with no network at all
// Swarm cannot run: the engine refuses the none network for services (moby/moby#44403,
// "could not find the corresponding predefined swarm network").
func (r *rancherReader) networkMode(s *rancherService, svc *yaml.Node, p pair) {
	k, line := p.key.Value, p.key.Line
	mode := r.value(p.value)
	deleteKey(svc, k)
	switch {
	case mode == "none":
		r.refuse(s, line, k, "not supported on Swarm: %s: none: a Swarm service cannot run without a network "+
			"(the engine refuses the none network for services); remove it, and the service joins the stack's network", k)
	case mode == "host":
		if nk, _ := child(svc, "networks"); nk != nil {
			r.refuse(s, line, k, "%s: host and networks: a service on the host network joins no other; keep one", k)
			return
		}
		setKey(svc, "networks", seqNode(line, strNode(mode, line)))
		if _, done := r.hostNetwork[s.file]; !done {
			r.hostNetwork[s.file] = line
		}
		r.warn(s, line, k, "%s: host: the service joins the node's \"host\" network (networks: [host], external)", k)
		// Swarm rejects the tasks of a host-network service that publishes ports
		// (moby/moby#34215); on the host network they were never mapped anyway.
		if pk, _ := deleteKey(svc, "ports"); pk != nil {
			r.warn(s, pk.Line, "ports", "ports dropped: on the host network the container listens on the node's ports itself")
		}
	case mode == "" || mode == "bridge" || mode == "default" || mode == "managed":
		if mode != "" {
			r.warn(s, line, k, "%s: %s dropped: the service joins the stack's network, where the other services reach it by name", k, mode)
		}
	case strings.HasPrefix(mode, "container:"):
		r.refuse(s, line, k, "not supported on Swarm: %s: %s shares another container's network stack, which a Swarm service cannot; "+
			"make it a service of its own and reach the other one by its name", k, mode)
	default:
		r.refuse(s, line, k, "not supported on Swarm: %s: %s; use networks", k, mode)
	}
}
