package command

import (
	"context"

	"github.com/exos-platform/exos/manager/api"
)

// RegistryClient is what `docker exos registry` uses of the manager's API. It is part of
// ManagerClient, with an interface of its own so that its fake lives in a file of its own.
type RegistryClient interface {
	AddRegistry(ctx context.Context, req api.RegistryAddRequest) (api.Registry, error)
	ListRegistries(ctx context.Context) ([]api.Registry, error)
	InspectRegistry(ctx context.Context, name string) (api.Registry, error)
	RemoveRegistry(ctx context.Context, name string) error
	TestRegistryLogin(ctx context.Context, name string) (api.RegistryTestResult, error)
	RegistryRepositories(ctx context.Context, name string, p api.BrowsePage) ([]api.RegistryRepository, string, error)
	RegistryTags(ctx context.Context, name, repo string, p api.BrowsePage) ([]api.RegistryTag, string, error)
	RegistryImage(ctx context.Context, name, ref string) (api.RegistryImage, error)
}
