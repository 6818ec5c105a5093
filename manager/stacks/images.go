package stacks

import (
	"context"
	"fmt"
	"time"

	"github.com/distribution/reference"
	"github.com/docker/docker/api/types/container"
	dockerswarm "github.com/docker/docker/api/types/swarm"

	composeext "github.com/exos-platform/exos/compose-ext"
	"github.com/exos-platform/exos/manager/api"
	"github.com/exos-platform/exos/manager/swarm"
)

// Registries are the private registries deploys pull from; *registries.Service
// implements them.
type Registries interface {
	// Resolve pins image to its digest if it is in a registry a stack of env uses, and
	// gives its platforms; known is false (pinned the image, no platforms) for an image
	// of no known registry.
	Resolve(ctx context.Context, image, env string) (pinned string, platforms []api.Platform, known bool, err error)
	// EncodedAuth is the X-Registry-Auth that pulls image for a stack of env, "" for none.
	EncodedAuth(image, env string) (string, error)
}

// UseRegistries makes deploys pass the credentials of known registries to Swarm and pin
// their images to digests. Without it (nil) images are deployed as the files name them.
func (s *Service) UseRegistries(r Registries) { s.registries = r }

// applyImages puts a revision's image choices onto its converted stack: the images
// set-image chose (overrides), then the digests the revision was deployed with (Images),
// and the platforms recorded with them, so that recovering, rolling back to or telling
// the drift of a revision reproduces exactly what it deployed. A recorded digest pins
// only the image it was resolved from.
func applyImages(stack *composeext.Stack, rev api.Revision) {
	for i := range stack.Services {
		svc := &stack.Services[i]
		cs := svc.Spec.TaskTemplate.ContainerSpec
		if cs == nil {
			continue
		}
		if o, ok := rev.ImageOverrides[svc.Name]; ok {
			cs.Image = o.Image
			// The stack's image label is what later deploys compare the files' image
			// with: it names the image the service now deploys.
			svc.Spec.Labels[swarm.LabelImage] = o.Image
			if o.Guarded {
				guardRollout(&svc.Spec)
			}
		}
		if pin, ok := rev.Images[svc.Name]; ok && pins(pin, cs.Image) {
			cs.Image = pin
		}
		if platforms, ok := recordedPlatforms(rev, svc.Name, cs.Image); ok {
			withPlatforms(&svc.Spec.TaskTemplate, platforms)
		}
	}
}

// pins says whether pin (repo:tag@digest) is image (repo[:tag], no digest) resolved.
func pins(pin, image string) bool {
	p, err := reference.ParseNormalizedNamed(pin)
	if err != nil {
		return false
	}
	i, err := reference.ParseNormalizedNamed(image)
	if err != nil {
		return false
	}
	_, pinned := p.(reference.Canonical)
	_, digested := i.(reference.Canonical)
	tagged, hasTag := p.(reference.Tagged)
	if !pinned || digested || !hasTag {
		return false
	}
	return reference.TrimNamed(p).String()+":"+tagged.Tag() == reference.TagNameOnly(i).String()
}

// pinImages resolves the tag of every image of a known registry to its digest, and
// puts the image's platforms into the service's placement, before anything is written:
// an unknown tag or an unreachable registry fails the deploy with nothing changed. An
// image whose platforms rev recorded (applyImages put them in) is not asked again.
// Images of no known registry stay as the files name them, and cost no call at all. It
// returns the platforms to record, by service.
func (s *Service) pinImages(ctx context.Context, stack *composeext.Stack, rev api.Revision) (map[string][]api.Platform, error) {
	var platforms map[string][]api.Platform
	record := func(service string, ps []api.Platform) {
		if platforms == nil {
			platforms = map[string][]api.Platform{}
		}
		platforms[service] = ps
	}
	resolved := map[string]resolvedImage{}
	for i := range stack.Services {
		svc := &stack.Services[i]
		cs := svc.Spec.TaskTemplate.ContainerSpec
		if cs == nil || !isReference(cs.Image) {
			continue
		}
		if ps, ok := recordedPlatforms(rev, svc.Name, cs.Image); ok {
			record(svc.Name, ps)
			continue
		}
		if s.registries == nil {
			continue
		}
		r, ok := resolved[cs.Image]
		if !ok {
			var err error
			if r.pinned, r.platforms, r.known, err = s.registries.Resolve(ctx, cs.Image, rev.Env); err != nil {
				return nil, fmt.Errorf("service %s: %w", svc.Name, err)
			}
			resolved[cs.Image] = r
		}
		cs.Image = r.pinned
		if r.known {
			withPlatforms(&svc.Spec.TaskTemplate, r.platforms)
			record(svc.Name, r.platforms)
		}
	}
	return platforms, nil
}

