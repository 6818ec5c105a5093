package composeext

import (
	"fmt"
	"strings"

	"github.com/docker/docker/api/types/swarm"
)

// publishedPort is a published port as Swarm tells ports apart: the daemon maps the
// protocol through swarmapi.PortConfig_Protocol_value, where anything but udp and sctp
// is tcp (daemon/cluster/convert/service.go ServiceSpecToGRPC).
type publishedPort struct {
	port     uint32
	protocol string
}

func published(p swarm.PortConfig) publishedPort {
	proto := strings.ToLower(string(p.Protocol))
	if proto != "udp" && proto != "sctp" {
		proto = "tcp"
	}
	return publishedPort{port: p.PublishedPort, protocol: proto}
}

// hostMode reports whether the port is published on the nodes rather than through the
// routing mesh; the daemon takes an empty or unknown mode for ingress.
func hostMode(p swarm.PortConfig) bool {
	return strings.EqualFold(string(p.PublishMode), string(swarm.PortConfigPublishModeHost))
}

// portName names a port in messages: by its published port, else its target.
func portName(p swarm.PortConfig) string {
	k := published(p)
	if k.port == 0 {
		return fmt.Sprintf("%d/%s (target)", p.TargetPort, k.protocol)
	}
	return fmt.Sprintf("%d/%s", k.port, k.protocol)
}

// ports checks each service's endpoint (controlapi/service.go validateEndpointSpec), and
// the ports services of the stack would take from each other (checkPortConflicts: an
// ingress port belongs to one service; host ports may be shared only with host ports).
// Ports held by services outside the stack are the manager's to check, on the swarm.
func (c *preflight) ports() {
	ingress := map[publishedPort]string{}
	host := map[publishedPort]string{}
	for _, svc := range c.st.Services {
		ep := svc.Spec.EndpointSpec
		if ep == nil {
			continue
		}
		c.endpoint(svc, ep)
		for _, p := range ep.Ports {
			k := published(p)
			if k.port == 0 {
				continue // Swarm picks a free port
			}
			other := ingress[k]
			if !hostMode(p) && other == "" {
				other = host[k]
			}
			if other != "" && other != svc.Name {
				c.problem(serviceKey(svc, "ports"), "published port %d/%s is also published by service %q, and Swarm gives a port published in ingress mode to one service only: publish another port, or use mode: host on both", k.port, k.protocol, other)
			}
			owners := ingress
			if hostMode(p) {
				owners = host
			}
			if owners[k] == "" {
				owners[k] = svc.Name
			}
		}
	}
}

// endpoint applies validateEndpointSpec and the daemon's resolution mode check to one
// service.
func (c *preflight) endpoint(svc Service, ep *swarm.EndpointSpec) {
	switch ep.Mode {
	case "", swarm.ResolutionModeVIP, swarm.ResolutionModeDNSRR:
	default:
		c.problem(serviceKey(svc, "deploy.endpoint_mode"), "unknown endpoint_mode %q: use vip or dnsrr", ep.Mode)
	}
	seen := map[publishedPort]bool{}
	for _, p := range ep.Ports {
		k := published(p)
		if ep.Mode == swarm.ResolutionModeDNSRR && !hostMode(p) {
			c.problem(serviceKey(svc, "ports"), "port %s is published in ingress mode, which Swarm refuses with endpoint_mode: dnsrr: publish it with mode: host", portName(p))
		}
		if k.port == 0 {
			continue
		}
		if seen[k] {
			c.problem(serviceKey(svc, "ports"), "published port %d/%s is published twice: Swarm refuses the same published port twice in one service, so remove one", k.port, k.protocol)
		}
		seen[k] = true
	}
}
