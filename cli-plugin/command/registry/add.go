package registry

import (
	"context"
	"errors"
	"fmt"
	"os"

	"github.com/docker/cli/cli"
	"github.com/exos-platform/exos/cli-plugin/command"
	"github.com/exos-platform/exos/manager/api"
	"github.com/spf13/cobra"
)

type addOptions struct {
	username      string
	passwordStdin bool
	caFile        string
	insecure      bool
	env           string
}

func newAddCommand(dockerCLI command.Cli) *cobra.Command {
	options := addOptions{}
	cmd := &cobra.Command{
		Use:   "add [OPTIONS] NAME URL",
		Short: "Add a private image registry",
		Long: `Add a registry: URL is its host[:port] (https:// may be given; http:// only with
--insecure), the domain of its images' references.

The registry is global (an admin's) unless --env scopes it to one environment, whose
members may then add and remove it. Its certificate is checked against the CA of
--ca-file (a PEM file), or the system's CAs; --insecure checks none and allows plain HTTP.

Give the credentials with --username and --password-stdin (a password or an access
token, read from standard input, as docker login takes it); at a terminal, the password
is asked for without --password-stdin. There is no --password flag: a password on the
command line stays in the shell's history. The manager encrypts it and never shows it;
the registry is not contacted here: check the login with ` + "`docker exos registry login-test NAME`" + `.`,
		Example: `  docker exos registry add hub registry.example.com
  cat ~/ci-token | docker exos registry add ci registry.example.com:5000 --username jenkins --password-stdin --ca-file ca.pem
  docker exos registry add qa-cache 10.0.0.7:5000 --insecure --env qa`,
		Args: cli.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runAdd(cmd.Context(), dockerCLI, options, args[0], args[1])
		},
	}
	flags := cmd.Flags()
	flags.StringVarP(&options.username, "username", "u", "", "User `name` to log in to the registry with")
	flags.BoolVar(&options.passwordStdin, "password-stdin", false, "Read the password or access token from stdin")
	flags.StringVar(&options.caFile, "ca-file", "", "PEM `file` of the CA the registry's certificate is checked against")
	flags.BoolVar(&options.insecure, "insecure", false, "Check no certificate and allow plain HTTP")
	flags.StringVar(&options.env, "env", "", "Scope the registry to this `environment`")
	return cmd
}

func runAdd(ctx context.Context, dockerCLI command.Cli, options addOptions, name, url string) error {
	req, err := newAddRequest(dockerCLI, options, name, url)
	if err != nil {
		return err
	}
	mgr, err := dockerCLI.Manager(ctx)
	if err != nil {
		return err
	}
	reg, err := mgr.AddRegistry(ctx, req)
	if err != nil {
		return fmt.Errorf("failed to add registry %s: %w", name, err)
	}
	_, _ = fmt.Fprintln(dockerCLI.Out(), reg.Name)
	return nil
}

// newAddRequest checks the arguments and flags before anything is sent, reads the CA
// file, and the password: from stdin with --password-stdin, else asked for at a
// terminal when a user name is given.
func newAddRequest(dockerCLI command.Cli, options addOptions, name, url string) (api.RegistryAddRequest, error) {
	req := api.RegistryAddRequest{Name: name, URL: url, Env: options.env, Username: options.username, Insecure: options.insecure}
	switch {
	case validateName(name) != nil:
		return req, validateName(name)
	case url == "":
		return req, errors.New(`invalid URL "": give the registry's host[:port], such as registry.example.com:5000`)
	case options.caFile != "" && options.insecure:
		return req, errors.New("--ca-file and --insecure cannot be used together: check the certificate against a CA, or not at all")
	case options.passwordStdin && options.username == "":
		return req, errors.New("--password-stdin needs --username: the password is sent with a user name")
	}
	if options.caFile != "" {
		ca, err := os.ReadFile(options.caFile)
		if err != nil {
			return req, fmt.Errorf("failed to read the CA of --ca-file: %w", err)
		}
		req.CA = string(ca)
	}
	if options.username == "" || !options.passwordStdin && !dockerCLI.In().IsTerminal() {
		return req, nil
	}
	password, err := command.ReadPassword(dockerCLI, fmt.Sprintf("Password of %s at %s: ", options.username, url), options.passwordStdin)
	req.Password = password
	return req, err
}
