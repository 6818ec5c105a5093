package composeext

import (
	"slices"
	"strings"

	"gopkg.in/yaml.v3"
)

// Which compose keys EXOS takes: exactly the keys `docker stack deploy` (docker/cli v28.5)
// takes, so that every file it deploys EXOS deploys, to the same specs:
//   - keys docker's schema lacks (dockerSchema) are problems: its forbidden keys (extends,
//     volumes_from, cpu_shares...), compose-spec keys it does not know (profiles, cpus,
//     mem_limit, platform, top-level name...) and typos. The reasons below say what to
//     use instead;
//   - keys its converter maps are converted (convert*.go);
//   - keys docker ignores with a printed warning (dockerUnsupported, dockerDeprecated:
//     build, privileged, network_mode, devices, container_name, restart...) are taken with
//     a warning in docker's own words;
//   - keys docker drops without a word (droppedWhy: depends_on, tmpfs...) are taken with a
//     warning of ours that says what to do instead.
//
// EXOS adds `x-exos`, and `content:`/`environment:` on configs and secrets (compose-spec
// keys docker lacks; catalog templates make password secrets with them).

// dockerUnsupported is docker/cli's types.UnsupportedProperties; the oracle test keeps it so.
var dockerUnsupported = []string{"build", "cgroupns_mode", "cgroup_parent", "devices",
	"domainname", "external_links", "ipc", "links", "mac_address", "network_mode", "pid",
	"privileged", "restart", "security_opt", "shm_size", "userns_mode"}

// dockerDeprecated is docker/cli's types.DeprecatedProperties.
var dockerDeprecated = map[string]string{
	"container_name": "Setting the container name is not supported.",
	"expose":         "Exposing ports is unnecessary - services on the same network can access each other's containers on any port.",
}

// unsupportedNotes correct docker's warning where docker uses the key after all.
var unsupportedNotes = map[string]string{
	"restart": " (docker stack deploy still uses it as the restart policy when deploy.restart_policy is not set)",
}

// droppedWhy are the keys docker accepts and drops silently, keyed by their path with
// the service and network names as *.
var droppedWhy = map[string]string{
	"services.*.depends_on":              "docker stack deploy drops it: Swarm starts services in no order, so make the service retry or wait for what it needs",
	"services.*.tmpfs":                   "docker stack deploy drops it: use a volumes entry with type: tmpfs instead",
	"services.*.networks.*.ipv4_address": "docker stack deploy drops it: Swarm assigns service addresses (use a network alias to name the service)",
	"services.*.networks.*.ipv6_address": "docker stack deploy drops it: Swarm assigns service addresses (use a network alias to name the service)",
}

// refusedWhy explains refused keys (same path patterns as droppedWhy).
var refusedWhy = map[string]string{
	"name":                       "the stack name is the argument of the deploy command",
	"include":                    "EXOS reads no files from disk: merge the files with several -c",
	"services.*.extends":         "docker stack deploy refuses it",
	"services.*.volumes_from":    "share a named volume instead",
	"services.*.volume_driver":   "set the driver on a top-level volume",
	"services.*.cpu_quota":       "use deploy.resources",
	"services.*.cpu_shares":      "use deploy.resources",
	"services.*.cpuset":          "use deploy.resources",
	"services.*.cpus":            "use deploy.resources.limits.cpus",
	"services.*.mem_limit":       "use deploy.resources.limits.memory",
	"services.*.memswap_limit":   "use deploy.resources",
	"services.*.mem_reservation": "use deploy.resources.reservations.memory",
	"services.*.pids_limit":      "use deploy.resources.limits.pids",
	"services.*.label_file":      "EXOS reads no files from disk: use labels",
	"services.*.profiles":        "Swarm deploys every service of a stack",
	"services.*.ports.*.host_ip": "Swarm publishes on every address",

	"services.*.deploy.resources.reservations.devices": "use generic_resources",
}

// exosOnlyKeys are the keys docker's schema lacks that EXOS takes.
var exosOnlyKeys = []string{"configs.*.content", "configs.*.environment", "secrets.*.content", "secrets.*.environment"}

