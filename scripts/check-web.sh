#!/usr/bin/env bash
# make lint: the committed web bundle (manager/web/dist) is what the sources make. It builds
# them again into a temporary directory and fails if anything differs. Needs the npm
# packages (scripts/install-web-deps.sh, run by make deps).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -d manager/web/node_modules/uplot ]; then
  echo "check-web.sh: manager/web/node_modules is missing: run scripts/install-web-deps.sh (make deps)" >&2
  exit 1
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
go run ./manager/web/build -dir manager/web -out "$tmp/dist"
if ! diff -r manager/web/dist "$tmp/dist" >"$tmp/diff"; then
  echo "check-web.sh: manager/web/dist differs from a fresh build of manager/web/src: run make web and commit dist" >&2
  head -c 2000 "$tmp/diff" >&2
  exit 1
fi
