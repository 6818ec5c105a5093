package manager

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/docker/docker/api/types/swarm"
	"github.com/exos-platform/exos/cli-plugin/command"
	"github.com/exos-platform/exos/manager/tlsconf"
	"github.com/spf13/pflag"
)

// tlsOptions say how the installed manager serves its API and hooks. With none of them it
// serves HTTPS with a certificate it issues itself from the swarm's CA (made once, then
// reused), or keeps the certificate of the user's a previous install set up.
type tlsOptions struct {
	certFile, keyFile, caFile string
	sans                      []string
	insecureHTTP              bool
	newCA                     bool
}

func (o *tlsOptions) addFlags(flags *pflag.FlagSet) {
	flags.StringVar(&o.certFile, "tls-cert", "", "Serve this certificate (PEM, its chain after it) instead of one from the swarm's CA")
	flags.StringVar(&o.keyFile, "tls-key", "", "Private key of --tls-cert (PEM)")
	flags.StringVar(&o.caFile, "tls-ca-file", "", "CA that signed --tls-cert, which clients verify the manager with (default: the top of --tls-cert's chain)")
	flags.StringSliceVar(&o.sans, "tls-san", nil, "More addresses or DNS names for the certificate the manager issues itself (beside the manager nodes')")
	flags.BoolVar(&o.newCA, "tls-new-ca", false, "Make a new CA even though the swarm has one (every client must then get the new CA)")
	flags.BoolVar(&o.insecureHTTP, "insecure-http", false, "Serve plain HTTP: tokens cross the network in clear (not recommended)")
}

// check refuses combinations that mean nothing, before anything is written.
func (o tlsOptions) check() error {
	own := o.certFile != "" || o.keyFile != "" || o.caFile != ""
	switch {
	case o.insecureHTTP && (own || o.newCA || len(o.sans) > 0):
		return errors.New("--insecure-http serves no certificate: it takes no --tls-* option")
	case own && (o.certFile == "" || o.keyFile == ""):
		return errors.New("--tls-cert and --tls-key go together (and --tls-ca-file with them)")
	case own && (o.newCA || len(o.sans) > 0):
		return errors.New("--tls-new-ca and --tls-san apply to the certificate the manager issues from the swarm's CA, not to --tls-cert")
	}
	return nil
}

// tlsPlan is what install will set up, read and checked before anything is written.
type tlsPlan struct {
	options tlsOptions
	// own is the certificate of the user's, checked; nil otherwise.
	own *ownCert
	// current is the manager's service as it is, nil when there is none.
	current *swarm.Service
}

// ownCert is a certificate of the user's, as the manager will serve it.
type ownCert struct {
	certPEM, keyPEM []byte
	checked         tlsconf.Own
	// serverName is what the plugin checks the certificate against when it names none of
	// the manager nodes' addresses ("" when it names them).
	serverName string
}

// tlsNodeLister is what checking a certificate of the user's needs of the Engine API.
type tlsNodeLister interface {
	NodeList(ctx context.Context, options swarm.NodeListOptions) ([]swarm.Node, error)
}

// planTLS reads and checks what the options name. It writes nothing: a certificate that
// does not go with its key, has expired or does not chain to the CA stops install here.
func planTLS(ctx context.Context, out io.Writer, engine tlsNodeLister, current *swarm.Service, o tlsOptions) (tlsPlan, error) {
	if err := o.check(); err != nil {
		return tlsPlan{}, err
	}
	plan := tlsPlan{options: o, current: current}
	if o.certFile == "" {
		return plan, nil
	}
	own, err := readOwnCert(o)
	if err != nil {
		return tlsPlan{}, err
	}
	if own.serverName, err = ownServerName(ctx, out, engine, own.checked); err != nil {
		return tlsPlan{}, err
	}
	plan.own = &own
	return plan, nil
}

func readOwnCert(o tlsOptions) (ownCert, error) {
	certPEM, err := os.ReadFile(o.certFile)
	if err != nil {
		return ownCert{}, fmt.Errorf("failed to read --tls-cert: %w", err)
	}
	keyPEM, err := os.ReadFile(o.keyFile)
	if err != nil {
		return ownCert{}, fmt.Errorf("failed to read --tls-key: %w", err)
	}
	var caPEM []byte
	if o.caFile != "" {
		if caPEM, err = os.ReadFile(o.caFile); err != nil {
			return ownCert{}, fmt.Errorf("failed to read --tls-ca-file: %w", err)
		}
	}
	checked, err := tlsconf.CheckOwn(certPEM, keyPEM, caPEM, time.Now())
	if err != nil {
		return ownCert{}, fmt.Errorf("refusing --tls-cert %s: %w", o.certFile, err)
	}
	return ownCert{certPEM: certPEM, keyPEM: keyPEM, checked: checked}, nil
}

// tlsMode is where the certificate of the manager's service comes from now: its
// tlsModeLabel ("" when it serves plain HTTP, or is not installed).
func tlsMode(svc *swarm.Service) string {
	if svc == nil || svc.Spec.Labels[command.TransportLabel] != command.TransportHTTPS {
		return ""
	}
	return svc.Spec.Labels[tlsModeLabel]
}
