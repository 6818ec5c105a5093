// Package registry holds `docker exos registry ...`: the private image registries the
// manager knows (global, or scoped to one environment), their login test, and browsing
// what they hold (repositories, tags, images) with their credentials.
package registry

import (
	"fmt"
	"strings"

	"github.com/docker/cli/cli"
	dockercommand "github.com/docker/cli/cli/command"
	"github.com/exos-platform/exos/cli-plugin/command"
	"github.com/spf13/cobra"
)

// NewRegistryCommand returns the `registry` command and its subcommands.
func NewRegistryCommand(dockerCLI command.Cli) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "registry",
		Short: "Manage private image registries and browse them",
		Long: `Manage the private image registries EXOS knows, and browse them.

A registry is a Docker registry (API v2) at host[:port], with the user name and password
the manager logs in with, and the CA its certificate is checked against (or --insecure).
It is global (the admin's; every environment may read it) or scoped to one environment.
The password is encrypted by the manager and never shown again.

Browse a registry with ` + "`registry repos NAME`" + `, ` + "`registry tags NAME/REPO`" + ` and
` + "`registry inspect NAME/REPO:TAG`" + `: NAME is the registry's name in EXOS, REPO a
repository of it, without the registry's host.`,
		Args: cli.NoArgs,
		RunE: dockercommand.ShowHelp(dockerCLI.Err()),
	}
	cmd.AddCommand(
		newAddCommand(dockerCLI),
		newListCommand(dockerCLI),
		newInspectCommand(dockerCLI),
		newRemoveCommand(dockerCLI),
		newLoginTestCommand(dockerCLI),
		newReposCommand(dockerCLI),
		newTagsCommand(dockerCLI),
	)
	return cmd
}

// validateName refuses what cannot be a registry's name in EXOS; such a name has no
// '/', which is what tells NAME/REPO apart from NAME.
func validateName(name string) error {
	if name == "" || strings.ContainsAny(name, "/:@ ") {
		return fmt.Errorf("invalid registry name %q: use letters, digits, '-' or '_' (see `docker exos registry ls`)", name)
	}
	return nil
}

// splitImage cuts NAME/REPO[:TAG|@DIGEST] at its first '/': NAME is a registry's name
// in EXOS, which has none, and the rest is the repository (and tag) in that registry,
// which the manager parses as an image reference.
func splitImage(arg, want string) (registry, rest string, err error) {
	registry, rest, ok := strings.Cut(arg, "/")
	if !ok || rest == "" {
		return "", "", fmt.Errorf("%q: give %s, where NAME is the registry's name in EXOS (see `docker exos registry ls`) and REPO a repository of it", arg, want)
	}
	if err := validateName(registry); err != nil {
		return "", "", err
	}
	return registry, rest, nil
}
