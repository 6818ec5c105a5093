package statetest

import (
	"fmt"

	"github.com/docker/docker/api/types/swarm"
)

// Service is a one-replica service of stack at the given version, running image
// exos/busybox:<version>: a version bump is a new spec.
func Service(id, name, stack string, version uint64) swarm.Service {
	one := uint64(1)
	return swarm.Service{
		ID:   id,
		Meta: swarm.Meta{Version: swarm.Version{Index: version}},
		Spec: swarm.ServiceSpec{
			Annotations:  swarm.Annotations{Name: name, Labels: map[string]string{"com.docker.stack.namespace": stack}},
			Mode:         swarm.ServiceMode{Replicated: &swarm.ReplicatedService{Replicas: &one}},
			TaskTemplate: swarm.TaskSpec{ContainerSpec: &swarm.ContainerSpec{Image: fmt.Sprintf("exos/busybox:%d", version)}},
		},
	}
}
