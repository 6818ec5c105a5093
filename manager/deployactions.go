package main

import (
	"context"

	"github.com/exos-platform/exos/manager/api"
)

// deployActions stands in for the two actions behind deploy hooks until they land on
// main: registries.Service.Resolve (a tag pinned to its digest) and
// stacks.Service.SetImage (the stack's next revision at another image), both written
// for issue 13 in parallel. TO CONNECT: in newManager, pass Resolver: m.registries and
// Deployer: m.stacks to hooks.NewDeploys, and delete this file. Until then a push whose
// tag needs resolving answers 502, and an accepted push fails with this reason in its
// status, so nothing is deployed and nothing claims it was.
type deployActions struct{}

func (deployActions) Resolve(_ context.Context, image, _ string) (string, error) {
	return "", api.Errorf(api.ErrBadGateway, "this manager cannot resolve %s yet: image resolution through registries is not connected", image)
}

func (deployActions) SetImage(_ context.Context, stack string, _ api.SetImageRequest, _, _ string) (api.SetImageResult, error) {
	return api.SetImageResult{}, api.Errorf(api.ErrUnavailable, "this manager cannot deploy to stack %s yet: stack set-image is not connected", stack)
}
