package test

import (
	"context"

	"github.com/exos-platform/exos/manager/api"
)

// FakeRegistry implements command.RegistryClient; FakeManager embeds it. An unset field
// answers the zero value (an empty last page for lists) and no error.
type FakeRegistry struct {
	AddRegistryFunc          func(ctx context.Context, req api.RegistryAddRequest) (api.Registry, error)
	ListRegistriesFunc       func(ctx context.Context) ([]api.Registry, error)
	InspectRegistryFunc      func(ctx context.Context, name string) (api.Registry, error)
	RemoveRegistryFunc       func(ctx context.Context, name string) error
	TestRegistryLoginFunc    func(ctx context.Context, name string) (api.RegistryTestResult, error)
	RegistryRepositoriesFunc func(ctx context.Context, name string, p api.BrowsePage) ([]api.RegistryRepository, string, error)
	RegistryTagsFunc         func(ctx context.Context, name, repo string, p api.BrowsePage) ([]api.RegistryTag, string, error)
	RegistryImageFunc        func(ctx context.Context, name, ref string) (api.RegistryImage, error)
}

func (f *FakeRegistry) AddRegistry(ctx context.Context, req api.RegistryAddRequest) (api.Registry, error) {
	if f.AddRegistryFunc == nil {
		return api.Registry{Name: req.Name, URL: req.URL, Env: req.Env}, nil
	}
	return f.AddRegistryFunc(ctx, req)
}

func (f *FakeRegistry) ListRegistries(ctx context.Context) ([]api.Registry, error) {
	if f.ListRegistriesFunc == nil {
		return []api.Registry{}, nil
	}
	return f.ListRegistriesFunc(ctx)
}

func (f *FakeRegistry) InspectRegistry(ctx context.Context, name string) (api.Registry, error) {
	if f.InspectRegistryFunc == nil {
		return api.Registry{Name: name}, nil
	}
	return f.InspectRegistryFunc(ctx, name)
}

func (f *FakeRegistry) RemoveRegistry(ctx context.Context, name string) error {
	if f.RemoveRegistryFunc == nil {
		return nil
	}
	return f.RemoveRegistryFunc(ctx, name)
}

func (f *FakeRegistry) TestRegistryLogin(ctx context.Context, name string) (api.RegistryTestResult, error) {
	if f.TestRegistryLoginFunc == nil {
		return api.RegistryTestResult{Name: name, OK: true}, nil
	}
	return f.TestRegistryLoginFunc(ctx, name)
}

func (f *FakeRegistry) RegistryRepositories(ctx context.Context, name string, p api.BrowsePage) ([]api.RegistryRepository, string, error) {
	if f.RegistryRepositoriesFunc == nil {
		return []api.RegistryRepository{}, "", nil
	}
	return f.RegistryRepositoriesFunc(ctx, name, p)
}

func (f *FakeRegistry) RegistryTags(ctx context.Context, name, repo string, p api.BrowsePage) ([]api.RegistryTag, string, error) {
	if f.RegistryTagsFunc == nil {
		return []api.RegistryTag{}, "", nil
	}
	return f.RegistryTagsFunc(ctx, name, repo, p)
}

func (f *FakeRegistry) RegistryImage(ctx context.Context, name, ref string) (api.RegistryImage, error) {
	if f.RegistryImageFunc == nil {
		return api.RegistryImage{Registry: name}, nil
	}
	return f.RegistryImageFunc(ctx, name, ref)
}
