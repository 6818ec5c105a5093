#!/bin/bash
# Installs from Debian whatever the e2e test bed needs and is missing. Idempotent and quiet when
# everything is present (no apt-get update then). It never starts the host's docker daemon.
set -euo pipefail
# The web dashboard's npm packages, which make lint's bundle check builds with.
"$(dirname "$0")/install-web-deps.sh"
pkgs=(docker.io busybox-static iptables iproute2 git curl psmisc procps ca-certificates openssl
  prometheus prometheus-alertmanager slapd ldap-utils docker-registry chromium fonts-dejavu-core)
missing=()
for p in "${pkgs[@]}"; do
  # dpkg-query prints "install ok installed" only for fully installed packages
  if [ "$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null)" != "install ok installed" ]; then
    missing+=("$p")
  fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "install-deps.sh: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
# policy-rc.d exit 101 keeps the package scripts from starting services (the host dockerd and
# containerd): the test bed runs its own daemons. Only add it for this run if none exists.
own_policy=
if [ ! -e /usr/sbin/policy-rc.d ]; then
  printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
  chmod 755 /usr/sbin/policy-rc.d
  own_policy=1
fi
cleanup() { if [ -n "$own_policy" ]; then rm -f /usr/sbin/policy-rc.d; fi; }
trap cleanup EXIT
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}"
