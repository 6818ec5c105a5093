package group

import (
	"context"
	"fmt"
	"strings"

	"github.com/docker/cli/cli"
	"github.com/exos-platform/exos/cli-plugin/command"
	"github.com/exos-platform/exos/manager/api"
	"github.com/spf13/cobra"
)

type createOptions struct {
	description string
	directoryDN []string
}

func newCreateCommand(dockerCLI command.Cli) *cobra.Command {
	options := createOptions{}
	cmd := &cobra.Command{
		Use:   "create [OPTIONS] NAME",
		Short: "Create a group",
		Long: `Create a group. --directory-dn maps directory groups onto it by their DN (repeatable):
every member of one of them belongs to this group when it logs in. Add local members
with ` + "`docker exos group add`" + `.`,
		Example: `  docker exos group create devs --description "Developers"
  docker exos group create ops --directory-dn cn=ops,ou=groups,dc=example,dc=com`,
		Args: cli.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runCreate(cmd.Context(), dockerCLI, options, args[0])
		},
	}
	flags := cmd.Flags()
	flags.StringVar(&options.description, "description", "", "What the group is for")
	flags.StringArrayVar(&options.directoryDN, "directory-dn", nil, "`DN` of a directory group whose members belong to this group; repeatable")
	return cmd
}

func runCreate(ctx context.Context, dockerCLI command.Cli, options createOptions, name string) error {
	for _, dn := range options.directoryDN {
		if !strings.Contains(dn, "=") {
			return fmt.Errorf("invalid --directory-dn %q: give the directory group's distinguished name, such as cn=ops,ou=groups,dc=example,dc=com", dn)
		}
	}
	mgr, err := dockerCLI.Manager(ctx)
	if err != nil {
		return err
	}
	g, err := mgr.CreateGroup(ctx, api.GroupCreateRequest{Name: name, Description: options.description, DirectoryGroups: options.directoryDN})
	if err != nil {
		return fmt.Errorf("failed to create group %s: %w", name, err)
	}
	_, _ = fmt.Fprintln(dockerCLI.Out(), g.Name)
	return nil
}
