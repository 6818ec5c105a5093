package manager

import (
	"context"
	"errors"
	"fmt"

	"github.com/docker/cli/cli"
	"github.com/exos-platform/exos/cli-plugin/command"
	"github.com/spf13/cobra"
)

func newCACommand(dockerCLI command.Cli) *cobra.Command {
	return &cobra.Command{
		Use:   "ca",
		Short: "Print the CA the EXOS manager's certificate is verified with (PEM)",
		Long: `Print the CA certificate (PEM) the plugin verifies the EXOS manager with: the one
saved for this swarm when the manager was installed (or EXOS_CA_FILE). Give it to what
else talks to the manager, so that it verifies the manager the same way: Alertmanager
(http_config.tls_config.ca_file), curl --cacert, CI jobs (EXOS_CA_FILE). Compare its
fingerprint with ` + "`docker exos manager status`" + ` or
` + "`openssl x509 -noout -fingerprint -sha256`" + `.`,
		Example: `  docker exos manager ca > exos-ca.pem
  curl --cacert exos-ca.pem https://10.0.0.5:7420/healthz`,
		Args: cli.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runCA(cmd.Context(), dockerCLI)
		},
	}
}

func runCA(ctx context.Context, dockerCLI command.Cli) error {
	mgr, err := dockerCLI.Manager(ctx)
	if err != nil {
		return err
	}
	r, ok := mgr.(command.TransportReporter)
	if !ok {
		return errors.New("this manager client cannot say how it verifies the manager")
	}
	t := r.Transport()
	switch {
	case !t.TLS:
		return fmt.Errorf("the manager at %s serves plain HTTP: it has no CA (run `docker exos manager install` without --insecure-http to switch it to HTTPS)", mgr.BaseURL())
	case t.CA == "":
		return fmt.Errorf("the manager at %s is verified with %s, not with a CA of its own", mgr.BaseURL(), t.CASource)
	}
	_, err = fmt.Fprint(dockerCLI.Out(), t.CA)
	return err
}
