package stack

import (
	"context"
	"encoding/json"
	"fmt"
	"os"

	"github.com/docker/cli/cli"
	"github.com/docker/docker/api/types/swarm"
	"github.com/exos-platform/exos/cli-plugin/command"
	composeext "github.com/exos-platform/exos/compose-ext"
	"github.com/spf13/cobra"
)

type configOptions struct {
	files fileOptions
	specs bool
}

func newConfigCommand(dockerCLI command.Cli) *cobra.Command {
	options := configOptions{}
	cmd := &cobra.Command{
		Use:   "config [OPTIONS] --specs STACK",
		Short: "Print the Swarm service specs a deploy would create",
		Long: `Validate the files and print, as an indented JSON array, the Swarm service specs
(Engine API field names) that ` + "`stack deploy`" + ` would create, without a manager. --specs is
required: it names what is printed, so other views can be added without changing this one.
With --env, the specs carry the environment's placement constraint and label. Warnings
(keys Swarm ignores, unset variables...) go to stderr; --strict fails on them instead.`,
		Example: `  docker exos stack config --specs -c docker-compose.yml web
  docker exos stack config --specs -c docker-compose.yml -x exos-compose.yml --env prod web | jq '.[].Name'`,
		Args: cli.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runConfig(cmd.Context(), dockerCLI, options, args[0])
		},
	}
	flags := cmd.Flags()
	addFileFlags(flags, &options.files)
	flags.BoolVar(&options.specs, "specs", false, "Print the Swarm service specs (required)")
	flags.BoolVar(&options.files.strict, "strict", false, "Fail if the files have warnings")
	_ = cmd.MarkFlagRequired("specs")
	return cmd
}

func runConfig(ctx context.Context, dockerCLI command.Cli, options configOptions, stack string) error {
	in, err := loadInput(stack, options.files, dockerCLI.In(), os.LookupEnv)
	if err != nil {
		return localError(stack, err)
	}
	st, err := composeext.Load(ctx, in)
	if err != nil {
		return localError(stack, err)
	}
	PrintWarnings(dockerCLI.Err(), st.Warnings)
	if options.files.env != "" {
		st.PlaceInEnv(options.files.env)
	}
	specs := make([]swarm.ServiceSpec, 0, len(st.Services))
	for _, s := range st.Services {
		specs = append(specs, s.Spec)
	}
	out, err := json.MarshalIndent(specs, "", "    ")
	if err != nil {
		return fmt.Errorf("failed to encode the service specs: %w", err)
	}
	_, err = fmt.Fprintln(dockerCLI.Out(), string(out))
	return err
}