// checkComposeKeys reports the keys of one compose file that docker refuses, and warns
// about those it ignores.
func checkComposeKeys(file string, root *yaml.Node, ps *problems) {
	specUnknown := map[string]bool{}
	specSchema().unknownKeys(root, func(path string, _ *yaml.Node) { specUnknown[path] = true })
	dockerSchema().unknownKeys(root, func(path string, key *yaml.Node) {
		switch {
		case specUnknown[path]:
			ps.add(file, key.Line, path, "unknown key")
		case !slices.Contains(exosOnlyKeys, keyPattern(path)):
			ps.add(file, key.Line, path, "%s", refusal(path))
		}
	})
	_, services := mergedChild(root, "services")
	for _, svc := range mergedPairs(services) {
		if resolveAlias(svc.value).Kind != yaml.MappingNode {
			// compose-go reports one such service, picked in map order: every one, in
			// file order, answers the same input the same way.
			ps.add(file, svc.key.Line, "services."+svc.key.Value, "must be a mapping")
			continue
		}
		warnServiceKeys(file, "services."+svc.key.Value, svc.value, ps)
	}
	warnExternalNames(file, root, ps)
}

func refusal(path string) string {
	if why := refusedWhy[keyPattern(path)]; why != "" {
		return "not supported on Swarm: " + why
	}
	return "not supported on Swarm"
}

// keyPattern replaces names and list indexes in a key path by *, as the tables above
// write them: services.web.networks.back.ipv4_address is services.*.networks.*.ipv4_address.
func keyPattern(path string) string {
	parts := strings.Split(path, ".")
	for i, p := range parts {
		topName := i == 1 && slices.Contains([]string{"services", "networks", "volumes", "configs", "secrets"}, parts[0])
		serviceNet := i == 3 && parts[0] == "services" && parts[2] == "networks"
		if topName || serviceNet || isIndex(p) {
			parts[i] = "*"
		}
	}
	return strings.Join(parts, ".")
}

func isIndex(s string) bool {
	return s != "" && strings.Trim(s, "0123456789") == ""
}

// setOf is a set of keys, for the tables of exoskeys.go.
func setOf(keys ...string) map[string]bool {
	m := make(map[string]bool, len(keys))
	for _, k := range keys {
		m[k] = true
	}
	return m
}

// warnServiceKeys warns about the keys of one service that docker ignores.
func warnServiceKeys(file, path string, svc *yaml.Node, ps *problems) {
	for _, p := range mergedPairs(svc) {
		k, key := p.key.Value, path+"."+p.key.Value
		if slices.Contains(dockerUnsupported, k) {
			ps.warn(file, p.key.Line, key, "Ignoring unsupported options: %s%s", k, unsupportedNotes[k])
		}
		if why, ok := dockerDeprecated[k]; ok {
			ps.warn(file, p.key.Line, key, "Ignoring deprecated options: %s: %s", k, why)
		}
		if why := droppedWhy[keyPattern(key)]; why != "" {
			ps.warn(file, p.key.Line, key, "%s", why)
		}
		switch k {
		case "links":
			warnLinkAliases(file, key, p.value, ps)
		case "networks":
			for _, nw := range mergedPairs(p.value) {
				for _, opt := range mergedPairs(nw.value) {
					optKey := key + "." + nw.key.Value + "." + opt.key.Value
					if why := droppedWhy[keyPattern(optKey)]; why != "" {
						ps.warn(file, opt.key.Line, optKey, "%s", why)
					}
				}
			}
		}
	}
}

// warnLinkAliases adds to docker's warning about links that an alias will not resolve:
// Swarm resolves service names on a shared network, never a link's alias.
func warnLinkAliases(file, path string, links *yaml.Node, ps *problems) {
	links = resolveAlias(links)
	if links == nil || links.Kind != yaml.SequenceNode {
		return
	}
	for _, l := range links.Content {
		if name, alias, ok := strings.Cut(l.Value, ":"); ok && name != alias {
			ps.warn(file, l.Line, path, "link alias %q does not resolve on Swarm (use a network alias)", alias)
		}
	}
}
