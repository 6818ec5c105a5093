package swarm

import "github.com/docker/docker/api/types/swarm"

// narrowed is what a deploy of want writes over have. A deploy of the whole stack writes
// want; one with Options.ImageOnly changes one service's image the way `docker service
// update --image` does, so that nothing users changed natively is reverted by it: that
// service keeps the swarm's spec (replicas, settings changed by hand) but for its image,
// the image's platforms, the stack's image label, and the update and rollback settings
// the revision gives its rollout (the files', or guarded ones: taken from the revision
// either way, so that a guarded set-image followed by a plain one is no drift); every
// other service keeps its spec, and only its revision label moves to the new revision.
func narrowed(have, want swarm.ServiceSpec, opts Options) swarm.ServiceSpec {
	if opts.ImageOnly == "" {
		return want
	}
	next := deepCopy(have)
	next.Labels = withLabel(next.Labels, LabelRevision, want.Labels[LabelRevision])
	if want.Name != opts.ImageOnly || next.TaskTemplate.ContainerSpec == nil || want.TaskTemplate.ContainerSpec == nil {
		return next
	}
	next.Labels[LabelImage] = want.Labels[LabelImage]
	next.TaskTemplate.ContainerSpec.Image = want.TaskTemplate.ContainerSpec.Image
	// The platforms follow the image, as the revision records them for it (the stack's
	// conversion put them into want); the rest of the placement is the swarm's.
	var platforms []swarm.Platform
	if want.TaskTemplate.Placement != nil {
		platforms = want.TaskTemplate.Placement.Platforms
	}
	if next.TaskTemplate.Placement != nil || len(platforms) > 0 {
		placement := swarm.Placement{}
		if next.TaskTemplate.Placement != nil {
			placement = *next.TaskTemplate.Placement
		}
		placement.Platforms = platforms
		next.TaskTemplate.Placement = &placement
	}
	next.UpdateConfig, next.RollbackConfig = want.UpdateConfig, want.RollbackConfig
	return next
}

// creates says whether a deploy creates a service of its stack that the swarm does not
// have: every one for a deploy of the stack, none but its service for an image-only one
// (a service users removed natively stays removed).
func (o Options) creates(name string) bool {
	return o.ImageOnly == "" || o.ImageOnly == name
}
