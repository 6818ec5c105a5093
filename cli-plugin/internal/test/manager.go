package test

import (
	"context"

	"github.com/exos-platform/exos/cli-plugin/command"
	"github.com/exos-platform/exos/manager/api"
)

// FakeManager implements command.ManagerClient with one function field per method; an
// unset field answers with the zero value and no error.
type FakeManager struct {
	FakeIdentity
	FakeAudit
	FakeStackImages
	FakeRegistry
	FakeDashboard
	HealthFunc             func(ctx context.Context) error
	InfoFunc               func(ctx context.Context) (api.Info, error)
	DeployStackFunc        func(ctx context.Context, name string, req api.DeployRequest) (api.DeployResult, error)
	RollbackStackFunc      func(ctx context.Context, name string, to int) (api.DeployResult, error)
	DeployTemplateFunc     func(ctx context.Context, name string, req api.TemplateDeployRequest) (api.DeployResult, error)
	UpgradeStackFunc       func(ctx context.Context, name string, req api.StackUpgradeRequest) (api.DeployResult, error)
	ListStacksFunc         func(ctx context.Context) ([]api.Stack, error)
	InspectStackFunc       func(ctx context.Context, name string) (api.StackDetail, error)
	RemoveStackFunc        func(ctx context.Context, name string) (api.StackRemoval, error)
	StackServicesFunc      func(ctx context.Context, name string, q api.QueryOptions) ([]api.Service, uint64, error)
	StackContainersFunc    func(ctx context.Context, name string, q api.QueryOptions) ([]api.Container, uint64, error)
	StackHistoryFunc       func(ctx context.Context, name string) ([]api.Revision, error)
	StackRevisionFunc      func(ctx context.Context, name string, number int) (api.Revision, error)
	CreateEnvironmentFunc  func(ctx context.Context, req api.EnvironmentCreateRequest) (api.Environment, error)
	ListEnvironmentsFunc   func(ctx context.Context) ([]api.Environment, error)
	InspectEnvironmentFunc func(ctx context.Context, name string) (api.Environment, error)
	RemoveEnvironmentFunc  func(ctx context.Context, name string) error
	AddNodeFunc            func(ctx context.Context, env, node string) (api.Environment, error)
	RemoveNodeFunc         func(ctx context.Context, env, node string, opts api.RemoveNodeOptions) (api.Environment, error)
	CreateHookFunc         func(ctx context.Context, req api.HookCreateRequest) (api.HookSecret, error)
	ListHooksFunc          func(ctx context.Context) ([]api.Hook, error)
	InspectHookFunc        func(ctx context.Context, id string) (api.Hook, error)
	RotateHookFunc         func(ctx context.Context, id string) (api.HookSecret, error)
	RemoveHookFunc         func(ctx context.Context, id string) error
	ScaleHistoryFunc       func(ctx context.Context, hook, stack string) ([]api.ScaleDecision, error)
	RevokeHookFunc         func(ctx context.Context, id string) (api.Hook, error)
	DeployHistoryFunc      func(ctx context.Context, hook, stack string) ([]api.DeployDelivery, error)
	AddCatalogFunc         func(ctx context.Context, req api.CatalogAddRequest) (api.Catalog, error)
	ListCatalogsFunc       func(ctx context.Context) ([]api.Catalog, error)
	RefreshCatalogFunc     func(ctx context.Context, name string) ([]api.Catalog, error)
	RemoveCatalogFunc      func(ctx context.Context, name string) error
	ListTemplatesFunc      func(ctx context.Context, catalog, category, env string) ([]api.Template, error)
	InspectTemplateFunc    func(ctx context.Context, ref string) (api.Template, error)
}

var _ command.ManagerClient = (*FakeManager)(nil)

// BaseURL is a fixed address, so golden files do not depend on the test run.
func (*FakeManager) BaseURL() string { return "http://10.0.0.1:7420" }

func (f *FakeManager) Health(ctx context.Context) error {
	if f.HealthFunc == nil {
		return nil
	}
	return f.HealthFunc(ctx)
}

func (f *FakeManager) Info(ctx context.Context) (api.Info, error) {
	if f.InfoFunc == nil {
		return api.Info{}, nil
	}
	return f.InfoFunc(ctx)
}

