package auth

import (
	"context"
	"encoding/pem"
	"fmt"
	"os"
	"strings"

	"github.com/docker/cli/cli"
	"github.com/exos-platform/exos/cli-plugin/command"
	"github.com/exos-platform/exos/manager/api"
	"github.com/spf13/cobra"
)

type setOptions struct {
	settings          api.LDAPSettings
	caFile            string
	bindPasswordStdin bool
}

func newSetCommand(dockerCLI command.Cli) *cobra.Command {
	options := setOptions{}
	s := &options.settings
	cmd := &cobra.Command{
		Use:   "set [OPTIONS]",
		Short: "Set the directory (LDAP) settings",
		Long: `Set how the manager reaches the directory and finds users and their groups. The
settings are replaced whole; check them with ` + "`docker exos auth ldap test`" + `.

--url is ldap://HOST:PORT (with --start-tls to upgrade to TLS) or ldaps://HOST:PORT.
--ca-file is the PEM CA the directory's certificate must chain to (default: the system's).
--bind-dn is the service account that searches (default: an anonymous search), with its
password from --bind-password-stdin; without it the password already stored is kept,
unless --bind-dn changes. The manager stores it encrypted and never shows it.

--user-filter finds a user under --user-base; {username} stands for the escaped name.
Groups are read from the user's memberOf attribute, or with --group-base, searched with
--group-filter, where {dn} stands for the user's escaped DN. Map directory groups onto
EXOS groups with ` + "`docker exos group create NAME --directory-dn DN`" + `.`,
		Example: `  docker exos auth ldap set --url ldaps://ldap.example.com:636 --ca-file ldap-ca.pem \
    --user-base ou=people,dc=example,dc=com
  cat ~/ldap-bind-password | docker exos auth ldap set --url ldap://ldap.example.com:389 --start-tls \
    --bind-dn cn=exos,ou=services,dc=example,dc=com --bind-password-stdin \
    --user-base ou=people,dc=example,dc=com --user-filter '(&(objectClass=inetOrgPerson)(uid={username}))' \
    --group-base ou=groups,dc=example,dc=com --group-filter '(member={dn})'`,
		Args: cli.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runSet(cmd.Context(), dockerCLI, options)
		},
	}
	flags := cmd.Flags()
	flags.StringVar(&s.URL, "url", "", "Directory `URL`: ldap://HOST:PORT or ldaps://HOST:PORT (required)")
	flags.BoolVar(&s.StartTLS, "start-tls", false, "Upgrade an ldap:// connection to TLS before binding")
	flags.StringVar(&options.caFile, "ca-file", "", "PEM `file` of the CA the directory's certificate must chain to")
	flags.StringVar(&s.BindDN, "bind-dn", "", "`DN` of the service account that searches the directory")
	flags.BoolVar(&options.bindPasswordStdin, "bind-password-stdin", false, "Read the service account's password from stdin")
	flags.StringVar(&s.UserBase, "user-base", "", "`DN` the users are searched under (required)")
	flags.StringVar(&s.UserFilter, "user-filter", "(uid={username})", "LDAP `filter` that finds a user; {username} is the name")
	flags.StringVar(&s.DisplayNameAttribute, "display-name-attribute", "cn", "`Attribute` holding a user's display name")
	flags.StringVar(&s.GroupBase, "group-base", "", "`DN` the groups are searched under (default: read memberOf)")
	flags.StringVar(&s.GroupFilter, "group-filter", "(member={dn})", "LDAP `filter` that finds a user's groups under --group-base; {dn} is the user's DN")
	_ = cmd.MarkFlagRequired("url")
	_ = cmd.MarkFlagRequired("user-base")
	return cmd
}

func runSet(ctx context.Context, dockerCLI command.Cli, options setOptions) error {
	req, err := newSetRequest(dockerCLI, options)
	if err != nil {
		return err
	}
	mgr, err := dockerCLI.Manager(ctx)
	if err != nil {
		return err
	}
	settings, err := mgr.SetLDAPSettings(ctx, req)
	if err != nil {
		return fmt.Errorf("failed to set the directory settings: %w", err)
	}
	_, _ = fmt.Fprintf(dockerCLI.Out(), "Directory login set to %s: check it with `docker exos auth ldap test --username NAME`\n", settings.URL)
	return nil
}

// newSetRequest checks the flags, reads the CA file and the bind password.
func newSetRequest(dockerCLI command.Cli, options setOptions) (api.LDAPSettingsRequest, error) {
	req := api.LDAPSettingsRequest{LDAPSettings: options.settings}
	s := &req.LDAPSettings
	if err := validateSettings(*s); err != nil {
		return req, err
	}
	if s.GroupBase == "" {
		s.GroupFilter = "" // memberOf is read instead
	}
	if options.caFile != "" {
		ca, err := readCA(options.caFile)
		if err != nil {
			return req, err
		}
		s.CA = ca
	}
	if options.bindPasswordStdin {
		if s.BindDN == "" {
			return req, fmt.Errorf("--bind-password-stdin needs --bind-dn: the password is the service account's")
		}
		password, err := command.ReadPassword(dockerCLI, "", true)
		if err != nil {
			return req, err
		}
		req.BindPassword = password
	}
	return req, nil
}

func validateSettings(s api.LDAPSettings) error {
	switch {
	case strings.HasPrefix(s.URL, "ldaps://"):
		if s.StartTLS {
			return fmt.Errorf("--start-tls is for ldap:// URLs: an ldaps:// connection is TLS from the start")
		}
	case strings.HasPrefix(s.URL, "ldap://"):
	default:
		return fmt.Errorf("invalid --url %q: give ldap://HOST:PORT or ldaps://HOST:PORT", s.URL)
	}
	if !strings.Contains(s.UserFilter, "{username}") {
		return fmt.Errorf("invalid --user-filter %q: it must contain {username}, such as (uid={username})", s.UserFilter)
	}
	if s.GroupBase != "" && !strings.Contains(s.GroupFilter, "{dn}") {
		return fmt.Errorf("invalid --group-filter %q: it must contain {dn}, such as (member={dn})", s.GroupFilter)
	}
	return nil
}

// readCA reads a PEM file of CA certificates; checking it here says which file is wrong.
func readCA(path string) (string, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return "", fmt.Errorf("failed to read --ca-file: %w", err)
	}
	block, _ := pem.Decode(data)
	if block == nil || block.Type != "CERTIFICATE" {
		return "", fmt.Errorf("--ca-file %s holds no PEM certificate (-----BEGIN CERTIFICATE-----)", path)
	}
	return string(data), nil
}
