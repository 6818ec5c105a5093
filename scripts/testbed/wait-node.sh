#!/bin/bash
# usage: wait-node.sh K I [timeout_s]  -- wait until dockerd I of swarm K answers /_ping.
set -euo pipefail
. "$(dirname "$0")/env.sh"
tb_init "${1:-}"
tb_node "${2:-}"
i=$2
end=$((SECONDS + ${3:-60}))
launcher=$(cat "$(node_exec "$i")/launcher.pid" 2>/dev/null || true)
until curl -sf --unix-socket "$(node_sock "$i")" http://node/_ping >/dev/null 2>&1; do
  if [ -n "$launcher" ] && ! pid_alive "$launcher"; then
    echo "dockerd of node $i of swarm $K exited; see $(node_data "$i")/dockerd.log" >&2
    exit 1
  fi
  if [ $SECONDS -ge $end ]; then
    echo "node $i of swarm $K not up after ${3:-60}s; see $(node_data "$i")/dockerd.log" >&2
    exit 1
  fi
  sleep 0.05
done
