#!/bin/bash
# usage: build-images.sh OUTDIR
# Builds the offline e2e test image exos/busybox:1 as OUTDIR/busybox.tar (a docker-archive for
# `docker load`) with scripts/mkimage: no Docker engine and no registry involved.
#   content: /bin/busybox (host's static busybox, BUSYBOX=path to override) + a /bin symlink for
#   every applet, /tmp (1777), /root, /etc/passwd and /etc/group with root and nobody, Cmd ["sh"].
# The manager image is built the same way by the Makefile:
#   go run ./scripts/mkimage -o OUT.tar -tag exos/manager:VERSION -add build/exos-manager:/exos-manager \
#      -entrypoint '["/exos-manager"]' -cmd '["serve"]'
# Output is deterministic: the same busybox binary always gives the same image ID.
set -euo pipefail
out=${1:?usage: build-images.sh OUTDIR}
bb=${BUSYBOX:-/bin/busybox}
root=$(cd "$(dirname "$0")/.." && pwd)
mkdir -p "$out"
out=$(cd "$out" && pwd)

# busybox must be static: the image has no libc (ldd succeeds only on dynamic executables)
if ! "$bb" --list >/dev/null 2>&1 || ldd "$bb" >/dev/null 2>&1; then
  echo "build-images.sh: $bb is not a static busybox (apt-get install busybox-static)" >&2
  exit 1
fi

etc=$(mktemp -d)
trap 'rm -rf "$etc"' EXIT
printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' >"$etc/passwd"
printf 'root:x:0:\nnobody:x:65534:\n' >"$etc/group"

args=(-o "$out/busybox.tar" -tag exos/busybox:1
  -add "$bb:/bin/busybox:0755" -add "$etc/passwd:/etc/passwd:0644" -add "$etc/group:/etc/group:0644"
  -dir /tmp:1777 -dir /root:0700
  -env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
  -cmd '["sh"]')
for applet in $("$bb" --list); do
  [ "$applet" = busybox ] || args+=(-symlink "busybox:/bin/$applet")
done
cd "$root"
go run ./scripts/mkimage "${args[@]}" >/dev/null
echo "$out/busybox.tar"
