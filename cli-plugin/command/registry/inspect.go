package registry

import (
	"context"
	"strings"

	"github.com/docker/cli/cli"
	"github.com/docker/cli/cli/command/inspect"
	flagsHelper "github.com/docker/cli/cli/flags"
	"github.com/exos-platform/exos/cli-plugin/command"
	"github.com/spf13/cobra"
)

type inspectOptions struct {
	format string
}

func newInspectCommand(dockerCLI command.Cli) *cobra.Command {
	options := inspectOptions{}
	cmd := &cobra.Command{
		Use:   "inspect [OPTIONS] NAME|NAME/REPO[:TAG|@DIGEST] [...]",
		Short: "Display detailed information on registries or on images in them",
		Long: `Display detailed information, as a JSON array by default, on:

  NAME                 a registry: its address, environment, user and CA (never its password)
  NAME/REPO[:TAG]      an image in registry NAME (the tag latest by default), or
  NAME/REPO@DIGEST     one by digest: its digest, media type, platforms, size, creation
                       time and, for each platform, its layers, labels, entrypoint,
                       command and the names of its environment variables

An argument with a '/' is an image, as a registry's name has none. The environment's
values are never shown: an image's ENV often holds a secret.`,
		Example: `  docker exos registry inspect ci
  docker exos registry inspect ci/team/api:1.4
  docker exos registry inspect ci/team/api@sha256:4c0f1f8e2b6a1a4b7f3e5d9c8b7a6f5e4d3c2b1a0f9e8d7c6b5a4f3e2d1c0b9a
  docker exos registry inspect --format '{{.Digest}} {{join .Platforms ","}}' ci/team/api:1.4`,
		Args: cli.RequiresMinArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runInspect(cmd.Context(), dockerCLI, options, args)
		},
	}
	cmd.Flags().StringVarP(&options.format, "format", "f", "", flagsHelper.InspectFormatHelp)
	return cmd
}

func runInspect(ctx context.Context, dockerCLI command.Cli, options inspectOptions, args []string) error {
	for _, arg := range args {
		if err := checkInspectArg(arg); err != nil {
			return err
		}
	}
	mgr, err := dockerCLI.Manager(ctx)
	if err != nil {
		return err
	}
	return inspect.Inspect(dockerCLI.Out(), args, options.format, func(arg string) (any, []byte, error) {
		if !strings.Contains(arg, "/") {
			reg, err := mgr.InspectRegistry(ctx, arg)
			return reg, nil, err
		}
		name, ref, _ := splitImage(arg, "")
		img, err := mgr.RegistryImage(ctx, name, ref)
		return img, nil, err
	})
}

func checkInspectArg(arg string) error {
	if !strings.Contains(arg, "/") {
		return validateName(arg)
	}
	_, _, err := splitImage(arg, "NAME/REPO[:TAG] or NAME/REPO@DIGEST")
	return err
}
