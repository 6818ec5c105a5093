package command

import (
	"context"

	"github.com/exos-platform/exos/manager/api"
)

// AuditClient is what `docker exos audit` uses of the manager's API. It is part of
// ManagerClient, with an interface of its own so that its fake lives in a file of its own.
type AuditClient interface {
	ListAudit(ctx context.Context, q api.AuditQuery) ([]api.AuditEvent, string, error)
}