func (f *FakeManager) DeployStack(ctx context.Context, name string, req api.DeployRequest) (api.DeployResult, error) {
	if f.DeployStackFunc == nil {
		return api.DeployResult{Stack: name}, nil
	}
	return f.DeployStackFunc(ctx, name, req)
}

func (f *FakeManager) RollbackStack(ctx context.Context, name string, to int) (api.DeployResult, error) {
	if f.RollbackStackFunc == nil {
		return api.DeployResult{Stack: name}, nil
	}
	return f.RollbackStackFunc(ctx, name, to)
}

func (f *FakeManager) DeployTemplate(ctx context.Context, name string, req api.TemplateDeployRequest) (api.DeployResult, error) {
	if f.DeployTemplateFunc == nil {
		return api.DeployResult{Stack: name}, nil
	}
	return f.DeployTemplateFunc(ctx, name, req)
}

func (f *FakeManager) UpgradeStack(ctx context.Context, name string, req api.StackUpgradeRequest) (api.DeployResult, error) {
	if f.UpgradeStackFunc == nil {
		return api.DeployResult{Stack: name}, nil
	}
	return f.UpgradeStackFunc(ctx, name, req)
}

func (f *FakeManager) ListStacks(ctx context.Context) ([]api.Stack, error) {
	if f.ListStacksFunc == nil {
		return []api.Stack{}, nil
	}
	return f.ListStacksFunc(ctx)
}

func (f *FakeManager) InspectStack(ctx context.Context, name string) (api.StackDetail, error) {
	if f.InspectStackFunc == nil {
		return api.StackDetail{}, nil
	}
	return f.InspectStackFunc(ctx, name)
}

func (f *FakeManager) RemoveStack(ctx context.Context, name string) (api.StackRemoval, error) {
	if f.RemoveStackFunc == nil {
		return api.StackRemoval{}, nil
	}
	return f.RemoveStackFunc(ctx, name)
}

func (f *FakeManager) StackServices(ctx context.Context, name string, q api.QueryOptions) ([]api.Service, uint64, error) {
	if f.StackServicesFunc == nil {
		return []api.Service{}, 0, nil
	}
	return f.StackServicesFunc(ctx, name, q)
}

func (f *FakeManager) StackContainers(ctx context.Context, name string, q api.QueryOptions) ([]api.Container, uint64, error) {
	if f.StackContainersFunc == nil {
		return []api.Container{}, 0, nil
	}
	return f.StackContainersFunc(ctx, name, q)
}

func (f *FakeManager) StackHistory(ctx context.Context, name string) ([]api.Revision, error) {
	if f.StackHistoryFunc == nil {
		return []api.Revision{}, nil
	}
	return f.StackHistoryFunc(ctx, name)
}

func (f *FakeManager) StackRevision(ctx context.Context, name string, number int) (api.Revision, error) {
	if f.StackRevisionFunc == nil {
		return api.Revision{}, nil
	}
	return f.StackRevisionFunc(ctx, name, number)
}

func (f *FakeManager) CreateEnvironment(ctx context.Context, req api.EnvironmentCreateRequest) (api.Environment, error) {
	if f.CreateEnvironmentFunc == nil {
		return api.Environment{Name: req.Name, Description: req.Description}, nil
	}
	return f.CreateEnvironmentFunc(ctx, req)
}

func (f *FakeManager) ListEnvironments(ctx context.Context) ([]api.Environment, error) {
	if f.ListEnvironmentsFunc == nil {
		return []api.Environment{}, nil
	}
	return f.ListEnvironmentsFunc(ctx)
}

func (f *FakeManager) InspectEnvironment(ctx context.Context, name string) (api.Environment, error) {
	if f.InspectEnvironmentFunc == nil {
		return api.Environment{Name: name}, nil
	}
	return f.InspectEnvironmentFunc(ctx, name)
}

func (f *FakeManager) RemoveEnvironment(ctx context.Context, name string) error {
	if f.RemoveEnvironmentFunc == nil {
		return nil
	}
	return f.RemoveEnvironmentFunc(ctx, name)
}

