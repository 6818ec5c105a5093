package stack

import (
	"context"
	"fmt"

	"github.com/docker/cli/cli/command/formatter"
	"github.com/exos-platform/exos/cli-plugin/command"
	"github.com/exos-platform/exos/cli-plugin/command/hook"
	"github.com/exos-platform/exos/manager/api"
)

const (
	defaultScalingTableFormat = "table {{.Time}}\t{{.Service}}\t{{.Replicas}}\t{{.Decision}}\t{{.Hook}}\t{{.Reason}}"

	// maxScalingSteps bounds the steps shown under the revisions: an autoscaled stack
	// collects many, and --scaling shows them all.
	maxScalingSteps = 10
)

// newScalingFormat returns the format for `stack history --scaling`: table, json, or a
// Go template over hook.DecisionWrite's fields.
func newScalingFormat(source string, _ bool) formatter.Format {
	if source == formatter.TableFormatKey {
		return defaultScalingTableFormat
	}
	return formatter.Format(source)
}

// writeScaling writes every scale decision on the stack, oldest first.
func writeScaling(ctx context.Context, dockerCLI command.Cli, mgr command.ManagerClient, options listOptions, stack string) error {
	decisions, err := mgr.ScaleHistory(ctx, "", stack)
	if err != nil {
		return err
	}
	return hook.DecisionWrite(formatContext(dockerCLI, options, newScalingFormat), decisions)
}

// writeScalingSteps adds the latest applied and dry-run steps under the revisions table.
// The revisions are the command's answer, so a manager that cannot give the steps gets a
// warning, not a failure.
func writeScalingSteps(ctx context.Context, dockerCLI command.Cli, mgr command.ManagerClient, stack string) error {
	decisions, err := mgr.ScaleHistory(ctx, "", stack)
	if err != nil {
		_, _ = fmt.Fprintf(dockerCLI.Err(), "Cannot show the scaling steps of stack %s: %v\n", stack, err)
		return nil
	}
	steps := scalingSteps(decisions)
	if len(steps) == 0 {
		return nil
	}
	hidden := max(len(steps)-maxScalingSteps, 0)
	out := dockerCLI.Out()
	_, _ = fmt.Fprintln(out)
	fctx := formatter.Context{Output: out, Format: defaultScalingTableFormat, Trunc: true}
	if err := hook.DecisionWrite(fctx, steps[hidden:]); err != nil {
		return err
	}
	if hidden > 0 {
		_, _ = fmt.Fprintf(out, "%d earlier scaling steps not shown: docker exos stack history --scaling %s\n", hidden, stack)
	}
	return nil
}

// scalingSteps keeps the decisions that changed replicas, or would have in dry-run.
func scalingSteps(decisions []api.ScaleDecision) []api.ScaleDecision {
	var steps []api.ScaleDecision
	for _, d := range decisions {
		if d.Decision == api.DecisionApplied || d.Decision == api.DecisionDryRun {
			steps = append(steps, d)
		}
	}
	return steps
}
