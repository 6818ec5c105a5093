package hook

import (
	"context"
	"fmt"
	"path"
	"strings"

	"github.com/docker/cli/cli"
	"github.com/exos-platform/exos/cli-plugin/command"
	"github.com/exos-platform/exos/manager/api"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// The kinds of hooks; validKinds is what the error lists.
const (
	kindScale  = api.HookKindScale
	kindDeploy = api.HookKindDeploy
)

var validKinds = []string{kindScale, kindDeploy}

type createOptions struct {
	services []string
	action   string
	step     uint64
	min      uint64
	max      uint64
	dryRun   bool
	format   string

	stack      string
	repository string
	tagPattern string
}

func newCreateCommand(dockerCLI command.Cli) *cobra.Command {
	options := createOptions{}
	cmd := &cobra.Command{
		Use:   "create [OPTIONS] KIND",
		Short: "Create a receiver hook and print its URL and token",
		Long: `Create a receiver hook. KIND is what the hook does: "scale" or "deploy".

A scale hook receives Alertmanager webhooks (payload version 4). Each firing alert asks
for one step on one service: the alert's "service" label names the service, and with
--action auto its "scale" label (up or down) gives the direction. --action up or down
fixes the direction and needs the services the hook may scale (--service, repeatable).
An auto hook without --service may scale any service whose autoscale policy allows it.

--step, --min and --max override the service's autoscale policy for calls to this
hook. --dry-run records what the hook would do without changing any replicas.

A deploy hook deploys pushed images to one stack (--stack), or to one of its services
(--service, once). A CI, a registry's notifications, Docker Hub or Harbor POST to its
URL; the body says what was pushed: {"image":"REPO","tag":"TAG","digest":"sha256:..."},
an empty body with ?tag=TAG, a distribution registry notification, a Docker Hub or a
Harbor PUSH_ARTIFACT webhook. The tag is pinned to its digest, and each service that runs
the repository gets a new revision at repo:tag@digest, rolled out start-first, rolled
back on failure. --repository restricts the hook to one repository; --tag-pattern to
tags matching a glob ("v*", "1.[0-9]*"). The answer is 202 with a status URL the CI polls
(pending, converging, converged, rolled_back, failed, superseded); a push of the digest
already running is a 200 no-op, so retries are safe.

The URL and the token are printed once; the manager keeps only the token's hash. A lost
token cannot be shown again: rotate the hook to get a new one.`,
		Example: `  docker exos hook create scale --action auto
  docker exos hook create scale --action up --service web_api --step 2 --max 10
  docker exos hook create scale --service web_api --service web_worker --dry-run
  docker exos hook create scale --service web_api --format json
  docker exos hook create deploy --stack shop
  docker exos hook create deploy --stack shop --service web --repository registry.example:5000/shop/web --tag-pattern 'v*'
  docker exos hook create deploy --stack shop --format '{{.URL}} {{.Token}}'`,
		Args: cli.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runCreate(cmd.Context(), dockerCLI, cmd.Flags(), options, args[0])
		},
	}
	flags := cmd.Flags()
	flags.StringArrayVar(&options.services, "service", nil,
		"Service the hook may scale, by full Swarm `name` (stack_service); repeatable. A deploy hook: the one service it deploys")
	flags.StringVar(&options.action, "action", api.ActionAuto,
		`What a firing alert does: "up", "down", or "auto" (the alert's scale label says)`)
	flags.Uint64Var(&options.step, "step", 0, "Replicas added or removed per step (default: the service's policy)")
	flags.Uint64Var(&options.min, "min", 0, "Fewest replicas (default: the service's policy)")
	flags.Uint64Var(&options.max, "max", 0, "Most replicas (default: the service's policy)")
	flags.BoolVar(&options.dryRun, "dry-run", false, "Record decisions without changing replicas")
	flags.StringVar(&options.stack, "stack", "", "Deploy hook: the `stack` it deploys to")
	flags.StringVar(&options.repository, "repository", "", "Deploy hook: the only `repository` it deploys (default: the services' images)")
	flags.StringVar(&options.tagPattern, "tag-pattern", "", "Deploy hook: deploy only tags matching this `glob`")
	flags.StringVar(&options.format, "format", "", secretFormatHelp)
	return cmd
}

