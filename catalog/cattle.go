package catalog

import (
	"fmt"
	"strings"

	composeext "github.com/exos-platform/exos/compose-ext"
	"gopkg.in/yaml.v3"
)

// Cattle-only features, found statically at index time so that `template ls` shows such a
// template as not deployable instead of failing half-way through a deploy.
var (
	// cattleServiceKeys are docker-compose service keys Swarm services cannot express.
	cattleServiceKeys = map[string]string{
		"volumes_from":   "Swarm services cannot mount another container's volumes (share a named volume)",
		"external_links": "Swarm has no links to containers outside the stack (attach an external network)",
		"network_mode":   "Swarm services cannot share a host's or container's network stack (use networks)",
		"net":            "Swarm services cannot share a host's or container's network stack (use networks)",
	}
	// cattleLabels are Rancher labels whose behaviour Swarm does not give.
	cattleLabels = map[string]string{
		"io.rancher.sidekicks":                   "sidekicks: Swarm cannot co-schedule containers as one unit",
		"io.rancher.container.start_once":        "run-once containers: use deploy.restart_policy.condition: none",
		"io.rancher.container.network":           "Rancher managed network: use networks",
		"io.rancher.container.dns":               "Rancher DNS: Swarm services use the stack's DNS",
		"io.rancher.container.agent.role":        "Rancher agent role: there is no Rancher API on Swarm",
		"io.rancher.container.create_agent":      "Rancher agent: there is no Rancher API on Swarm",
		"io.rancher.container.hostname_override": "hostname override: set hostname",
	}
	// cattleImages are Rancher's built-in service types.
	cattleImages = map[string]string{
		"rancher/lb-service-haproxy": "Rancher load balancer service: publish ports of the service itself",
		"rancher/external-service":   "Rancher external service: use an external network or extra_hosts",
		"rancher/dns-service":        "Rancher alias service: use a network alias",
	}
	// cattleExosKeys are rancher-compose service keys with no Swarm equivalent.
	cattleExosKeys = map[string]string{
		"lb_config":        "Rancher load balancer rules: publish ports of the service itself",
		"retain_ip":        "Swarm does not keep a task's IP across reschedules",
		"start_on_create":  "Swarm starts every service it creates",
		"external_ips":     "Rancher external service IPs: use extra_hosts",
		"metadata":         "Rancher metadata service: use configs",
		"storage_driver":   "Rancher storage driver service",
		"network_driver":   "Rancher network driver service",
		"service_schemas":  "Rancher service schemas",
		"drain_timeout_ms": "use stop_grace_period",
		"vcpu":             "Rancher VM services",
		"memory":           "Rancher VM services (use deploy.resources)",
		"userdata":         "Rancher VM services",
		"disks":            "Rancher VM services",
		"hostname":         "set hostname in the compose file",
	}
)

// checkCattle lists the Cattle-only features a version uses.
func checkCattle(v Version) []composeext.Problem {
	var ps []composeext.Problem
	compose := v.Compose
	if v.Template {
		// Lines are those of the output of the template rendered with sample answers.
		r, err := Render(v, sampleValues(v.Questions))
		if err != nil {
			compose.Content = nil
		} else {
			compose = r.ComposeFiles[0]
		}
	}
	for _, svc := range services(compose.Content) {
		ps = append(ps, checkComposeService(compose.Name, svc.key, svc.value)...)
	}
	if v.Exos != nil {
		for _, svc := range services(v.Exos.Content) {
			ps = append(ps, checkExosService(v.Exos.Name, svc.key, svc.value)...)
		}
	}
	return ps
}

type pair struct{ key, value *yaml.Node }

// services returns the service entries of a compose or rancher-compose file, in the v2+
// layout (services:) or the v1 layout (services at the top).
func services(content []byte) []pair {
	var root yaml.Node
	if yaml.Unmarshal(content, &root) != nil || len(root.Content) == 0 {
		return nil
	}
	top := root.Content[0]
	if _, s := mappingChild(top, "services"); s != nil {
		top = s
	}
	var out []pair
	for i := 0; top.Kind == yaml.MappingNode && i+1 < len(top.Content); i += 2 {
		k := top.Content[i]
		if k.Value != "version" && k.Value != ".catalog" && !strings.HasPrefix(k.Value, "x-") &&
			top.Content[i+1].Kind == yaml.MappingNode {
			out = append(out, pair{k, top.Content[i+1]})
		}
	}
	return out
}

func checkComposeService(file string, name, svc *yaml.Node) []composeext.Problem {
	var ps []composeext.Problem
	add := func(line int, key, why string) {
		ps = append(ps, composeext.Problem{File: file, Line: line, Key: "services." + name.Value + "." + key,
			Message: "not supported on Swarm: " + why})
	}
	for i := 0; i+1 < len(svc.Content); i += 2 {
		k, val := svc.Content[i], svc.Content[i+1]
		if why, ok := cattleServiceKeys[k.Value]; ok {
			add(k.Line, k.Value, why)
		}
		if k.Value == "labels" {
			for _, l := range labels(val) {
				if why := cattleLabel(l.key.Value); why != "" {
					add(l.key.Line, "labels."+l.key.Value, why)
				}
			}
		}
		if k.Value == "image" {
			repo, _, _ := strings.Cut(val.Value, ":")
			if why, ok := cattleImages[repo]; ok {
				add(val.Line, "image", why)
			}
		}
	}
	return ps
}

func cattleLabel(key string) string {
	if why, ok := cattleLabels[key]; ok {
		return why
	}
	if strings.HasPrefix(key, "io.rancher.scheduler.") {
		return fmt.Sprintf("Rancher scheduling rule %s: use deploy.placement constraints or deploy.mode: global", key)
	}
	return ""
}

// labels returns the labels of a mapping or of a "key=value" list, keyed by name.
func labels(n *yaml.Node) []pair {
	var out []pair
	switch n.Kind {
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			out = append(out, pair{n.Content[i], n.Content[i+1]})
		}
	case yaml.SequenceNode:
		for _, item := range n.Content {
			k, v, _ := strings.Cut(item.Value, "=")
			out = append(out, pair{&yaml.Node{Value: k, Line: item.Line}, &yaml.Node{Value: v, Line: item.Line}})
		}
	}
	return out
}

func checkExosService(file string, name, svc *yaml.Node) []composeext.Problem {
	var ps []composeext.Problem
	for i := 0; i+1 < len(svc.Content); i += 2 {
		k, val := svc.Content[i], svc.Content[i+1]
		why, ok := cattleExosKeys[k.Value]
		key := "services." + name.Value + "." + k.Value
		if !ok && k.Value == "health_check" {
			if sk, sv := mappingChild(val, "strategy"); sv != nil && sv.Value == "recreateOnQuorum" {
				why, ok, k, key = "Swarm has no recreate-on-quorum health strategy", true, sk, key+".strategy"
			}
		}
		if ok {
			ps = append(ps, composeext.Problem{File: file, Line: k.Line, Key: key, Message: "not supported on Swarm: " + why})
		}
	}
	return ps
}
