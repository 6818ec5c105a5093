#!/bin/bash
# usage: net-up.sh K N  -- bridge exbrK (10.201.K.1/24) plus netns exK-n1..N joined by veths.
# Idempotent: existing pieces are kept.
set -euo pipefail
. "$(dirname "$0")/env.sh"
tb_init "${1:-}"
n=${2:?usage: net-up.sh K N}

if ! ip link show "$BR" >/dev/null 2>&1; then
  ip link add "$BR" type bridge
  ip addr add "$BR_IP/24" dev "$BR"
fi
ip link set "$BR" up
# With br_netfilter loaded (bridge-nf-call-iptables=1) bridged node<->node frames traverse the
# host's iptables FORWARD chain, whose policy is DROP whenever a host dockerd ran. Accept our
# bridge explicitly; without br_netfilter the rule is simply never hit. Bridged traffic needs no
# net.ipv4.ip_forward, and the nodes have no default route, so the host sysctl stays untouched.
if ! iptables -C FORWARD -i "$BR" -o "$BR" -m comment --comment "$TAG" -j ACCEPT 2>/dev/null; then
  iptables -I FORWARD 1 -i "$BR" -o "$BR" -m comment --comment "$TAG" -j ACCEPT
fi

for i in $(seq 1 "$n"); do
  ns=$(node_ns "$i")
  veth=$(node_veth "$i")
  # test the file, not "ip netns list": that one errors out while other netns come and go
  [ -e "/run/netns/$ns" ] || ip netns add "$ns"
  if ! ip link show "$veth" >/dev/null 2>&1; then
    ip -n "$ns" link del eth0 2>/dev/null || true
    ip link add "$veth" type veth peer name eth0 netns "$ns"
  fi
  ip link set "$veth" master "$BR" up
  ip -n "$ns" addr replace "$(node_ip "$i")/24" dev eth0
  ip -n "$ns" link set lo up
  ip -n "$ns" link set eth0 up
  # No default route on purpose: the bridge IP (registry etc.) is on-link, and without a route
  # image pulls fail at once instead of timing out on DNS (see reference/environment.md).
done