// resolvedImage is what Resolve answered for an image.
type resolvedImage struct {
	pinned    string
	platforms []api.Platform
	known     bool
}

// isReference says whether image parses as an image reference. One that does not (a
// blank ${IMAGE}) is in no registry: it goes to the Engine as it is, which refuses it as
// it always did.
func isReference(image string) bool {
	_, err := reference.ParseNormalizedNamed(image)
	return err == nil
}

// swarmOptions are the Swarm options a deploy of stack sends: prune, and the
// credentials of the known registries its images are in.
func (s *Service) swarmOptions(stack *composeext.Stack, rev api.Revision) (swarm.Options, error) {
	opts := swarm.Options{Prune: rev.Prune}
	if s.registries == nil {
		return opts, nil
	}
	for _, svc := range stack.Services {
		cs := svc.Spec.TaskTemplate.ContainerSpec
		if cs == nil || !isReference(cs.Image) {
			continue
		}
		auth, err := s.registries.EncodedAuth(cs.Image, rev.Env)
		if err != nil {
			return opts, fmt.Errorf("service %s: %w", svc.Name, err)
		}
		if auth != "" {
			if opts.RegistryAuth == nil {
				opts.RegistryAuth = map[string]string{}
			}
			// The full name on the swarm, as swarm.DesiredServices names services.
			opts.RegistryAuth[stack.Name+"_"+svc.Name] = auth
		}
	}
	return opts, nil
}

// withClientAuth gives each service whose image is in none of the known registries the
// client's credentials for its image's registry host, if the client sent any: known
// registries' credentials are EXOS's, the same for every deploy of the stack.
func withClientAuth(opts *swarm.Options, stack *composeext.Stack, clientAuth map[string]string) {
	for _, svc := range stack.Services {
		cs := svc.Spec.TaskTemplate.ContainerSpec
		full := stack.Name + "_" + svc.Name
		if cs == nil || opts.RegistryAuth[full] != "" {
			continue
		}
		named, err := reference.ParseNormalizedNamed(cs.Image)
		if err != nil {
			continue
		}
		if auth := clientAuth[reference.Domain(named)]; auth != "" {
			if opts.RegistryAuth == nil {
				opts.RegistryAuth = map[string]string{}
			}
			opts.RegistryAuth[full] = auth
		}
	}
}

// guardRollout makes a service's update safe to run unattended: start the new task
// before stopping an old one, roll back when it fails, and watch new tasks long enough
// for their healthcheck to decide (start period + interval x retries), never less than
// the spec's own monitor. The rollback is start-first and watched as long.
func guardRollout(spec *dockerswarm.ServiceSpec) {
	monitor := healthWindow(spec.TaskTemplate.ContainerSpec.Healthcheck)
	spec.UpdateConfig = guarded(spec.UpdateConfig, monitor, dockerswarm.UpdateFailureActionRollback)
	spec.RollbackConfig = guarded(spec.RollbackConfig, monitor, dockerswarm.UpdateFailureActionPause)
}

func guarded(uc *dockerswarm.UpdateConfig, monitor time.Duration, failure string) *dockerswarm.UpdateConfig {
	out := dockerswarm.UpdateConfig{Parallelism: 1} // Swarm's default; 0 would mean all at once
	if uc != nil {
		out = *uc
	}
	out.Order = dockerswarm.UpdateOrderStartFirst
	out.FailureAction = failure
	out.Monitor = max(out.Monitor, monitor, defaultMonitor)
	return &out
}

// Docker's healthcheck defaults, for a healthcheck that leaves them out.
const (
	defaultHealthInterval = 30 * time.Second
	defaultHealthRetries  = 3
)

// healthWindow is how long a new task may take to turn healthy: its start period, then
// retries failed checks an interval apart. 0 without a healthcheck in the spec (one the
// image defines is not known here: the spec's monitor and Swarm's default then hold).
func healthWindow(hc *container.HealthConfig) time.Duration {
	if !hasHealthcheck(hc) {
		return 0
	}
	interval, retries := hc.Interval, hc.Retries
	if interval == 0 {
		interval = defaultHealthInterval
	}
	if retries == 0 {
		retries = defaultHealthRetries
	}
	return hc.StartPeriod + interval*time.Duration(retries)
}
