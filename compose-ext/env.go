package composeext

import (
	"slices"

	"github.com/docker/docker/api/types/swarm"
)

// LabelEnv is the service label naming the environment a service is deployed into.
const LabelEnv = "io.exos.env"

// EnvConstraint is the placement constraint that keeps a service on env's nodes.
func EnvConstraint(env string) string {
	return "node.labels." + LabelEnv + "." + env + "==true"
}

// PlaceInEnv confines every service to the nodes of environment env: Swarm itself then
// enforces the isolation. Calling it again with the same env changes nothing.
func (s *Stack) PlaceInEnv(env string) {
	constraint := EnvConstraint(env)
	for i := range s.Services {
		spec := &s.Services[i].Spec
		if spec.Labels == nil {
			spec.Labels = map[string]string{}
		}
		spec.Labels[LabelEnv] = env
		if spec.TaskTemplate.Placement == nil {
			spec.TaskTemplate.Placement = &swarm.Placement{}
		}
		p := spec.TaskTemplate.Placement
		if !slices.Contains(p.Constraints, constraint) {
			p.Constraints = append(p.Constraints, constraint)
		}
	}
}

// Images returns each service's image reference, by compose service name.
func (s *Stack) Images() map[string]string {
	out := make(map[string]string, len(s.Services))
	for _, svc := range s.Services {
		out[svc.Name] = svc.Spec.TaskTemplate.ContainerSpec.Image
	}
	return out
}