func (f *FakeManager) AddNode(ctx context.Context, env, node string) (api.Environment, error) {
	if f.AddNodeFunc == nil {
		return api.Environment{Name: env}, nil
	}
	return f.AddNodeFunc(ctx, env, node)
}

func (f *FakeManager) RemoveNode(ctx context.Context, env, node string, opts api.RemoveNodeOptions) (api.Environment, error) {
	if f.RemoveNodeFunc == nil {
		return api.Environment{Name: env}, nil
	}
	return f.RemoveNodeFunc(ctx, env, node, opts)
}

func (f *FakeManager) CreateHook(ctx context.Context, req api.HookCreateRequest) (api.HookSecret, error) {
	if f.CreateHookFunc == nil {
		return api.HookSecret{Hook: api.Hook{Kind: req.Kind, Action: req.Action, Services: req.Services}}, nil
	}
	return f.CreateHookFunc(ctx, req)
}

func (f *FakeManager) ListHooks(ctx context.Context) ([]api.Hook, error) {
	if f.ListHooksFunc == nil {
		return []api.Hook{}, nil
	}
	return f.ListHooksFunc(ctx)
}

func (f *FakeManager) InspectHook(ctx context.Context, id string) (api.Hook, error) {
	if f.InspectHookFunc == nil {
		return api.Hook{ID: id}, nil
	}
	return f.InspectHookFunc(ctx, id)
}

func (f *FakeManager) RotateHook(ctx context.Context, id string) (api.HookSecret, error) {
	if f.RotateHookFunc == nil {
		return api.HookSecret{Hook: api.Hook{ID: id}}, nil
	}
	return f.RotateHookFunc(ctx, id)
}

func (f *FakeManager) RemoveHook(ctx context.Context, id string) error {
	if f.RemoveHookFunc == nil {
		return nil
	}
	return f.RemoveHookFunc(ctx, id)
}

func (f *FakeManager) ScaleHistory(ctx context.Context, hook, stack string) ([]api.ScaleDecision, error) {
	if f.ScaleHistoryFunc == nil {
		return []api.ScaleDecision{}, nil
	}
	return f.ScaleHistoryFunc(ctx, hook, stack)
}

func (f *FakeManager) AddCatalog(ctx context.Context, req api.CatalogAddRequest) (api.Catalog, error) {
	if f.AddCatalogFunc == nil {
		return api.Catalog{Name: req.Name, URL: req.URL, Branch: req.Branch, Env: req.Env}, nil
	}
	return f.AddCatalogFunc(ctx, req)
}

func (f *FakeManager) ListCatalogs(ctx context.Context) ([]api.Catalog, error) {
	if f.ListCatalogsFunc == nil {
		return []api.Catalog{}, nil
	}
	return f.ListCatalogsFunc(ctx)
}

func (f *FakeManager) RefreshCatalog(ctx context.Context, name string) ([]api.Catalog, error) {
	if f.RefreshCatalogFunc == nil {
		return []api.Catalog{}, nil
	}
	return f.RefreshCatalogFunc(ctx, name)
}

func (f *FakeManager) RemoveCatalog(ctx context.Context, name string) error {
	if f.RemoveCatalogFunc == nil {
		return nil
	}
	return f.RemoveCatalogFunc(ctx, name)
}

func (f *FakeManager) ListTemplates(ctx context.Context, catalog, category, env string) ([]api.Template, error) {
	if f.ListTemplatesFunc == nil {
		return []api.Template{}, nil
	}
	return f.ListTemplatesFunc(ctx, catalog, category, env)
}

func (f *FakeManager) InspectTemplate(ctx context.Context, ref string) (api.Template, error) {
	if f.InspectTemplateFunc == nil {
		return api.Template{}, nil
	}
	return f.InspectTemplateFunc(ctx, ref)
}

func (f *FakeManager) RevokeHook(ctx context.Context, id string) (api.Hook, error) {
	if f.RevokeHookFunc == nil {
		return api.Hook{ID: id, Revoked: true}, nil
	}
	return f.RevokeHookFunc(ctx, id)
}

func (f *FakeManager) DeployHistory(ctx context.Context, hook, stack string) ([]api.DeployDelivery, error) {
	if f.DeployHistoryFunc == nil {
		return nil, nil
	}
	return f.DeployHistoryFunc(ctx, hook, stack)
}
