package stack

import (
	"fmt"
	"io"

	"github.com/distribution/reference"
	"github.com/docker/cli/cli/config/configfile"
	"github.com/docker/cli/cli/streams"
	registrytypes "github.com/docker/docker/api/types/registry"
	composeext "github.com/exos-platform/exos/compose-ext"
	"github.com/spf13/pflag"
)

// nativeDeployOptions are the flags of `docker stack deploy` that have no EXOS name, so
// that its scripts run unchanged.
type nativeDeployOptions struct {
	detach       bool
	quiet        bool
	resolveImage string
	registryAuth bool
}

// dockerHubAuthKey is where docker login keeps Docker Hub's credentials in the Docker
// configuration (docker/docker's registry.IndexServer).
const dockerHubAuthKey = "https://index.docker.io/v1/"

// The values of --resolve-image.
const (
	resolveAlways  = "always"
	resolveChanged = "changed"
	resolveNever   = "never"
)

func addNativeDeployFlags(flags *pflag.FlagSet, o *nativeDeployOptions) {
	flags.BoolVarP(&o.detach, "detach", "d", true, "Exit immediately instead of waiting for the stack services to converge (--detach=false is --wait)")
	flags.BoolVarP(&o.quiet, "quiet", "q", false, "Suppress progress output")
	flags.StringVar(&o.resolveImage, "resolve-image", resolveAlways,
		`Query the registry to resolve image digest and supported platforms ("always", "changed", "never")`)
	flags.BoolVar(&o.registryAuth, "with-registry-auth", false, "Send registry authentication details to Swarm agents")
}

// waits says whether the deploy waits for convergence: --wait, or --detach=false as
// docker stack deploy has it; both at once contradict each other.
func (o nativeDeployOptions) waits(flags *pflag.FlagSet, wait bool) (bool, error) {
	if !flags.Changed("detach") {
		return wait, nil
	}
	if wait && o.detach {
		return false, fmt.Errorf("--wait and --detach cannot be used together: --detach=false waits, as --wait does")
	}
	return !o.detach, nil
}

// checkResolveImage refuses a value docker stack deploy refuses, and says what never
// cannot change: the images of registries EXOS knows are always pinned, so that their
// revisions record what ran and a rollback redeploys exactly that.
func (o nativeDeployOptions) checkResolveImage(stderr io.Writer) error {
	switch o.resolveImage {
	case resolveAlways, resolveChanged:
		return nil
	case resolveNever:
		_, _ = fmt.Fprintln(stderr, "WARNING: --resolve-image never: the images of registries EXOS knows (docker exos registry ls) "+
			"are still pinned to their digests, which their revisions record; the others go to the Engine as the files name them")
		return nil
	}
	return fmt.Errorf("invalid option %q for flag --resolve-image: it is always, changed or never", o.resolveImage)
}

// progress is where the deploy's report and --wait's progress go: nowhere with --quiet.
func (o nativeDeployOptions) progress(stdout *streams.Out) *streams.Out {
	if o.quiet {
		return streams.NewOut(io.Discard)
	}
	return stdout
}

// clientRegistryAuth is what --with-registry-auth sends: the credentials the user's
// Docker configuration has (docker login) for the registries of the stack's images, by
// registry host, encoded as the X-Registry-Auth that docker stack deploy sends.
// Registries it has no credentials for are left out. It encodes them as docker/cli's
// command.RetrieveAuthTokenFromImage does, once a registry rather than once an image.
func clientRegistryAuth(cfg *configfile.ConfigFile, st *composeext.Stack) (map[string]string, error) {
	out := map[string]string{}
	seen := map[string]bool{}
	for _, svc := range st.Services {
		cs := svc.Spec.TaskTemplate.ContainerSpec
		if cs == nil {
			continue
		}
		named, err := reference.ParseNormalizedNamed(cs.Image)
		if err != nil {
			continue // no registry: the manager says what is wrong with it
		}
		host := reference.Domain(named)
		if seen[host] {
			continue
		}
		seen[host] = true
		key := host
		if host == "docker.io" {
			key = dockerHubAuthKey
		}
		auth, err := cfg.GetAuthConfig(key)
		if err != nil {
			return nil, fmt.Errorf("failed to read your credentials for registry %s: %w", host, err)
		}
		if auth.Username == "" && auth.IdentityToken == "" && auth.RegistryToken == "" {
			continue
		}
		encoded, err := registrytypes.EncodeAuthConfig(registrytypes.AuthConfig{Username: auth.Username, Password: auth.Password,
			ServerAddress: auth.ServerAddress, IdentityToken: auth.IdentityToken, RegistryToken: auth.RegistryToken})
		if err != nil {
			return nil, fmt.Errorf("failed to encode your credentials for registry %s: %w", host, err)
		}
		out[host] = encoded
	}
	return out, nil
}
