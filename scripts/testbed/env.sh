# Settings and helpers shared by the test-bed scripts (source me, then call tb_init K).
# Swarm K (0..9) owns only names derived from K, so several swarms coexist with each other and
# with anything else on the host:
#   bridge exbrK (10.201.K.1/24), netns exK-nI, host-side veth exKvI, node IP 10.201.K.(10+I),
#   run dir /run/exos-testbed/K (exec roots nI/, sockets nodeI.sock), data dir
#   ${EXOS_TESTBED_DIR:-/tmp/exos-testbed}/K/nI (data-root + dockerd.log), cgroup parent
#   exos-tb-K-nI, iptables FORWARD rule with comment exos-testbed-K.

# tb_init K: validates the swarm id and sets the per-swarm names.
tb_init() {
  if ! [[ "${1:-}" =~ ^[0-9]$ ]]; then
    echo "swarm id must be a digit 0..9, got '${1:-}'" >&2
    exit 2
  fi
  K=$1
  local base=${EXOS_TESTBED_DIR:-/tmp/exos-testbed}
  # the data dir is removed with rm -rf on teardown: insist on something sane
  if [[ "$base" != /?* || "$base" == *..* ]]; then
    echo "EXOS_TESTBED_DIR must be an absolute path, got '$base'" >&2
    exit 2
  fi
  RUN=/run/exos-testbed/$K
  DATA=${base%/}/$K
  BR=exbr$K
  NET=10.201.$K
  BR_IP=$NET.1
  TAG=exos-testbed-$K
  DOCKER=${DOCKER:-docker}
}

# tb_guard: by-hand use (no EXOS_TESTBED_OWNER) must not disturb a swarm that an e2e test process
# holds: e2e/testbed keeps an flock on /run/exos-testbed/K.lock while it owns swarm K.
tb_guard() {
  [ -z "${EXOS_TESTBED_OWNER:-}" ] && [ "${FORCE:-0}" != 1 ] || return 0
  mkdir -p /run/exos-testbed
  if ! flock -n "/run/exos-testbed/$K.lock" true; then
    echo "swarm $K is held by a running e2e test (FORCE=1 overrides)" >&2
    exit 1
  fi
}

# tb_node I: validates a node index (1..99).
tb_node() {
  if ! [[ "${1:-}" =~ ^[1-9][0-9]?$ ]]; then
    echo "node index must be 1..99, got '${1:-}'" >&2
    exit 2
  fi
}

node_ip()   { echo "$NET.$((10 + $1))"; }
node_ns()   { echo "ex$K-n$1"; }
node_veth() { echo "ex${K}v$1"; }
node_sock() { echo "$RUN/node$1.sock"; }
node_exec() { echo "$RUN/n$1"; }
node_data() { echo "$DATA/n$1"; }
node_cg()   { echo "exos-tb-$K-n$1"; }

# dk I ARGS...: the docker CLI against node I (never the host engine).
dk() {
  local n=$1
  shift
  "$DOCKER" -H "unix://$(node_sock "$n")" "$@"
}

# tb_nodes: indices of every node of swarm K that left any trace (run/data dir, netns, veth), so
# teardown also works after a partial start.
tb_nodes() {
  {
    for d in "$RUN"/n[0-9]* "$DATA"/n[0-9]*; do [ -d "$d" ] && echo "${d##*/n}"; done
    for f in /run/netns/"ex$K-n"*; do [ -e "$f" ] && echo "${f##*-n}"; done
    ip -o link show 2>/dev/null | awk -F': ' -v p="ex${K}v" '{ sub(/@.*/, "", $2) } index($2, p) == 1 { print substr($2, length(p) + 1) }'
    true
  } | { grep -E '^[0-9]+$' || true; } | sort -nu
}

# pid_alive PID: the process exists and is not a zombie. Killed daemons stay zombies for seconds
# here because PID 1 reaps late, and kill -0 succeeds on zombies.
pid_alive() {
  local state
  state=$(awk '{ print $3 }' "/proc/$1/stat" 2>/dev/null) || return 1
  [ -n "$state" ] && [ "$state" != Z ] && [ "$state" != X ]
}

# now: seconds since the epoch with microseconds; el T: seconds elapsed since T.
now() { echo "$EPOCHREALTIME"; }
el()  { awk -v a="$1" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.2f", b - a }'; }
