#!/usr/bin/env bash
# make fuzz: every fuzz target for FUZZTIME (default 2m), one after the other, one worker
# each (the machines are small). FUZZ_TARGETS=FuzzRender,FuzzLoad runs only those.
#
# What the fuzzer finds interesting stays in $(go env GOCACHE)/fuzz, out of the tree. A
# crasher is written to <package>/testdata/fuzz/<Target>/: commit it with the fix, and it
# runs as a regression test in plain `go test`.
set -euo pipefail
cd "$(dirname "$0")/.."

FUZZTIME=${FUZZTIME:-2m}
GO=${GO:-go}
# An input that makes the code allocate without bound must kill the fuzz worker (and be
# reported as a crasher), not the machine's other processes: cap each process's memory.
ulimit -v $((${FUZZ_MEM_GB:-8} * 1024 * 1024))

# package target; compose-ext last: it is the slowest per input.
TARGETS=(
	"./manager/scaler FuzzPayload"
	"./manager/hooks FuzzDeployPayload"
	"./manager/server FuzzDecodeRequests"
	"./catalog FuzzRender"
	"./compose-ext FuzzLoad"
)

summary=()
for entry in "${TARGETS[@]}"; do
	read -r pkg target <<<"$entry"
	if [[ -n ${FUZZ_TARGETS:-} && ",$FUZZ_TARGETS," != *",$target,"* ]]; then
		continue
	fi
	echo "== $target ($pkg) for $FUZZTIME"
	log=$(mktemp)
	# -timeout 0: the test binary's default 10m deadline would cut a long run short.
	# -fuzzminimizetime: with one worker, minimizing a new input stops fuzzing; at the
	# default 60s a target with large seeds (FuzzRender) spent most of its time there.
	if ! "$GO" test "$pkg" -run '^$' -fuzz "^$target\$" -fuzztime "$FUZZTIME" -fuzzminimizetime 5s \
		-parallel 1 -timeout 0 2>&1 | tee "$log"; then
		echo "$target: FAILED; the crasher is in $pkg/testdata/fuzz/$target/" >&2
		rm -f "$log"
		exit 1
	fi
	summary+=("$target: $(grep -o 'elapsed: [^,]*, execs: [0-9]*' "$log" | tail -1)")
	rm -f "$log"
done
printf '%s\n' "${summary[@]}"
