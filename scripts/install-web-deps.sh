#!/usr/bin/env bash
# Installs the web dashboard's npm packages (uPlot) into manager/web/node_modules with
# `npm ci`, from package-lock.json. Idempotent and quiet when they are there: a copy of the
# lock file beside them says which lock they were installed from.
set -euo pipefail
cd "$(dirname "$0")/../manager/web"
stamp=node_modules/.exos-package-lock.json
if cmp -s package-lock.json "$stamp" 2>/dev/null; then
  exit 0
fi
command -v npm >/dev/null || { echo "install-web-deps.sh: npm is needed (the machine's Node.js and npm)" >&2; exit 1; }
echo "install-web-deps.sh: npm ci in manager/web"
npm ci --no-audit --no-fund --loglevel=error
cp package-lock.json "$stamp"
