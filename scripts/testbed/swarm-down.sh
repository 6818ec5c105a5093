#!/bin/bash
# usage: [FAST=1] swarm-down.sh K
# Tears down everything of swarm K, also after a partial start: daemons (graceful; FAST=1 kills
# whole nodes first, which is enough since the data goes too), containers, shim sockets, mounts,
# cgroups, netns, veths, bridge, iptables rule, run and data dirs. Idempotent; exits non-zero and
# names what is left if the cleanup was incomplete.
set -euo pipefail
. "$(dirname "$0")/env.sh"
S=$(dirname "$0")
tb_init "${1:-}"
tb_guard
nodes=$(tb_nodes)

if [ "${FAST:-0}" = 1 ]; then
  for i in $nodes; do "$S/node-stop.sh" "$K" "$i" -9; done
fi
pids=()
for i in $nodes; do "$S/node-stop.sh" "$K" "$i" & pids+=($!); done
for p in "${pids[@]}"; do wait "$p" || true; done
"$S/net-down.sh" "$K"

# Sweep the swarm's cgroups whatever the nodes' stops did: after a crashed run the node dirs
# may be gone already, and PID 1 here can take seconds to reap the killed processes that keep
# a cgroup busy, so empty dirs are retried for up to 30 s.
for _ in $(seq 1 300); do
  cgroups=$(find /sys/fs/cgroup -maxdepth 5 -type d -name "exos-tb-$K-n*" 2>/dev/null)
  [ -n "$cgroups" ] || break
  for c in $cgroups; do find "$c" -depth -type d -exec rmdir {} + 2>/dev/null || true; done
  sleep 0.1
done

left=()
mounts=$(awk '{ print $5 }' /proc/self/mountinfo | grep -cE "^($DATA|$RUN)/" || true)
[ "$mounts" = 0 ] || left+=("$mounts mounts")
rm -rf "$DATA" "$RUN"
pgrep -f -- "$RUN/" >/dev/null && left+=("processes: $(pgrep -d, -f -- "$RUN/")")
[ -z "$(find /sys/fs/cgroup -maxdepth 5 -type d -name "exos-tb-$K-n*" 2>/dev/null)" ] || left+=("cgroups")
if [ ${#left[@]} -gt 0 ]; then
  echo "swarm-down.sh $K: left behind: ${left[*]}" >&2
  exit 1
fi
