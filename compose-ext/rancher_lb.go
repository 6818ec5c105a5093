package composeext

import (
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
)

// A Rancher load balancer is a service of its own (HAProxy) forwarding its ports to other
// services' ports. Swarm's routing mesh does that when the only rules are "publish port P
// on the nodes, forward it to port T of service S": S publishes P:T, and the balancer
// goes. Rules routing by host name or path, TLS termination (certificates), custom
// HAProxy configuration, and one port spread over several services are what only a
// reverse proxy does: refused.

// lbImages are Rancher's load balancer images: lb-service-haproxy (rancher-compose
// lb_config rules) and the older load-balancer-service (its ports forward to its links).
var lbImages = []string{"rancher/lb-service-haproxy", "rancher/load-balancer-service"}

// lbRule is one forwarding rule of a load balancer.
type lbRule struct {
	source, target int
	protocol       string
	service        string
	line           int
	file           string
	key            string
}

// lbPort is a port the balancer's service publishes or exposes, and its line.
type lbPort struct {
	published, container int
	exposed              bool
	line                 int
}

// translateLoadBalancers translates (or refuses) every Rancher load balancer service.
func (r *rancherReader) translateLoadBalancers() {
	for _, name := range r.order {
		s := r.services[name]
		if image := r.imageName(s.node); slices.Contains(lbImages, image) {
			s.lb = true
			r.translateLoadBalancer(s, image == lbImages[0])
		}
	}
}

func (r *rancherReader) translateLoadBalancer(lb *rancherService, v2 bool) {
	var rules []lbRule
	ok := true
	if v2 {
		rules, ok = r.lbConfigRules(lb)
	} else {
		rules, ok = r.linkRules(lb)
	}
	if !ok {
		return
	}
	ports, ok := r.lbPorts(lb)
	if !ok {
		return
	}
	bySource := map[int]string{}
	for _, rule := range rules {
		if other, dup := bySource[rule.source]; dup && other != rule.service {
			r.ps.add(rule.file, rule.line, rule.key, "not supported on Swarm: Rancher load balancer port %d spread over services %s and %s: "+
				"Swarm publishes a port for one service; run a reverse proxy as a service", rule.source, other, rule.service)
			return
		}
		bySource[rule.source] = rule.service
	}
	var done []string
	targets := map[string]bool{}
	sameports := true
	for _, rule := range rules {
		targets[rule.service] = true
		sameports = sameports && rule.source == rule.target
		p, published := lbPublished(ports, rule.source)
		if published == nil {
			done = append(done, fmt.Sprintf("%d to %s:%d inside the stack only: reach %s:%d", rule.source, rule.service, rule.target, rule.service, rule.target))
			continue
		}
		proto := "tcp"
		if rule.protocol == "udp" {
			proto = "udp"
		}
		spec := fmt.Sprintf("%d:%d/%s", p, rule.target, proto)
		// At the line of the balancer's port, in the compose file that now publishes it.
		ports := childSeq(r.services[rule.service].node, "ports", published.line)
		ports.Content = append(ports.Content, strNode(spec, published.line))
		done = append(done, fmt.Sprintf("%s publishes %s", rule.service, spec))
	}
	alias := ""
	if len(targets) == 1 && sameports {
		for t := range targets {
			r.addAlias(r.services[t], lb.name, lb.line)
			alias = fmt.Sprintf("; %s is a network alias of %s", lb.name, t)
		}
	}
	r.dropService(lb)
	sort.Strings(done)
	r.warn(lb, lb.line, "", "Rancher load balancer translated to Swarm's routing mesh, which publishes on every node: %s%s "+
		"(the balancer service is dropped, with its scale, health check and placement)", strings.Join(done, "; "), alias)
}

// lbPublished finds the port the balancer published for a rule's source port: the
// entry publishing it, else the one whose container port it is; nil when it is not
// published.
func lbPublished(ports []lbPort, source int) (int, *lbPort) {
	for i, p := range ports {
		if !p.exposed && p.published == source {
			return p.published, &ports[i]
		}
	}
	for i, p := range ports {
		if !p.exposed && p.container == source {
			return p.published, &ports[i]
		}
	}
	return 0, nil
}

// lbPorts reads the balancer's ports and expose entries (P[:C][/proto]).
func (r *rancherReader) lbPorts(lb *rancherService) ([]lbPort, bool) {
	var out []lbPort
	for _, key := range []string{"ports", "expose"} {
		_, v := child(lb.node, key)
		for _, item := range scalarValues(v) {
			spec, _, _ := strings.Cut(r.value(item), "/")
			pub, ctr, two := strings.Cut(spec, ":")
			if !two {
				ctr = pub
			}
			p, err1 := strconv.Atoi(strings.TrimSpace(pub))
			c, err2 := strconv.Atoi(strings.TrimSpace(ctr))
			if err1 != nil || err2 != nil {
				r.refuse(lb, item.Line, key, "Rancher load balancer port %q: give PORT or PUBLISHED:PORT", r.value(item))
				return nil, false
			}
			out = append(out, lbPort{published: p, container: c, exposed: key == "expose", line: item.Line})
		}
	}
	return out, true
}
