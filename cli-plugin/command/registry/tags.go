package registry

import (
	"context"
	"fmt"

	"github.com/docker/cli/cli"
	"github.com/docker/cli/cli/command/formatter"
	flagsHelper "github.com/docker/cli/cli/flags"
	"github.com/exos-platform/exos/cli-plugin/command"
	"github.com/exos-platform/exos/manager/api"
	"github.com/spf13/cobra"
)

type tagsOptions struct {
	pageOptions
	quiet   bool
	noTrunc bool
	format  string
}

func newTagsCommand(dockerCLI command.Cli) *cobra.Command {
	options := tagsOptions{}
	cmd := &cobra.Command{
		Use:   "tags [OPTIONS] NAME/REPO",
		Short: "List the tags of a repository, with their digests, platforms and sizes",
		Long: `List the tags of repository REPO of registry NAME (NAME is the registry's name in
EXOS, REPO the repository without the registry's host), in name order: the first 100
unless --limit or --all says otherwise; --after starts after a tag.

DIGEST is the manifest's (an index's for a multi-platform image), PLATFORMS the images'
os/arch, SIZE what a pull downloads, compressed (of every platform for an index), and
CREATED the image's build time (the newest image's for an index).`,
		Example: `  docker exos registry tags ci/team/api
  docker exos registry tags ci/team/api --limit 20 --after 1.4.0
  docker exos registry tags ci/team/api --all --format '{{.Tag}} {{.Digest}}' --no-trunc`,
		Args: cli.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runTags(cmd.Context(), dockerCLI, options, args[0])
		},
	}
	flags := cmd.Flags()
	options.addFlags(flags, "tags")
	flags.BoolVarP(&options.quiet, "quiet", "q", false, "Only display tags")
	flags.BoolVar(&options.noTrunc, "no-trunc", false, "Do not truncate digests")
	flags.StringVar(&options.format, "format", "", flagsHelper.FormatHelp)
	return cmd
}

func runTags(ctx context.Context, dockerCLI command.Cli, options tagsOptions, arg string) error {
	name, repo, err := splitImage(arg, "NAME/REPO")
	if err != nil {
		return err
	}
	if err := options.check(); err != nil {
		return err
	}
	mgr, err := dockerCLI.Manager(ctx)
	if err != nil {
		return err
	}
	tags, next, err := collect(options.pageOptions, func(p api.BrowsePage) ([]api.RegistryTag, string, error) {
		return mgr.RegistryTags(ctx, name, repo, p)
	})
	if err != nil {
		return fmt.Errorf("failed to list the tags of %s: %w", arg, err)
	}
	format := options.format
	if format == "" {
		format = formatter.TableFormatKey
	}
	fctx := formatter.Context{Output: dockerCLI.Out(), Format: NewTagsFormat(format, options.quiet), Trunc: !options.noTrunc}
	if err := FormatWriteTags(fctx, tags); err != nil {
		return err
	}
	writeMore(dockerCLI.Err(), "tags", next)
	return nil
}