func runCreate(ctx context.Context, dockerCLI command.Cli, flags *pflag.FlagSet, options createOptions, kind string) error {
	req, err := newCreateRequest(flags, options, kind)
	if err != nil {
		return err
	}
	// The token is shown only once: a bad --format must fail before the hook exists.
	write, err := newSecretWriter(options.format, "Hook %s created. Keep the token: it is shown only now.")
	if err != nil {
		return err
	}
	mgr, err := dockerCLI.Manager(ctx)
	if err != nil {
		return err
	}
	secret, err := mgr.CreateHook(ctx, req)
	if err != nil {
		return fmt.Errorf("failed to create the %s hook: %w", kind, err)
	}
	return write(dockerCLI.Out(), mgr.BaseURL(), secret)
}

// newCreateRequest checks the flags and turns them into a request; step, min and max are
// sent only when given, so the service's autoscale policy applies otherwise.
func newCreateRequest(flags *pflag.FlagSet, options createOptions, kind string) (api.HookCreateRequest, error) {
	switch kind {
	case kindDeploy:
		return newDeployRequest(flags, options)
	case kindScale:
	default:
		return api.HookCreateRequest{}, fmt.Errorf("unknown hook kind %q: valid kinds are: %s", kind, strings.Join(validKinds, ", "))
	}
	for _, name := range []string{"stack", "repository", "tag-pattern"} {
		if flags.Changed(name) {
			return api.HookCreateRequest{}, fmt.Errorf("--%s is for deploy hooks; a scale hook takes --service, --action, --step, --min, --max and --dry-run", name)
		}
	}
	if err := validateScope(options); err != nil {
		return api.HookCreateRequest{}, err
	}
	req := api.HookCreateRequest{
		Kind:     kind,
		Action:   options.action,
		Services: append([]string{}, options.services...),
		DryRun:   options.dryRun,
	}
	if flags.Changed("step") {
		if options.step < 1 {
			return api.HookCreateRequest{}, fmt.Errorf("invalid --step 0: a step is at least 1 replica")
		}
		req.Step = &options.step
	}
	if flags.Changed("min") {
		req.Min = &options.min
	}
	if flags.Changed("max") {
		req.Max = &options.max
	}
	if req.Min != nil && req.Max != nil && *req.Min > *req.Max {
		return api.HookCreateRequest{}, fmt.Errorf("invalid --min %d: it is above --max %d", *req.Min, *req.Max)
	}
	return req, nil
}

// validateScope checks the action and the services it needs.
func validateScope(options createOptions) error {
	switch options.action {
	case api.ActionAuto:
	case api.ActionUp, api.ActionDown:
		if len(options.services) == 0 {
			return fmt.Errorf("--action %s needs the services the hook may scale: add --service STACK_SERVICE (repeatable); only --action auto may leave them open", options.action)
		}
	default:
		return fmt.Errorf("invalid --action %q: use up, down or auto", options.action)
	}
	for _, s := range options.services {
		if strings.TrimSpace(s) == "" {
			return fmt.Errorf("invalid --service %q: give a service's full Swarm name, such as web_api", s)
		}
	}
	return nil
}

// newDeployRequest checks a deploy hook's flags: a stack, at most one service, and none of
// the scale hook's.
func newDeployRequest(flags *pflag.FlagSet, options createOptions) (api.HookCreateRequest, error) {
	for _, name := range []string{"action", "step", "min", "max", "dry-run"} {
		if flags.Changed(name) {
			return api.HookCreateRequest{}, fmt.Errorf("--%s is for scale hooks; a deploy hook takes --stack, --service, --repository and --tag-pattern", name)
		}
	}
	if options.stack == "" {
		return api.HookCreateRequest{}, fmt.Errorf("a deploy hook deploys to one stack: add --stack STACK")
	}
	req := api.HookCreateRequest{Kind: kindDeploy, Stack: options.stack, Repository: options.repository, TagPattern: options.tagPattern}
	switch len(options.services) {
	case 0:
	case 1:
		req.Service = options.services[0]
	default:
		return api.HookCreateRequest{}, fmt.Errorf("a deploy hook deploys to one service or to its whole stack: give --service once, or leave it out")
	}
	if options.tagPattern != "" {
		if _, err := path.Match(options.tagPattern, ""); err != nil {
			return api.HookCreateRequest{}, fmt.Errorf("invalid --tag-pattern %q: %v", options.tagPattern, err)
		}
	}
	return req, nil
}
