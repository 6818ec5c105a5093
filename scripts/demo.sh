#!/usr/bin/env bash
# make demo: run EXOS on this machine's own Docker engine.
# usage: scripts/demo.sh MANAGER_IMAGE_TAR MANAGER_IMAGE
# Starts a local dockerd only when none answers, and `swarm init`s only when the engine is
# not in a swarm; an existing swarm's settings are never touched. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."
image_tar=$1 image=$2
log=/var/log/exos-demo-dockerd.log

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }

if ! docker info >/dev/null 2>&1; then
  say "No Docker engine answers: starting a local dockerd (log: $log)"
  setsid dockerd >>"$log" 2>&1 </dev/null &
  for _ in $(seq 100); do docker info >/dev/null 2>&1 && break; sleep 0.2; done
  docker info >/dev/null 2>&1 || { echo "dockerd did not start; see $log" >&2; exit 1; }
fi

swarm_state=$(docker info --format '{{.Swarm.LocalNodeState}}')
if [ "$swarm_state" = inactive ]; then
  addr=$(ip -4 route get 1.1.1.1 2>/dev/null | awk '{for(i=1;i<NF;i++) if($i=="src") print $(i+1)}')
  say "Initialising a one-node swarm (advertise address ${addr:-127.0.0.1})"
  # The default pool 10.0.0.0/8 would overlap the test bed's 10.201.x networks.
  docker swarm init --advertise-addr "${addr:-127.0.0.1}" --default-addr-pool 10.220.0.0/16 >/dev/null
elif [ "$swarm_state" != active ]; then
  echo "this engine's swarm state is '$swarm_state'; fix it (docker swarm leave/join) and run make demo again" >&2
  exit 1
else
  say "Using the existing swarm (its settings are left as they are)"
fi

say "Loading images: $image, exos/busybox:1"
docker load -q -i "$image_tar" >/dev/null
docker load -q -i build/images/busybox.tar >/dev/null

say "Installing the EXOS manager"
install_log=$(mktemp)
docker exos manager install --image "$image" | tee "$install_log"
manager_url=$(sed -n 's/^EXOS manager is ready at //p' "$install_log" | tail -1)
rm -f "$install_log"

node=$(docker info --format '{{.Swarm.NodeID}}')
docker exos env inspect dev >/dev/null 2>&1 || docker exos env create dev --description "Development"
docker exos env add-node dev "$node" >/dev/null

say "Deploying the demo stack into environment dev"
docker exos stack deploy -c examples/demo/docker-compose.yml -x examples/demo/exos-compose.yml --env dev --wait demo

cat <<'TXT'

EXOS is running. Try:
  docker exos stack ls
  docker exos stack services demo
  docker exos stack containers demo
  docker exos stack history demo
  docker exos env ls
  curl -s localhost:18080            # the demo's web service
  WEB_PORT=18081 docker exos stack deploy -c examples/demo/docker-compose.yml -x examples/demo/exos-compose.yml --env dev --wait demo
  docker exos stack rollback --to 1 --wait demo
  docker exos manager status
TXT

cat <<TXT

The web dashboard: ${manager_url:-https://<this host>:7420}/
  Its certificate is signed by the CA the install made for this swarm: accept it in the browser.
  Log in with a token:    docker exos token create --name web --expires 8h --format '{{.Secret}}'
  or with a password:     docker exos user create me --password-stdin   (then give it a role:
                          docker exos env member add dev me --role member)
TXT
