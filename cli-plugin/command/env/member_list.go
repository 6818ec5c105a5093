package env

import (
	"context"
	"sort"

	"github.com/docker/cli/cli"
	"github.com/docker/cli/cli/command/formatter"
	flagsHelper "github.com/docker/cli/cli/flags"
	"github.com/exos-platform/exos/cli-plugin/command"
	"github.com/exos-platform/exos/manager/api"
	"github.com/spf13/cobra"
)

const defaultMemberTableFormat = "table {{.Subject}}\t{{.Kind}}\t{{.Role}}"

type memberListOptions struct {
	quiet  bool
	format string
}

func newMemberListCommand(dockerCLI command.Cli) *cobra.Command {
	options := memberListOptions{}
	cmd := &cobra.Command{
		Use:     "ls [OPTIONS] ENV",
		Aliases: []string{"list"},
		Short:   "List the members of an environment and their roles",
		Example: `  docker exos env member ls prod
  docker exos env member ls prod --format json
  docker exos env member ls prod --format '{{.Subject}}={{.Role}}'`,
		Args: cli.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runMemberList(cmd.Context(), dockerCLI, options, args[0])
		},
	}
	flags := cmd.Flags()
	flags.BoolVarP(&options.quiet, "quiet", "q", false, "Only display users and @groups")
	flags.StringVar(&options.format, "format", "", flagsHelper.FormatHelp)
	return cmd
}

func runMemberList(ctx context.Context, dockerCLI command.Cli, options memberListOptions, env string) error {
	mgr, err := dockerCLI.Manager(ctx)
	if err != nil {
		return err
	}
	members, err := mgr.ListMembers(ctx, env)
	if err != nil {
		return memberError("list the members of", env, "", err)
	}
	sort.Slice(members, func(i, j int) bool { return members[i].Subject < members[j].Subject })
	format := formatter.Format(options.format)
	switch {
	case options.format == "" && options.quiet:
		format = "{{.Subject}}"
	case options.format == "" || options.format == formatter.TableFormatKey:
		format = defaultMemberTableFormat
	}
	return formatMembers(formatter.Context{Output: dockerCLI.Out(), Format: format}, members)
}

func formatMembers(ctx formatter.Context, members []api.Member) error {
	render := func(format func(subContext formatter.SubContext) error) error {
		for _, m := range members {
			if err := format(&memberContext{member: m}); err != nil {
				return err
			}
		}
		return nil
	}
	mc := &memberContext{}
	mc.Header = formatter.SubHeaderContext{"Subject": "MEMBER", "Kind": "KIND", "Role": "ROLE", "Env": "ENVIRONMENT"}
	return ctx.Write(mc, render)
}

type memberContext struct {
	formatter.HeaderContext
	member api.Member
}

func (c *memberContext) MarshalJSON() ([]byte, error) { return formatter.MarshalJSON(c) }

func (c *memberContext) Subject() string { return c.member.Subject }
func (c *memberContext) Role() string    { return c.member.Role }
func (c *memberContext) Env() string     { return c.member.Env }

// Kind is "group" for @GROUP, else "user".
func (c *memberContext) Kind() string {
	if len(c.member.Subject) > 0 && c.member.Subject[0] == '@' {
		return "group"
	}
	return "user"
}
