package stacks

import (
	"context"
	"maps"
	"slices"
	"strings"

	"github.com/distribution/reference"

	"github.com/exos-platform/exos/manager/api"
	"github.com/exos-platform/exos/manager/state"
)

// SetImage deploys one service of a stack at another image, as the stack's next
// revision: the files of the latest applied revision, with that service's image
// overridden (recorded, so rollbacks and recovery reproduce it; a deploy of files drops
// it). A tag of a known registry is resolved to its digest first; if the service already
// runs that digest, nothing is deployed and the result says Unchanged, so retries are
// safe. req.Service is the compose name (web) or the name on the swarm (stack_web).
//
// Errors, with nothing changed: an unknown stack or service is ErrNotFound, an image
// that is no reference ErrInvalid, an unknown tag ErrUnprocessable, an unreachable
// registry ErrBadGateway.
func (s *Service) SetImage(ctx context.Context, stack string, req api.SetImageRequest, author, remoteAddr string) (api.SetImageResult, error) {
	if stack == api.ManagerStack {
		return api.SetImageResult{}, api.Errorf(api.ErrInvalid, "stack %q is the EXOS manager: upgrade it with `docker exos manager install` instead", stack)
	}
	named, err := reference.ParseNormalizedNamed(req.Image)
	if err != nil {
		return api.SetImageResult{}, api.Errorf(api.ErrInvalid, "%q is no image reference (give repo[:tag] or repo@sha256:...): %v", req.Image, err)
	}
	image := reference.FamiliarString(named)
	defer s.lock(stack)()
	base, err := s.lastApplied(stack)
	if err != nil {
		return api.SetImageResult{}, err
	}
	service, err := serviceOf(base, req.Service)
	if err != nil {
		return api.SetImageResult{}, err
	}
	for _, a := range base.Attachments {
		if a.Withheld {
			return api.SetImageResult{}, api.Errorf(api.ErrInvalid, "revision %d created secrets from %s, whose content EXOS does not keep; deploy the stack again with its files instead", base.Number, a.Name)
		}
	}
	pinned, known := image, false
	var platforms []api.Platform
	if s.registries != nil {
		if pinned, platforms, known, err = s.registries.Resolve(ctx, image, base.Env); err != nil {
			return api.SetImageResult{}, err
		}
	}
	if s.runs(stack+"_"+service, pinned) {
		res := api.DeployResult{Stack: stack, Env: base.Env, Revision: base.Number}
		return api.SetImageResult{DeployResult: res, Image: pinned, Unchanged: true}, nil
	}
	rev := api.Revision{
		Stack: stack, Author: author, RemoteAddr: remoteAddr, Env: base.Env,
		ComposeFiles: base.ComposeFiles, ExosFile: base.ExosFile, Variables: base.Variables,
		Template: base.Template, Withheld: base.Withheld, WorkingDir: base.WorkingDir, HomeDir: base.HomeDir, Prune: base.Prune,
		ImageOverrides: maps.Clone(base.ImageOverrides), Images: maps.Clone(base.Images),
	}
	if rev.ImageOverrides == nil {
		rev.ImageOverrides = map[string]api.ImageOverride{}
	}
	rev.ImageOverrides[service] = api.ImageOverride{Image: image, Guarded: req.Guarded}
	// The other services keep the digests they run; this one gets the one just resolved,
	// and its platforms.
	rev.Images[service] = pinned
	rev.Platforms = withServicePlatforms(base.Platforms, service, platforms, known)
	// Only the service's image changes on the swarm, as `docker service update --image`
	// would change it: replicas and whatever users changed natively stay (drift still
	// tells them), and no other service is touched.
	res, err := s.deploy(ctx, rev, base.Attachments, deployOptions{imageOnly: stack + "_" + service})
	if err != nil {
		return api.SetImageResult{}, err
	}
	return api.SetImageResult{DeployResult: res, Image: pinned}, nil
}

// lastApplied is the newest revision of the stack that was applied: what the swarm runs
// as far as EXOS made it, with its files.
func (s *Service) lastApplied(stack string) (api.Revision, error) {
	revs := s.store.RevisionsByStack(nil, stack)
	i := slices.IndexFunc(revs, func(r *state.Revision) bool { return r.State == api.RevisionApplied })
	switch {
	case len(revs) == 0:
		return api.Revision{}, api.Errorf(api.ErrNotFound, "stack %q has no revisions (deploy it with `docker exos stack deploy` first)", stack)
	case i < 0:
		return api.Revision{}, api.Errorf(api.ErrNotFound, "stack %q has no applied revision to change (see `docker exos stack history %s`)", stack, stack)
	}
	return s.Revision(stack, revs[i].Number)
}

// serviceOf is the compose name of service name (compose or full name) in rev.
func serviceOf(rev api.Revision, name string) (string, error) {
	short := strings.TrimPrefix(name, rev.Stack+"_")
	if _, ok := rev.Images[short]; ok {
		return short, nil
	}
	if _, ok := rev.Images[name]; ok {
		return name, nil
	}
	return "", api.Errorf(api.ErrNotFound, "stack %s has no service %q (it has %s)", rev.Stack, name, strings.Join(slices.Sorted(maps.Keys(rev.Images)), ", "))
}

// runs says whether the service on the swarm already runs image: the same reference, or
// the same repository at the same digest.
func (s *Service) runs(fullName, image string) bool {
	svc := s.store.ServiceByName(nil, fullName)
	if svc == nil || svc.Raw.Spec.TaskTemplate.ContainerSpec == nil {
		return false
	}
	running := svc.Raw.Spec.TaskTemplate.ContainerSpec.Image
	if running == image {
		return true
	}
	r, err1 := reference.ParseNormalizedNamed(running)
	w, err2 := reference.ParseNormalizedNamed(image)
	if err1 != nil || err2 != nil {
		return false
	}
	rd, ok1 := r.(reference.Canonical)
	wd, ok2 := w.(reference.Canonical)
	return ok1 && ok2 && rd.Digest() == wd.Digest() && r.Name() == w.Name()
}

// withServicePlatforms is recorded, with service's entry set to the platforms of its new
// image, or gone for an image of no known registry.
func withServicePlatforms(recorded map[string][]api.Platform, service string, platforms []api.Platform, known bool) map[string][]api.Platform {
	out := maps.Clone(recorded)
	delete(out, service)
	if known {
		if out == nil {
			out = map[string][]api.Platform{}
		}
		out[service] = platforms
	}
	return out
}
