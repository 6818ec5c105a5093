package composeext

import (
	"strings"

	"github.com/compose-spec/compose-go/v2/types"

	"gopkg.in/yaml.v3"
)

// Which compose keys EXOS takes. The rule keeps the differential property (a plain file
// converts exactly as `docker stack deploy` converts it) while refusing what would change
// behaviour silently:
//   - keys the converter maps (serviceKeys) are taken;
//   - keys Swarm has no use for but whose absence changes nothing a user relies on
//     (harmlessKeys: build next to an image, container_name, expose, depends_on, links
//     without an alias) are taken and ignored, as `docker stack deploy` does;
//   - everything else is a Problem: the keys the CLI refuses (extends, volumes_from,
//     cpu_shares...), the keys it ignores with a warning although the container would then
//     run differently (privileged, devices, network_mode, pid, ipc, security_opt,
//     shm_size...), and compose-spec keys the CLI's v3 schema does not know (profiles,
//     mem_limit, cpus, platform...). `restart` is taken: the CLI translates it into the
//     restart policy when deploy.restart_policy is absent.
var serviceKeys = setOf("image", "command", "entrypoint", "environment", "labels", "deploy",
	"healthcheck", "hostname", "extra_hosts", "dns", "dns_search", "working_dir", "user",
	"stop_grace_period", "stop_signal", "tty", "stdin_open", "secrets", "configs", "read_only",
	"credential_spec", "isolation", "init", "sysctls", "cap_add", "cap_drop", "ulimits",
	"oom_score_adj", "logging", "volumes", "networks", "ports", "restart")

var harmlessKeys = setOf("build", "container_name", "expose", "depends_on", "links")

// unsupportedWhy explains the most common refused keys.
var unsupportedWhy = map[string]string{
	"extends":         "docker stack deploy refuses it",
	"volumes_from":    "share a named volume instead",
	"volume_driver":   "set the driver on a top-level volume",
	"cpu_quota":       "use deploy.resources",
	"cpu_shares":      "use deploy.resources",
	"cpuset":          "use deploy.resources",
	"cpus":            "use deploy.resources.limits.cpus",
	"mem_limit":       "use deploy.resources.limits.memory",
	"memswap_limit":   "use deploy.resources",
	"mem_reservation": "use deploy.resources.reservations.memory",
	"pids_limit":      "use deploy.resources.limits.pids",
	"env_file":        "EXOS reads no files from disk: use environment",
	"label_file":      "EXOS reads no files from disk: use labels",
	"tmpfs":           "docker stack deploy ignores it: use a volumes entry of type tmpfs",
	"profiles":        "Swarm deploys every service of a stack",
	"privileged":      "Swarm services cannot run privileged",
	"network_mode":    "use networks",
}

// composeSpecKeys are the service keys of the compose spec, to tell a refused key from a typo.
var composeSpecKeys = func() map[string]bool {
	keys := setOf(types.ContainerSpecAttributes...)
	for _, k := range []string{"attach", "develop", "external_links", "healthcheck", "net",
		"post_start", "pre_start", "pre_stop", "provider", "scale", "stdin_open", "tty"} {
		keys[k] = true
	}
	return keys
}()

var topLevelKeys = setOf("version", "name", "services", "networks", "volumes", "configs", "secrets")

func setOf(keys ...string) map[string]bool {
	m := make(map[string]bool, len(keys))
	for _, k := range keys {
		m[k] = true
	}
	return m
}

// checkComposeKeys reports the keys of one compose file that EXOS does not take.
func checkComposeKeys(file string, root *yaml.Node, ps *problems) {
	for _, p := range pairs(root) {
		k := p.key.Value
		if !topLevelKeys[k] && !strings.HasPrefix(k, "x-") {
			ps.add(file, p.key.Line, k, "not supported on Swarm")
		}
	}
	_, services := child(root, "services")
	for _, svc := range pairs(services) {
		checkServiceKeys(file, "services."+svc.key.Value, svc.value, ps)
	}
}

func checkServiceKeys(file, path string, svc *yaml.Node, ps *problems) {
	for _, p := range pairs(svc) {
		k := p.key.Value
		switch {
		case k == "links":
			checkLinks(file, path+".links", p.value, ps)
		case serviceKeys[k], harmlessKeys[k], strings.HasPrefix(k, "x-"):
		case unsupportedWhy[k] != "":
			ps.add(file, p.key.Line, path+"."+k, "not supported on Swarm: %s", unsupportedWhy[k])
		case composeSpecKeys[k]:
			ps.add(file, p.key.Line, path+"."+k, "not supported on Swarm")
		default:
			ps.add(file, p.key.Line, path+"."+k, "unknown key")
		}
	}
	_, res := child(svc, "deploy")
	_, res = child(res, "resources")
	_, res = child(res, "reservations")
	if k, _ := child(res, "devices"); k != nil {
		ps.add(file, k.Line, path+".deploy.resources.reservations.devices", "not supported on Swarm: use generic_resources")
	}
}

// checkLinks refuses links with an alias: Swarm resolves service names on a shared
// network, but not the alias, so the link would break silently.
func checkLinks(file, path string, links *yaml.Node, ps *problems) {
	if links == nil || links.Kind != yaml.SequenceNode {
		return
	}
	for _, l := range links.Content {
		if name, alias, ok := strings.Cut(l.Value, ":"); ok && name != alias {
			ps.add(file, l.Line, path, "not supported on Swarm: link alias %q (use a network alias)", alias)
		}
	}
}
