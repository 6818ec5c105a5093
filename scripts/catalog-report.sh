#!/usr/bin/env bash
# catalog-report.sh CATALOG_DIR: how a catalog imports into EXOS. It reads the folder
# (templates/ and swarm-templates/; no Git repository needed) with package catalog as
# the manager indexes a fetched catalog, and prints deployable and refused counts per
# folder, what could not be read, and the top refusal reasons by feature.
# Example: scripts/catalog-report.sh ../shared/corpus/rancher-community-catalog
set -euo pipefail
if [ $# -ne 1 ]; then
  echo "usage: $0 CATALOG_DIR" >&2
  exit 2
fi
dir=$(cd "$1" && pwd)
cd "$(dirname "$0")/.."
exec go run ./scripts/catalogreport "$dir"
