package catalog

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/docker/cli/cli"
	"github.com/exos-platform/exos/cli-plugin/command"
	"github.com/exos-platform/exos/manager/api"
	"github.com/spf13/cobra"
)

type addOptions struct {
	branch        string
	env           string
	global        bool
	username      string
	passwordStdin bool
}

func newAddCommand(dockerCLI command.Cli) *cobra.Command {
	options := addOptions{}
	cmd := &cobra.Command{
		Use:   "add [OPTIONS] NAME URL",
		Short: "Add a catalog and fetch its templates",
		Long: `Add a catalog: a Git repository the manager clones and reads templates from. The
manager fetches it at once and prints how many templates it found, at which commit, and
the templates it could not read (the others are usable).

The catalog is global unless --env scopes it to one environment. NAME prefixes its
templates (NAME/TEMPLATE), so it cannot contain "/".

For a private repository, give --username and --password-stdin (a password or an access
token, read from standard input). The manager encrypts them with its catalog key, the
Swarm secret exos-catalog-key that manager install creates, stores only the ciphertext
and never shows them. Give them with these flags, not in the URL
(https://user:password@...): a URL is kept in your shell history.`,
		Example: `  docker exos catalog add community https://github.com/exos-platform/community-catalog.git
  docker exos catalog add qa-apps https://git.example.com/qa/catalog.git --branch stable --env qa
  cat ~/catalog-token | docker exos catalog add private https://git.example.com/ops/catalog.git --username deploy --password-stdin`,
		Args: cli.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runAdd(cmd.Context(), dockerCLI, options, args[0], args[1])
		},
	}
	flags := cmd.Flags()
	flags.StringVar(&options.branch, "branch", "", "Git `branch` to read (default: the repository's default branch)")
	flags.StringVar(&options.env, "env", "", "Scope the catalog to this `environment`")
	flags.BoolVar(&options.global, "global", false, "Make the catalog visible to every environment (the default)")
	flags.StringVarP(&options.username, "username", "u", "", "User `name` to fetch the repository with")
	flags.BoolVar(&options.passwordStdin, "password-stdin", false, "Read the password or access token from stdin")
	return cmd
}

func runAdd(ctx context.Context, dockerCLI command.Cli, options addOptions, name, url string) error {
	req, err := newAddRequest(options, name, url, dockerCLI.In())
	if err != nil {
		return err
	}
	mgr, err := dockerCLI.Manager(ctx)
	if err != nil {
		return err
	}
	c, err := mgr.AddCatalog(ctx, req)
	if err != nil {
		return fmt.Errorf("failed to add catalog %s: %w", name, err)
	}
	_, _ = fmt.Fprintln(dockerCLI.Out(), c.Name)
	if c.Error != "" {
		return fmt.Errorf("catalog %s was added but could not be fetched: %s\nfix the repository and run `docker exos catalog refresh %s`, or remove it with `docker exos catalog rm %s`",
			c.Name, c.Error, c.Name, c.Name)
	}
	_, _ = fmt.Fprintf(dockerCLI.Out(), "%s (commit %s)\n", templates(c.Templates), command.ShortCommit(c.Commit))
	return writeProblems(dockerCLI.Out(), c.Problems)
}

// newAddRequest checks the arguments and flags before anything is sent, and reads the
// password from in with --password-stdin.
func newAddRequest(options addOptions, name, url string, in io.Reader) (api.CatalogAddRequest, error) {
	if options.env != "" && options.global {
		return api.CatalogAddRequest{}, fmt.Errorf("--env and --global cannot be used together: a catalog is either global or scoped to one environment")
	}
	if err := validateName(name); err != nil {
		return api.CatalogAddRequest{}, err
	}
	if strings.TrimSpace(url) == "" {
		return api.CatalogAddRequest{}, fmt.Errorf("invalid URL \"\": give the Git repository's URL, such as https://github.com/org/catalog.git")
	}
	password, err := readPassword(options, in)
	if err != nil {
		return api.CatalogAddRequest{}, err
	}
	return api.CatalogAddRequest{
		Name:     name,
		URL:      url,
		Branch:   options.branch,
		Env:      options.env,
		Username: options.username,
		Password: password,
	}, nil
}

// readPassword reads the password from in with --password-stdin, like `docker login
// --password-stdin`: all of it, without the trailing newline. There is no --password
// flag: a password on the command line would stay in the shell's history.
func readPassword(options addOptions, in io.Reader) (string, error) {
	if !options.passwordStdin {
		return "", nil
	}
	if options.username == "" {
		return "", errors.New("--password-stdin needs --username: the password is sent with a user name")
	}
	contents, err := io.ReadAll(in)
	if err != nil {
		return "", fmt.Errorf("failed to read the password from stdin: %w", err)
	}
	password := strings.TrimSuffix(strings.TrimSuffix(string(contents), "\n"), "\r")
	if password == "" {
		return "", errors.New("--password-stdin read an empty password: pipe the password or access token in, such as cat token-file | docker exos catalog add ...")
	}
	return password, nil
}

// validateName refuses what could not prefix a template reference (CATALOG/NAME).
func validateName(name string) error {
	if strings.TrimSpace(name) == "" || strings.ContainsAny(name, "/: ") {
		return fmt.Errorf("invalid catalog name %q: use letters, digits, '-' or '_', without '/', ':' or spaces", name)
	}
	return nil
}
