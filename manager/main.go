// Command exos-manager is the EXOS manager: it runs as the Swarm service exos_manager, keeps
// an index of the swarm, and serves the API the `docker exos` plugin talks to.
package main

import (
	"fmt"
	"os"

	"github.com/spf13/cobra"
)

// Version is set at build time with -ldflags "-X main.Version=...".
var Version = "dev"

func main() {
	root := &cobra.Command{
		Use:           "exos-manager",
		Short:         "The EXOS manager: environments, stacks and revisions on Docker Swarm",
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.AddCommand(newServeCommand(), newAgentCommand(), &cobra.Command{
		Use:   "version",
		Short: "Print the manager's version",
		Run:   func(cmd *cobra.Command, _ []string) { fmt.Fprintln(cmd.OutOrStdout(), Version) },
	})
	if err := root.Execute(); err != nil {
		fmt.Fprintln(os.Stderr, "exos-manager:", err)
		os.Exit(1)
	}
}
