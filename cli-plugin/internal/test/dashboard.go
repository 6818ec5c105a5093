package test

import (
	"context"

	"github.com/exos-platform/exos/manager/api"
)

// FakeDashboard implements command.DashboardClient; FakeManager embeds it. An unset
// DashboardFunc answers an empty dashboard; an unset WatchFunc sends Dashboard's answer
// once and waits until ctx ends, as a stream with no change would.
type FakeDashboard struct {
	DashboardFunc func(ctx context.Context, q api.DashboardQuery) (api.Dashboard, error)
	WatchFunc     func(ctx context.Context, q api.DashboardQuery, each func(api.Dashboard) error, lost func(error)) error
}

func (f *FakeDashboard) Dashboard(ctx context.Context, q api.DashboardQuery) (api.Dashboard, error) {
	if f.DashboardFunc == nil {
		return api.Dashboard{Env: q.Env}, nil
	}
	return f.DashboardFunc(ctx, q)
}

func (f *FakeDashboard) WatchDashboardReporting(ctx context.Context, q api.DashboardQuery, each func(api.Dashboard) error, lost func(error)) error {
	if f.WatchFunc != nil {
		return f.WatchFunc(ctx, q, each, lost)
	}
	d, err := f.Dashboard(ctx, q)
	if err != nil {
		return err
	}
	if err := each(d); err != nil {
		return err
	}
	<-ctx.Done()
	return ctx.Err()
}
