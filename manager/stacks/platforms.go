package stacks

import (
	"strings"

	dockerswarm "github.com/docker/docker/api/types/swarm"

	"github.com/exos-platform/exos/manager/api"
)

// withPlatforms puts an image's platforms into the task's placement as docker's client
// does when it resolves an image for `docker stack deploy` (client.ServiceCreate and
// ServiceUpdate with QueryRegistry, resolveContainerSpecImage): in the image's order,
// the os and the architecture only, no architecture for arm (nodes report armv7l;
// moby/swarmkit#2294), replacing whatever platforms the placement had and keeping the
// rest of it. An image that names no platform leaves the placement as it is.
func withPlatforms(task *dockerswarm.TaskSpec, platforms []api.Platform) {
	if len(platforms) == 0 {
		return
	}
	out := make([]dockerswarm.Platform, 0, len(platforms))
	for _, p := range platforms {
		arch := p.Architecture
		if strings.ToLower(arch) == "arm" {
			arch = ""
		}
		out = append(out, dockerswarm.Platform{Architecture: arch, OS: p.OS})
	}
	if task.Placement == nil {
		task.Placement = &dockerswarm.Placement{}
	}
	task.Placement.Platforms = out
}

// recordedPlatforms are the platforms rev recorded for service's image, if the service
// deploys that image: a revision deployed again (rollback, recovery, drift, diff) gets
// them from its record, not from the registry. Revisions recorded before platforms were
// have none.
func recordedPlatforms(rev api.Revision, service, image string) ([]api.Platform, bool) {
	platforms, ok := rev.Platforms[service]
	return platforms, ok && rev.Images[service] == image
}
