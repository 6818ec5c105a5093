#!/usr/bin/env bash
# Enforces the dependency direction of docs/architecture.md: nothing imports upward.
set -euo pipefail
cd "$(dirname "$0")/.."
mod=$(go list -m)
fail=0

# deny PKG PATTERN WHY: PKG's direct imports must not match PATTERN.
deny() {
  local bad
  bad=$(go list -f '{{join .Imports "\n"}}' "$mod/$1" | grep -E "$2" || true)
  if [ -n "$bad" ]; then
    echo "dependency rule broken: $1 must not import $3:"; echo "$bad" | sed 's/^/  /'; fail=1
  fi
}
# api is imported by the plugin and by users' tools: the standard library only.
std_only=$(go list -deps -f '{{if not .Standard}}{{.ImportPath}}{{end}}' "$mod/manager/api" | grep -v "^$mod/manager/api$" || true)
[ -z "$std_only" ] || { echo "manager/api must import only the standard library, found:"; echo "$std_only"; fail=1; }
# tlsconf makes and checks certificates for the plugin and the manager: the standard library only.
std_only=$(go list -deps -f '{{if not .Standard}}{{.ImportPath}}{{end}}' "$mod/manager/tlsconf" | grep -v "^$mod/manager/tlsconf$" || true)
[ -z "$std_only" ] || { echo "manager/tlsconf must import only the standard library, found:"; echo "$std_only"; fail=1; }
# web is embedded in the manager: the page and its handler, the standard library only.
std_only=$(go list -deps -f '{{if not .Standard}}{{.ImportPath}}{{end}}' "$mod/manager/web" | grep -v "^$mod/manager/web$" || true)
[ -z "$std_only" ] || { echo "manager/web must import only the standard library, found:"; echo "$std_only"; fail=1; }
deny compose-ext "^$mod/|docker/docker/client" "EXOS packages or the Docker client"
deny manager/state "^$mod/" "other EXOS packages"
# catalog is a library of its own: templates, answers, rendering, git; no manager internals.
deny catalog "^$mod/(manager|cli-plugin)|docker/docker/client" "the manager, the plugin or the Docker client"
deny manager/persist "^$mod/" "other EXOS packages"
# catalogs reads Git and the swarm's stored objects; deploying templates is not its business.
deny manager/catalogs "^$mod/manager/(server|stacks|swarm|scaler|envs)|docker/docker/client" "the API server, other services or the Docker client"
# templates answers and renders; the stack service records and applies.
deny manager/templates "^$mod/manager/(server|swarm|persist|scaler|envs)|docker/docker/client" "the API server, the deployer or the Docker client"
deny manager/server "^$mod/manager/(stacks|envs|swarm|persist|scaler|catalogs|templates)" "the services it reaches through interfaces"
# identity knows who calls; what they may do elsewhere, and recording it, is not its business.
deny manager/identity "^$mod/manager/(server|stacks|swarm|scaler|envs|catalogs|templates|audit)|docker/docker/client" "the API server, other services, the audit log or the Docker client"
# the agent runs on every node with the manager's wire types only.
deny manager/agent "^$mod/manager/(server|state|stacks|swarm|persist|scaler|envs|catalogs|templates|identity|audit|hooks|registries)" "anything of the manager but its wire types"
# the dashboard reads the index, the reports and its own stored objects; it changes nothing.
deny manager/dashboard "^$mod/manager/(server|stacks|swarm|scaler|envs|catalogs|templates|identity|registries)|docker/docker/client" "the API server, other services or the Docker client"
# docker-exos (cli-plugin's main) is started twice per command: it links what answers Docker
# and serves the fast reads, never the command tree or docker/cli's framework.
heavy=$(go list -deps "$mod/cli-plugin" | grep -E "^$mod/cli-plugin/command|docker/cli/cli/command(/formatter)?$|docker/cli/cli-plugins/plugin|compose-spec|jsonschema|google.golang.org/grpc|docker/docker/client|distribution/reference|spf13/cobra" || true)
[ -z "$heavy" ] || { echo "the launcher docker-exos (cli-plugin) must stay light, found:"; echo "$heavy" | sed 's/^/  /'; fail=1; }
for p in $(go list "$mod/cli-plugin/..."); do
  deny "${p#$mod/}" "^$mod/manager/(state|server|swarm|persist|stacks|envs)" "manager internals"
done
exit $fail
