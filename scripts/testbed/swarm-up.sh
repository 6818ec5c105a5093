#!/bin/bash
# usage: [MANAGERS=M] [LABELS="2:env=dev 3:env=prod,zone=a"] swarm-up.sh K N [image.tar...]
# Brings up swarm K: network, N dockerd (in parallel), loads the docker-archive images on every
# node, `swarm init` on node1, joins nodes 2..M as managers and the rest as workers, waits until
# all N nodes are Ready, then applies LABELS (node index: comma separated k=v). Prints timings on
# stderr. On failure the partial swarm stays for inspection: run swarm-down.sh K.
# EXOS_TESTBED_OWNER (default "manual") is written to the run dir; e2e/testbed sets its PID there
# to recognise swarms left behind by a crashed test process.
set -euo pipefail
. "$(dirname "$0")/env.sh"
S=$(dirname "$0")
tb_init "${1:-}"
tb_guard
n=${2:?usage: swarm-up.sh K N [image.tar...]}
shift 2
managers=${MANAGERS:-1}
if ! [[ "$n" =~ ^[1-9][0-9]?$ && "$managers" =~ ^[1-9][0-9]?$ ]] || [ "$managers" -gt "$n" ]; then
  echo "want 1 <= MANAGERS ($managers) <= N ($n) <= 99" >&2
  exit 2
fi
for img in "$@"; do [ -f "$img" ] || { echo "image archive $img not found" >&2; exit 2; }; done

# on any failure show what the daemons said
on_err() {
  for i in $(seq 1 "$n"); do
    echo "--- swarm $K node$i: tail of $(node_data "$i")/dockerd.log" >&2
    tail -n 15 "$(node_data "$i")/dockerd.log" >&2 2>/dev/null || true
  done
}
trap on_err ERR

T0=$(now)
mkdir -p "$RUN" "$DATA"
echo "${EXOS_TESTBED_OWNER:-manual}" >"$RUN/owner"
"$S/net-up.sh" "$K" "$n"
for i in $(seq 1 "$n"); do "$S/node-start.sh" "$K" "$i"; done
for i in $(seq 1 "$n"); do "$S/wait-node.sh" "$K" "$i" 60; done
echo "swarm $K: $n daemons up in $(el "$T0")s" >&2

# load every image on every node in parallel; wait on each job to catch a failure
T=$(now)
pids=()
for i in $(seq 1 "$n"); do
  for img in "$@"; do dk "$i" load -q -i "$img" >/dev/null & pids+=($!); done
done
for p in "${pids[@]}"; do wait "$p"; done
echo "swarm $K: $# image(s) loaded in $(el "$T")s" >&2

T=$(now)
# The default address pool 10.0.0.0/8 would contain the node subnet 10.201.K.0/24.
# in_swarm I: node I already belongs to a swarm (a second swarm-up.sh run changes nothing)
in_swarm() { [ "$(dk "$1" info --format '{{.Swarm.LocalNodeState}}')" = active ]; }
in_swarm 1 || dk 1 swarm init --advertise-addr "$(node_ip 1)" --listen-addr "$(node_ip 1):2377" \
  --default-addr-pool "10.$((210 + K)).0.0/16" --default-addr-pool-mask-length 24 >/dev/null
# managers join one at a time (raft membership changes), workers all at once
mtoken=$(dk 1 swarm join-token -q manager)
wtoken=$(dk 1 swarm join-token -q worker)
join() { in_swarm "$1" || dk "$1" swarm join --token "$2" --advertise-addr "$(node_ip "$1")" --listen-addr "$(node_ip "$1"):2377" "$(node_ip 1):2377" >/dev/null; }
for i in $(seq 2 "$managers"); do join "$i" "$mtoken"; done
pids=()
for i in $(seq $((managers + 1)) "$n"); do join "$i" "$wtoken" & pids+=($!); done
for p in "${pids[@]}"; do wait "$p"; done
end=$((SECONDS + 60))
until [ "$(dk 1 node ls --format '{{.Status}}' | grep -c '^Ready$')" = "$n" ]; do
  [ $SECONDS -lt $end ] || { echo "swarm $K: not all $n nodes Ready after 60s" >&2; dk 1 node ls >&2; false; }
  sleep 0.1
done
echo "swarm $K: swarm formed in $(el "$T")s" >&2

for spec in ${LABELS:-}; do
  args=()
  IFS=, read -ra kvs <<<"${spec#*:}"
  for kv in "${kvs[@]}"; do args+=(--label-add "$kv"); done
  dk 1 node update "${args[@]}" "node${spec%%:*}" >/dev/null
done
echo "swarm $K: $n nodes ($managers manager(s)) ready in $(el "$T0")s" >&2
