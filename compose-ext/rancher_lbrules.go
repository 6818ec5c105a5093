package composeext

import (
	"fmt"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// The forwarding rules of Rancher's load balancers: lb_config port_rules for
// lb-service-haproxy, ports and target labels for the older load-balancer-service.

// lbConfigRules reads and checks the port_rules of a balancer's rancher-compose
// lb_config.
func (r *rancherReader) lbConfigRules(lb *rancherService) ([]lbRule, bool) {
	_, cfg := child(lb.exos, "lb_config")
	if cfg == nil {
		r.refuse(lb, lb.line, "image", "Rancher load balancer without lb_config in rancher-compose.yml: it forwards nothing")
		return nil, false
	}
	ok := r.lbL7(lb, cfg, "lb_config")
	_, rules := child(cfg, "port_rules")
	if rules == nil || rules.Kind != yaml.SequenceNode {
		r.ps.add(r.exos.name, lineOf(lb.exos, "lb_config"), lb.path("lb_config"), "Rancher load balancer without port_rules: it forwards nothing")
		return nil, false
	}
	var out []lbRule
	for i, rule := range rules.Content {
		key := fmt.Sprintf("%s.lb_config.port_rules.%d", lb.path(""), i)
		at := func(k string) int { return lineOf(rule, k) }
		get := func(k string) string { _, v := child(rule, k); return r.value(v) }
		for _, l7 := range []string{"hostname", "path", "selector"} {
			if get(l7) != "" {
				r.ps.add(r.exos.name, at(l7), key+"."+l7, "not supported on Swarm: Rancher load balancer rule by %s: Swarm's routing mesh "+
					"forwards ports only; run a reverse proxy (Traefik, nginx) as a service", l7)
				ok = false
			}
		}
		lr := lbRule{protocol: get("protocol"), service: get("service"), line: rule.Line, file: r.exos.name, key: key}
		switch lr.protocol {
		case "", "tcp", "http", "udp":
		default:
			r.ps.add(r.exos.name, at("protocol"), key+".protocol", "not supported on Swarm: Rancher load balancer protocol %s "+
				"(TLS termination): Swarm forwards TCP and UDP as they come; terminate TLS in the service or in a reverse proxy", lr.protocol)
			ok = false
		}
		var err1, err2 error
		lr.source, err1 = strconv.Atoi(get("source_port"))
		lr.target, err2 = strconv.Atoi(get("target_port"))
		if err1 != nil || err2 != nil {
			r.ps.add(r.exos.name, rule.Line, key, "Rancher load balancer rule needs a source_port and a target_port")
			ok = false
		}
		ok = r.lbTarget(lr) && ok
		out = append(out, lr)
	}
	return out, ok
}

// lbTarget checks that a rule forwards to a service of the stack.
func (r *rancherReader) lbTarget(lr lbRule) bool {
	switch t := r.services[lr.service]; {
	case strings.Contains(lr.service, "/"):
		r.ps.add(lr.file, lr.line, lr.key, "not supported on Swarm: Rancher load balancer rule to %s, a service of another stack: "+
			"publish the port in that stack", lr.service)
	case t == nil || t.dropped:
		r.ps.add(lr.file, lr.line, lr.key, "Rancher load balancer rule to %q: no such service in the stack", lr.service)
	default:
		return true
	}
	return false
}

// lbL7 refuses what only a proxy does: certificates, custom HAProxy configuration.
// Stickiness is dropped with a warning: the ports still forward.
func (r *rancherReader) lbL7(lb *rancherService, cfg *yaml.Node, key string) bool {
	ok := true
	for _, p := range pairs(cfg) {
		k := key + "." + p.key.Value
		empty := len(p.value.Content) == 0 && r.value(p.value) == ""
		switch p.key.Value {
		case "certs", "default_cert":
			if !empty {
				r.ps.add(r.exos.name, p.key.Line, lb.path(k), "not supported on Swarm: Rancher load balancer certificates (TLS termination): "+
					"terminate TLS in the service or in a reverse proxy (Traefik, nginx) run as a service")
				ok = false
			}
		case "config", "haproxy_config":
			if !empty {
				r.ps.add(r.exos.name, p.key.Line, lb.path(k), "not supported on Swarm: custom HAProxy configuration of a Rancher load balancer: "+
					"run HAProxy as a service of the stack")
				ok = false
			}
		case "stickiness_policy", "lb_cookie_stickiness_policy":
			r.exosWarn(lb, p.key.Line, k, "Rancher load balancer stickiness dropped: Swarm's routing mesh balances each connection")
		}
	}
	return ok
}

// linkRules reads the rules of an older load-balancer-service: its ports forward to the
// port after the colon of the one service it links, or as its target labels say
// (io.rancher.loadbalancer.target.<service>: SOURCE=TARGET, a host name or path before
// the = routing by them).
func (r *rancherReader) linkRules(lb *rancherService) ([]lbRule, bool) {
	ok := true
	if _, cfg := child(lb.exos, "load_balancer_config"); cfg != nil {
		ok = r.lbL7(lb, cfg, "load_balancer_config")
	}
	_, links := child(lb.node, "links")
	targets := map[string]string{} // by link name and alias
	var linked []string
	for _, item := range scalarValues(links) {
		target, alias, _ := strings.Cut(r.value(item), ":")
		targets[target], linked = target, append(linked, target)
		if alias != "" {
			targets[alias] = target
		}
	}
	if rules, labelled, labelsOK := r.targetLabelRules(lb, targets); labelled {
		return rules, ok && labelsOK
	}
	if len(linked) != 1 {
		r.refuse(lb, lb.line, "links", "not supported on Swarm: Rancher load balancer over %d services (links): Swarm publishes "+
			"a port for one service; run a reverse proxy as a service", len(linked))
		return nil, false
	}
	var rules []lbRule
	for _, key := range []string{"ports", "expose"} {
		_, v := child(lb.node, key)
		for _, item := range scalarValues(v) {
			spec, proto, _ := strings.Cut(r.value(item), "/")
			pub, ctr, two := strings.Cut(spec, ":")
			if !two {
				ctr = pub
			}
			src, _ := strconv.Atoi(pub)
			dst, _ := strconv.Atoi(ctr)
			lr := lbRule{source: src, target: dst, protocol: proto, service: linked[0], line: item.Line,
				file: lb.file.name, key: lb.path(key)}
			ok = r.lbTarget(lr) && ok
			rules = append(rules, lr)
		}
	}
	return rules, ok
}

// targetLabelRules reads the io.rancher.loadbalancer.target.* labels of a balancer. It
// reports whether it has any, and whether they all translate.
func (r *rancherReader) targetLabelRules(lb *rancherService, targets map[string]string) ([]lbRule, bool, bool) {
	_, l := child(lb.node, "labels")
	var rules []lbRule
	labelled, ok := false, true
	for _, label := range r.labelsOf(l) {
		name, found := strings.CutPrefix(label.name, "io.rancher.loadbalancer.target.")
		if !found {
			continue
		}
		labelled = true
		key := lb.path("labels." + label.name)
		for _, item := range splitList(label.value) {
			from, to, _ := strings.Cut(item, "=")
			src, err1 := strconv.Atoi(strings.TrimSpace(from))
			dst, err2 := strconv.Atoi(strings.TrimSpace(to))
			if err1 != nil || err2 != nil {
				r.ps.add(lb.file.name, label.line, key, "not supported on Swarm: Rancher load balancer rule %q by host name or path: "+
					"Swarm's routing mesh forwards ports, not host names or paths; run a reverse proxy (Traefik, nginx) as a service", item)
				ok = false
				continue
			}
			service := targets[name]
			if service == "" {
				service = name
			}
			lr := lbRule{source: src, target: dst, service: service, line: label.line, file: lb.file.name, key: key}
			ok = r.lbTarget(lr) && ok
			rules = append(rules, lr)
		}
	}
	return rules, labelled, ok
}
