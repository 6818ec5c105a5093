package command

import (
	"context"

	"github.com/exos-platform/exos/manager/api"
)

// DashboardClient is what `docker exos dashboard` uses of the manager's API. It is part of
// ManagerClient, with an interface of its own so that its fake lives in a file of its own.
type DashboardClient interface {
	Dashboard(ctx context.Context, q api.DashboardQuery) (api.Dashboard, error)
	WatchDashboardReporting(ctx context.Context, q api.DashboardQuery, each func(api.Dashboard) error, lost func(error)) error
}
