// Package audit holds `docker exos audit ...`: reading the manager's audit log.
package audit

import (
	"github.com/docker/cli/cli"
	dockercommand "github.com/docker/cli/cli/command"
	"github.com/exos-platform/exos/cli-plugin/command"
	"github.com/spf13/cobra"
)

// NewAuditCommand returns the `audit` command and its subcommands.
func NewAuditCommand(dockerCLI command.Cli) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "audit",
		Short: "Read the audit log: who changed what, when, from where",
		Long: `Read the manager's audit log. Every change made through the API or a receiver hook is an
event (who, from where, what, on which object and environment, the result, the request ID
and the stack revision it made), stored in the swarm before the change is acknowledged.
Denied requests, logins and logouts are events too, batched within seconds; a refusal
repeated within a minute is one event with a count.

The global admin sees every event; an environment's owners see that environment's.
See docs/audit.md.`,
		Args: cli.NoArgs,
		RunE: dockercommand.ShowHelp(dockerCLI.Err()),
	}
	cmd.AddCommand(newListCommand(dockerCLI))
	return cmd
}
