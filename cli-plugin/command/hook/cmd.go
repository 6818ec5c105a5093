// Package hook holds `docker exos hook ...`: receiver hooks, tokenized URLs that the
// manager acts on when they are called (an Alertmanager webhook scaling services), and
// the history of the decisions they led to.
package hook

import (
	"github.com/docker/cli/cli"
	dockercommand "github.com/docker/cli/cli/command"
	"github.com/exos-platform/exos/cli-plugin/command"
	"github.com/spf13/cobra"
)

// NewHookCommand returns the `hook` command and its subcommands.
func NewHookCommand(dockerCLI command.Cli) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "hook",
		Short: "Manage receiver hooks (Alertmanager webhooks that scale services, pushes that deploy images)",
		Long: `Manage receiver hooks.

A hook is a URL on the EXOS manager with a secret token. Alertmanager (or any tool that
can POST an Alertmanager webhook body) calls it, and the manager scales services up or
down by a step, within min and max, with cooldowns and scale-down stabilization. The
token is shown once, when the hook is created or rotated; the manager keeps only its
hash. Every decision the manager takes is recorded: see ` + "`docker exos hook history`" + `.

A deploy hook is called after an image is pushed (by a CI, a registry's notifications,
Docker Hub or Harbor): the manager pins the tag to its digest and deploys it to the
hook's stack or service as a new revision, rolled back if it fails. See
` + "`docker exos hook create --help`" + `.`,
		Args: cli.NoArgs,
		RunE: dockercommand.ShowHelp(dockerCLI.Err()),
	}
	cmd.AddCommand(
		newCreateCommand(dockerCLI),
		newListCommand(dockerCLI),
		newInspectCommand(dockerCLI),
		newRotateCommand(dockerCLI),
		newRemoveCommand(dockerCLI),
		newRevokeCommand(dockerCLI),
		newHistoryCommand(dockerCLI),
	)
	return cmd
}
