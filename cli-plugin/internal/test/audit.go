package test

import (
	"context"

	"github.com/exos-platform/exos/manager/api"
)

// FakeAudit implements command.AuditClient; FakeManager embeds it. An unset field answers
// an empty last page.
type FakeAudit struct {
	ListAuditFunc func(ctx context.Context, q api.AuditQuery) ([]api.AuditEvent, string, error)
}

func (f *FakeAudit) ListAudit(ctx context.Context, q api.AuditQuery) ([]api.AuditEvent, string, error) {
	if f.ListAuditFunc == nil {
		return []api.AuditEvent{}, "", nil
	}
	return f.ListAuditFunc(ctx, q)
}
