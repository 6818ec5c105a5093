package audit

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/docker/cli/cli"
	"github.com/docker/cli/cli/command/formatter"
	"github.com/exos-platform/exos/cli-plugin/command"
	"github.com/exos-platform/exos/manager/api"
	"github.com/spf13/cobra"
)

// maxPage is the most events the manager answers in one page.
const maxPage = 1000

const formatHelp = `Format output using a custom template:
'table':            Print output in table format with column headers (default)
'table TEMPLATE':   Print output in table format using the given Go template
'json':             Print each event as the API answers it, one JSON object a line
'TEMPLATE':         Print output using the given Go template (fields .ID, .Time, .Actor,
                    .Source, .Action, .Object, .Env, .Result, .Status, .RequestID,
                    .Revision, .Detail, .Count, .Route)`

type listOptions struct {
	since, until       string
	actor, env, action string
	limit              int
	all                bool
	format             string
	now                func() time.Time
}

func newListCommand(dockerCLI command.Cli) *cobra.Command {
	options := listOptions{now: time.Now}
	cmd := &cobra.Command{
		Use:     "ls [OPTIONS]",
		Aliases: []string{"list"},
		Short:   "List audit events, newest first",
		Long: `List the audit events you may see, newest first: the latest 100 unless --limit or --all
say otherwise (the manager answers in pages; this command follows them).

--since and --until take an RFC 3339 time (2026-03-01T12:00:00Z), a date (2026-03-01,
UTC), or a duration before now (90m, 24h). --actor matches a user and that user's tokens
("bob" matches "bob (token ci)"), or a hook ("alertmanager:3f2a..."); --action matches an
action or the actions under it ("stack" matches stack.deploy and stack.remove).

RESULT is ok, denied (authentication or authorization refused the request) or error,
with the HTTP status when it is not ok, and "x N" for a refusal repeated N times within a
minute. REV is the stack revision a change made.`,
		Example: `  docker exos audit ls
  docker exos audit ls --since 24h --env prod
  docker exos audit ls --actor bob --action stack --limit 20
  docker exos audit ls --all --since 2026-03-01 --until 2026-04-01 --format json > march.jsonl
  docker exos audit ls --format '{{.Time}} {{.Actor}} {{.Action}} {{.Object}} {{.Result}}'`,
		Args: cli.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runList(cmd.Context(), dockerCLI, options)
		},
	}
	flags := cmd.Flags()
	flags.StringVar(&options.since, "since", "", "Only events from this time on (RFC 3339, a date, or a duration before now: 24h)")
	flags.StringVar(&options.until, "until", "", "Only events before this time (RFC 3339, a date, or a duration before now)")
	flags.StringVar(&options.actor, "actor", "", "Only events of this actor: a user (and its tokens), or alertmanager:<hook id>")
	flags.StringVar(&options.env, "env", "", "Only events in this environment")
	flags.StringVar(&options.action, "action", "", "Only this action, or the actions under it (stack, stack.deploy, login)")
	flags.IntVarP(&options.limit, "limit", "n", 100, "Show at most this many events")
	flags.BoolVar(&options.all, "all", false, "Show every event that matches (all pages)")
	flags.StringVar(&options.format, "format", "", formatHelp)
	return cmd
}

func runList(ctx context.Context, dockerCLI command.Cli, options listOptions) error {
	q, err := options.query()
	if err != nil {
		return err
	}
	mgr, err := dockerCLI.Manager(ctx)
	if err != nil {
		return err
	}
	events, err := collect(ctx, mgr, q, options.limit, options.all)
	if err != nil {
		return err
	}
	format := options.format
	if format == "" {
		format = formatter.TableFormatKey
	}
	return FormatWrite(formatter.Context{Output: dockerCLI.Out(), Format: NewFormat(format)}, events)
}

// query is the filters the flags give, with relative times resolved against now.
func (o listOptions) query() (api.AuditQuery, error) {
	if !o.all && o.limit < 1 {
		return api.AuditQuery{}, errors.New("--limit must be at least 1 (or use --all)")
	}
	q := api.AuditQuery{Actor: o.actor, Env: o.env, Action: o.action}
	var err error
	if q.Since, err = parseTime("since", o.since, o.now()); err != nil {
		return q, err
	}
	if q.Until, err = parseTime("until", o.until, o.now()); err != nil {
		return q, err
	}
	return q, nil
}

// collect follows the pages until limit events (every one with all) or the last page.
func collect(ctx context.Context, mgr command.AuditClient, q api.AuditQuery, limit int, all bool) ([]api.AuditEvent, error) {
	out := []api.AuditEvent{}
	for {
		q.Limit = maxPage
		if !all {
			q.Limit = min(limit-len(out), maxPage)
		}
		page, next, err := mgr.ListAudit(ctx, q)
		if err != nil {
			return nil, fmt.Errorf("failed to read the audit log: %w", err)
		}
		out = append(out, page...)
		if next == "" || len(page) == 0 || !all && len(out) >= limit {
			return out, nil
		}
		q.Before = next
	}
}

// parseTime reads a --since or --until value: RFC 3339, a date (UTC), or a duration
// before now.
func parseTime(flag, s string, now time.Time) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return t, nil
	}
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		return t, nil
	}
	if d, err := time.ParseDuration(s); err == nil && d >= 0 {
		return now.Add(-d), nil
	}
	return time.Time{}, fmt.Errorf("--%s %q is not a time: give 2026-03-01T12:00:00Z, 2026-03-01, or a duration such as 24h", flag, s)
}
