package main

import (
	"context"
	"log/slog"
	"time"

	"github.com/exos-platform/exos/manager/audit"
	"github.com/exos-platform/exos/manager/authz"
	"github.com/spf13/pflag"
)

// auditOptions bound the audit log kept in the swarm.
type auditOptions struct {
	retention time.Duration
	maxBytes  int64
}

func (o *auditOptions) addFlags(flags *pflag.FlagSet) {
	flags.DurationVar(&o.retention, "audit-retention", 720*time.Hour, "Drop audit log segments whose newest event is older (0: keep them by age)")
	flags.Int64Var(&o.maxBytes, "audit-max-bytes", 64<<20, "Drop the oldest audit log segments beyond this much JSON (stored gzip-compressed, several times smaller; 0: no bound)")
}

func newAuditLog(objects audit.Objects, o auditOptions, log *slog.Logger) *audit.Log {
	return audit.New(audit.Config{Objects: objects, Now: time.Now, Log: log, Retention: o.retention, MaxBytes: o.maxBytes})
}

// flushAudit writes the batched audit events (denials, logins) once the server has
// drained, so that a manager stopped cleanly loses none of them.
func (m *manager) flushAudit() {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := m.audit.Flush(ctx); err != nil {
		m.log.Warn("cannot write the last audit events", "err", err)
	}
}

// noteFirstUse records the first request an API token authenticates: a token used by
// someone it was not meant for shows in the audit log when it starts, not only when it
// changes something.
func (m *manager) noteFirstUse(p authz.Principal, remoteAddr string) {
	m.audit.Note(audit.Event{Actor: p.Name, Source: remoteAddr, Action: "token.first-use",
		Object: "users/" + p.User, Env: p.Env, Result: audit.ResultOK})
}
