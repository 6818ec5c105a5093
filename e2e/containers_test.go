//go:build e2e

package e2e

import (
	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/api/types/filters"
)

// containerListOptions lists the containers of one Swarm service on a node.
func containerListOptions(service string) container.ListOptions {
	return container.ListOptions{Filters: filters.NewArgs(filters.Arg("label", "com.docker.swarm.service.name="+service))}
}
