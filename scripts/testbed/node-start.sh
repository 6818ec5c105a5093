#!/bin/bash
# usage: node-start.sh K I [extra dockerd args...]
# Starts dockerd I of swarm K in netns exK-nI and its own UTS namespace (hostname nodeI), with its
# own data root, exec root, socket, managed containerd and cgroup parent. Needs net-up.sh first.
# Returns at once (see wait-node.sh); does nothing if the node's dockerd is already running.
set -euo pipefail
. "$(dirname "$0")/env.sh"
tb_init "${1:-}"
tb_node "${2:-}"
i=$2
shift 2
x=$(node_exec "$i")
d=$(node_data "$i")
ns=$(node_ns "$i")
if [ -f "$x/docker.pid" ] && pid_alive "$(cat "$x/docker.pid")"; then
  echo "node $i of swarm $K already running" >&2
  exit 0
fi
# pid files left by a crash (node-stop.sh -9): while the dead pid is an unreaped zombie, dockerd
# refuses to start ("pid file found") and waits for the dead containerd until it times out
for f in "$x/docker.pid" "$x/containerd/containerd.pid"; do
  if [ -f "$f" ] && ! pid_alive "$(cat "$f")"; then rm -f "$f"; fi
done
[ -e "/run/netns/$ns" ] || { echo "netns $ns missing: run net-up.sh $K N first" >&2; exit 1; }
mkdir -p "$d/data" "$x"
# an own (empty) config file and engine key: never read the host's /etc/docker/daemon.json nor
# create /etc/docker/key.json (shared by all nodes it would also give them one engine ID)
# (dockerd 20.10 takes the key path only from the config file)
[ -f "$d/daemon.json" ] || printf '{"deprecated-key-path": "%s/key.json"}\n' "$d" >"$d/daemon.json"

# nsenter --net, NOT "ip netns exec": the latter remounts /sys, hiding the cgroup v1 hierarchies.
# unshare --uts + hostname: otherwise every node reports the host's hostname.
# setsid: own session, so the daemon outlives the calling shell and never gets its signals.
# env -i: no DOCKER_HOST/proxy/... leaks in from the caller.
# DOCKER_SERVICE_PREFER_OFFLINE_IMAGE=1: swarm tasks use the loaded image instead of pulling.
setsid nsenter --net="/run/netns/$ns" -- unshare --uts -- sh -c 'hostname "$0"; exec "$@"' "node$i" \
  env -i PATH="$PATH" DOCKER_SERVICE_PREFER_OFFLINE_IMAGE="${PREFER_OFFLINE:-1}" \
  dockerd \
  --config-file "$d/daemon.json" \
  --data-root "$d/data" \
  --exec-root "$x" \
  --pidfile "$x/docker.pid" \
  -H "unix://$(node_sock "$i")" \
  --cgroup-parent "$(node_cg "$i")" \
  --storage-driver "${STORAGE_DRIVER:-overlay2}" \
  --insecure-registry "$BR_IP:5000" \
  --log-level "${LOG_LEVEL:-info}" \
  "$@" >>"$d/dockerd.log" 2>&1 </dev/null &
# setsid/nsenter/unshare/env all exec without forking, so $! is dockerd: wait-node.sh watches it
echo $! >"$x/launcher.pid"
