package stacks

import (
	"fmt"
	"net/http"
	"slices"

	"github.com/docker/docker/api/types/swarm"

	composeext "github.com/exos-platform/exos/compose-ext"
	"github.com/exos-platform/exos/manager/api"
)

// checkPorts looks at the ports the stack publishes against every other service of the
// swarm (from the index, which follows the event stream): an ingress port another service
// holds is refused, naming it, since Swarm would refuse it only once the deploy is under
// way; a host-mode port another service publishes is a warning (their tasks can never
// share a node). Services of the stack itself are left out: a deploy replaces them.
func (s *Service) checkPorts(stack *composeext.Stack, strict bool) ([]api.Problem, error) {
	held := map[portKey]string{}
	for _, svc := range s.store.Services(nil) {
		if svc.Stack == stack.Name {
			continue
		}
		for _, p := range publishedPorts(svc.Raw) {
			held[keyOf(p)] = svc.Name
		}
	}
	var refused, warned []api.Problem
	for _, svc := range stack.Services {
		if svc.Spec.EndpointSpec == nil {
			continue
		}
		for _, p := range svc.Spec.EndpointSpec.Ports {
			other, taken := held[keyOf(p)]
			if p.PublishedPort == 0 || !taken {
				continue
			}
			where := locatedProblem(stack.Locate("services." + svc.Name + ".ports"))
			if ingress(p) {
				where.Message = fmt.Sprintf("port %d/%s is already published by service %s: publish another port, or free it there first", p.PublishedPort, protocol(p), other)
				refused = append(refused, where)
				continue
			}
			where.Message = fmt.Sprintf("host-mode port %d/%s is also published by service %s: their tasks can never run on the same node", p.PublishedPort, protocol(p), other)
			warned = append(warned, where)
		}
	}
	if strict {
		refused = append(refused, strictly(warned)...)
	}
	if len(refused) > 0 {
		return nil, &api.Error{StatusCode: http.StatusConflict, Message: fmt.Sprintf("stack %s clashes with services on the swarm; nothing was changed", stack.Name), Problems: refused}
	}
	return warned, nil
}

type portKey struct {
	port     uint32
	protocol string
	ingress  bool
}

func keyOf(p swarm.PortConfig) portKey {
	return portKey{port: p.PublishedPort, protocol: protocol(p), ingress: ingress(p)}
}

// publishedPorts are the ports a service holds: the ones its spec asks for and the ones
// Swarm assigned.
func publishedPorts(svc swarm.Service) []swarm.PortConfig {
	var out []swarm.PortConfig
	if svc.Spec.EndpointSpec != nil {
		out = append(out, svc.Spec.EndpointSpec.Ports...)
	}
	for _, p := range svc.Endpoint.Ports {
		if !slices.Contains(out, p) {
			out = append(out, p)
		}
	}
	return out
}

func ingress(p swarm.PortConfig) bool {
	return p.PublishMode == "" || p.PublishMode == swarm.PortConfigPublishModeIngress
}

func protocol(p swarm.PortConfig) string {
	if p.Protocol == "" {
		return string(swarm.PortConfigProtocolTCP)
	}
	return string(p.Protocol)
}

func locatedProblem(p composeext.Problem) api.Problem {
	return api.Problem{File: p.File, Line: p.Line, Key: p.Key, Message: p.Message}
}

// strictly turns warnings into the problems --strict refuses.
func strictly(warnings []api.Problem) []api.Problem {
	out := make([]api.Problem, 0, len(warnings))
	for _, w := range warnings {
		w.Message = "--strict refuses a warning: " + w.Message
		out = append(out, w)
	}
	return out
}
