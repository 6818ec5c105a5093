#!/bin/bash
# usage: net-down.sh K  -- undo net-up.sh K: iptables rule, netns, veths, bridge. Idempotent.
set -euo pipefail
. "$(dirname "$0")/env.sh"
tb_init "${1:-}"
while iptables -D FORWARD -i "$BR" -o "$BR" -m comment --comment "$TAG" -j ACCEPT 2>/dev/null; do :; done
for i in $(tb_nodes); do
  ip netns del "$(node_ns "$i")" 2>/dev/null || true
  ip link del "$(node_veth "$i")" 2>/dev/null || true
done
ip link del "$BR" 2>/dev/null || true
