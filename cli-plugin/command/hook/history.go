package hook

import (
	"context"
	"fmt"

	"github.com/docker/cli/cli"
	"github.com/docker/cli/cli/command/formatter"
	flagsHelper "github.com/docker/cli/cli/flags"
	"github.com/exos-platform/exos/cli-plugin/command"
	"github.com/spf13/cobra"
)

type historyOptions struct {
	noTrunc bool
	format  string
	kind    string
}

func newHistoryCommand(dockerCLI command.Cli) *cobra.Command {
	options := historyOptions{}
	cmd := &cobra.Command{
		Use:   "history [OPTIONS] [HOOK]",
		Short: "Show the scale decisions taken on hook calls",
		Long: `Show the decisions the manager took on hook calls, one per alert of each call, oldest
first (newest last, like a log): the replicas before and after, and why (applied,
dry-run, clamped, duplicate, cooldown, stabilizing, deferred, resolved, rejected,
failed). Times are RFC 3339, in UTC. HOOK (an ID or a unique prefix of one) shows only
that hook's decisions; ` + "`docker exos stack history --scaling`" + ` shows a stack's. Calls
refused for a bad token are not listed: ` + "`docker exos hook ls`" + ` counts them (REJECTED).

For a deploy hook (HOOK of kind deploy, or --kind deploy) it shows the deliveries and
what became of them: accepted, unchanged (the digest already ran), duplicate, ignored
(registry events that ask for no deploy), rejected (with why), superseded (a newer push
replaced it before it ran), deployed (with the revision) and failed; then how each
rollout ended: converged, rolled_back (Swarm rolled it back, with its reason), failed,
or superseded (a later revision changed the image).`,
		Example: `  docker exos hook history
  docker exos hook history 3f2a9c1e | tail -5
  docker exos hook history --format '{{.Time}} {{.Service}} {{.Replicas}} {{.Decision}}'
  docker exos hook history --kind deploy
  docker exos hook history 9b8c7d6e --format '{{.Time}} {{.Image}} {{.Outcome}} {{.Revision}}'`,
		Args: cli.RequiresMaxArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runHistory(cmd.Context(), dockerCLI, options, args)
		},
	}
	flags := cmd.Flags()
	flags.BoolVar(&options.noTrunc, "no-trunc", false, "Do not truncate hook IDs")
	flags.StringVar(&options.format, "format", "", flagsHelper.FormatHelp)
	flags.StringVar(&options.kind, "kind", "", `Hooks of this kind: "scale" or "deploy" (default: HOOK's kind, else scale)`)
	return cmd
}

func runHistory(ctx context.Context, dockerCLI command.Cli, options historyOptions, args []string) error {
	var hook string
	if len(args) > 0 {
		hook = args[0]
	}
	if options.kind != "" && options.kind != kindScale && options.kind != kindDeploy {
		return fmt.Errorf("invalid --kind %q: use scale or deploy", options.kind)
	}
	mgr, err := dockerCLI.Manager(ctx)
	if err != nil {
		return err
	}
	kind := options.kind
	if kind == "" && hook != "" {
		h, err := mgr.InspectHook(ctx, hook)
		if err != nil {
			return err
		}
		kind = h.Kind
	}
	if kind == kindDeploy {
		deliveries, err := mgr.DeployHistory(ctx, hook, "")
		if err != nil {
			return err
		}
		return DeliveryWrite(formatter.Context{
			Output: dockerCLI.Out(), Format: newDeliveryFormat(formatSource(options.format)), Trunc: !options.noTrunc,
		}, deliveries)
	}
	decisions, err := mgr.ScaleHistory(ctx, hook, "")
	if err != nil {
		return err
	}
	fctx := formatter.Context{
		Output: dockerCLI.Out(),
		Format: newHistoryFormat(formatSource(options.format)),
		Trunc:  !options.noTrunc,
	}
	return DecisionWrite(fctx, decisions)
}
