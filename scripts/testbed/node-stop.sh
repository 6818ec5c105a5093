#!/bin/bash
# usage: node-stop.sh K I [-9]
# Default: graceful stop of dockerd I of swarm K, then clean up everything it left: containerd,
# shims, container processes, shim sockets, mounts, cgroups. The data dir is kept (node-start.sh
# can bring the node back).
# -9: crash the whole node (dockerd, containerd, shims, containers) with SIGKILL and clean nothing,
# like a machine losing power. A later node-start.sh or swarm-down.sh deals with the rest.
set -euo pipefail
. "$(dirname "$0")/env.sh"
tb_init "${1:-}"
tb_node "${2:-}"
i=$2
x=$(node_exec "$i")
cg=$(node_cg "$i")

# node_pids: dockerd/containerd/shims (their cmdline names the exec root or socket) plus every
# process in the node's container cgroups. The cgroup parent is relative, so the memory
# hierarchy nests it under the caller's cgroup (/sys/fs/cgroup/memory/process_api/<id>/...).
node_pids() {
  pgrep -f -- "$x/" || true
  pgrep -f -- "$(node_sock "$i")" || true
  find /sys/fs/cgroup -maxdepth 5 -type d -name "$cg" 2>/dev/null |
    while read -r c; do find "$c" -name cgroup.procs -exec cat {} + 2>/dev/null; done
}
kill_all() {
  local p
  for p in $(node_pids | sort -u); do kill -9 "$p" 2>/dev/null || true; done
}

if [ "${3:-}" = -9 ]; then
  kill_all
  exit 0
fi
if [ -n "${3:-}" ]; then
  echo "usage: node-stop.sh K I [-9]" >&2
  exit 2
fi

pidf=$x/docker.pid
if [ -f "$pidf" ]; then
  pid=$(cat "$pidf")
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 "${STOP_TIMEOUT_TENTHS:-150}"); do pid_alive "$pid" || break; sleep 0.1; done
fi
# whatever survived (shims and containers outlive a killed dockerd) gets SIGKILL, twice in case a
# shim was about to start something
kill_all
sleep 0.2
kill_all

# stale shim sockets in the host-shared /run/containerd/s: sha256("<containerd sock>/moby/<id>")
for c in "$(node_data "$i")"/data/containers/*; do
  [ -d "$c" ] || continue
  h=$(printf '%s' "$x/containerd/containerd.sock/moby/${c##*/}" | sha256sum | cut -d' ' -f1)
  rm -f "/run/containerd/s/$h"
done
# unmount everything under this node's dirs, deepest first
awk '{ print $5 }' /proc/self/mountinfo | grep -E "^($(node_data "$i")|$x)/" | sort -r |
  while read -r m; do umount -l "$m" 2>/dev/null || true; done
# remove the cgroup dirs (children first). A cgroup stays busy until its killed processes are
# reaped, which PID 1 does late here, so retry all of them together for up to 5 s.
for _ in $(seq 1 50); do
  dirs=$(find /sys/fs/cgroup -maxdepth 5 -type d -name "$cg" 2>/dev/null)
  [ -n "$dirs" ] || break
  for c in $dirs; do find "$c" -depth -type d -exec rmdir {} + 2>/dev/null || true; done
  sleep 0.1
done
