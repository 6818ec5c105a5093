package composeext

import (
	"fmt"
	"regexp"
	"strings"
	"unicode"

	"github.com/compose-spec/compose-go/v2/loader"
	"github.com/compose-spec/compose-go/v2/types"
	"github.com/docker/docker/api/types/mount"
)

// Name rules, with the stack prefix counted, as Swarm and the daemon apply them.
var (
	// swarmkit manager/controlapi/common.go: isValidDNSName, for services and networks
	// (validateAnnotations), at most 63 characters as a DNS label.
	dnsName = regexp.MustCompile(`^[a-zA-Z0-9](?:[-_]*[A-Za-z0-9]+)*$`)
	// swarmkit manager/controlapi/common.go: isValidConfigOrSecretName
	// (validateConfigOrSecretAnnotations), at most 64 characters.
	configOrSecretName = regexp.MustCompile(`^[a-zA-Z0-9]+(?:[a-zA-Z0-9-_.]*[a-zA-Z0-9])?$`)
	// docker daemon/names/names.go: RestrictedNamePattern, which the local volume driver
	// checks (volume/local/local.go: validateName).
	localVolumeName = regexp.MustCompile(`^[a-zA-Z0-9][a-zA-Z0-9_.-]+$`)
)

const (
	maxDNSName            = 63
	maxConfigOrSecretName = 64
	// maxStackName leaves room for "_" and a one-letter service within maxDNSName.
	maxStackName = maxDNSName - 2
)

// checkStackName checks the stack name before anything is loaded, so that a bad name is
// blamed on the name: compose-go would refuse it as an error of the compose files. The
// rules are docker/cli's (cli/command/stack/common.go: validateStackName refuses a blank
// name) and compose-go's, which loads a project only under a name NormalizeProjectName
// leaves as it is (docker stack deploy also takes upper case; EXOS cannot).
func checkStackName(stack string, ps *problems) bool {
	switch normal := loader.NormalizeProjectName(stack); {
	case strings.TrimFunc(stack, quotesOrWhitespace) == "":
		ps.add("", 0, "stack", "invalid stack name %q: give the stack a name", stack)
	case normal != stack:
		hint := ""
		if normal != "" {
			hint = fmt.Sprintf(" (for example %q)", normal)
		}
		ps.add("", 0, "stack", "invalid stack name %q: use only lowercase letters, digits, '-' and '_', starting with a letter or digit%s", stack, hint)
	case len(stack) > maxStackName:
		ps.add("", 0, "stack", "stack name %q is %d characters: Swarm names services <stack>_<service> in at most %d, so use a stack name of at most %d", stack, len(stack), maxDNSName, maxStackName)
	default:
		return true
	}
	return false
}

func quotesOrWhitespace(r rune) bool {
	return unicode.IsSpace(r) || r == '"' || r == '\''
}

// names checks the name of every object the stack creates. External objects are not
// created, so their names are the swarm's business.
func (c *preflight) names() {
	for _, svc := range c.st.Services {
		c.dnsName("service", svc.Spec.Name, objectRef{kind: "services", key: svc.Name})
	}
	nets := c.networkRefs()
	for _, n := range c.st.Networks {
		if !n.External {
			c.dnsName("network", n.Name, nets[n.Name])
		}
	}
	configs := objectRefs("configs", c.ns, c.p.Configs, func(o types.ConfigObjConfig) string { return o.Name })
	for _, cfg := range c.st.Configs {
		if !cfg.External {
			c.configOrSecretName("config", cfg.Spec.Name, configs[cfg.Spec.Name])
		}
	}
	secrets := objectRefs("secrets", c.ns, c.p.Secrets, func(o types.SecretConfig) string { return o.Name })
	for _, sec := range c.st.Secrets {
		if !sec.External && !sec.Keep {
			c.configOrSecretName("secret", sec.Spec.Name, secrets[sec.Spec.Name])
		}
	}
	c.volumeNames()
}

// dnsName applies swarmkit's validateAnnotations to a service or network name.
func (c *preflight) dnsName(kind, name string, ref objectRef) {
	switch {
	case !dnsName.MatchString(name):
		c.nameProblem(ref, "%s name %q is not valid on Swarm: use only letters, digits, '-' and '_', starting and ending with a letter or digit", kind, name)
	case len(name) > maxDNSName:
		c.nameProblem(ref, "%s name %q is %d characters, counting the stack name and \"_\": Swarm allows at most %d, so use a shorter stack or %s name", kind, name, len(name), maxDNSName, kind)
	}
}

// configOrSecretName applies swarmkit's validateConfigOrSecretAnnotations.
func (c *preflight) configOrSecretName(kind, name string, ref objectRef) {
	switch {
	case !configOrSecretName.MatchString(name):
		c.nameProblem(ref, "%s name %q is not valid on Swarm: use only letters, digits, '-', '_' and '.', starting and ending with a letter or digit", kind, name)
	case len(name) > maxConfigOrSecretName:
		c.nameProblem(ref, "%s name %q is %d characters, counting the stack name and \"_\": Swarm allows at most %d, so use a shorter stack or %s name", kind, name, len(name), maxConfigOrSecretName, kind)
	}
}

// volumeNames checks the named volumes the stack's services mount with the local driver
// (the default): each node's daemon creates them when a task starts, so a bad name
// fails every task. Other drivers have rules of their own.
func (c *preflight) volumeNames() {
	refs := objectRefs("volumes", c.ns, c.p.Volumes, func(v types.VolumeConfig) string { return v.Name })
	seen := map[string]bool{}
	for _, svc := range c.st.Services {
		for _, m := range svc.Spec.TaskTemplate.ContainerSpec.Mounts {
			if !stackVolume(m) || seen[m.Source] {
				continue
			}
			seen[m.Source] = true
			if d := m.VolumeOptions.DriverConfig; d != nil && d.Name != "" && d.Name != "local" {
				continue
			}
			// Swarm expands a name template ({{.Task.Slot}}) before the daemon sees the name.
			if !localVolumeName.MatchString(expanded(m.Source)) {
				c.nameProblem(refs[m.Source], "volume name %q is not valid for the local driver: use at least two letters, digits, '_', '.' or '-', starting with a letter or digit", m.Source)
			}
		}
	}
}

// stackVolume reports whether a mount is a named volume the stack defines (the converter
// labels those, and only those, with the stack).
func stackVolume(m mount.Mount) bool {
	return (m.Type == mount.TypeVolume || m.Type == "") && m.Source != "" && m.VolumeOptions != nil && m.VolumeOptions.Labels != nil
}
