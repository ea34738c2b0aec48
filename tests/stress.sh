#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Flushes out flaky tests before CI does: runs the default preset's whole suite N times
# (ctest --repeat until-fail:N, as many jobs as cores) while a second copy of the same suite runs in a
# loop beside it, so every core stays busy the way a loaded CI machine's do.
#
#   tests/stress.sh [N] [build-dir]      N defaults to 20, build-dir to build/ (the default preset)
#
# Each copy gets its own HOME, TMPDIR and XDG folders, so the two never share settings or files. The
# measured run is the first copy: its failures fail the script. The load copy's failures are listed too,
# since they also ran under load, but only as a warning. Logs stay in the printed folder.
set -uo pipefail
repeats=${1:-20}
build=${2:-build}
cd "$(dirname "$0")/.."
[ -f "$build/CTestTestfile.cmake" ] || { echo "stress: no test tree in $build (build the default preset first)" >&2; exit 2; }
jobs=$(nproc 2>/dev/null || echo 2)
logs=$(mktemp -d "${TMPDIR:-/tmp}/flashplan-stress.XXXXXX")

# Runs ctest in an isolated home; the remaining arguments go to ctest.
isolated() {
    local name=$1
    shift
    local home="$logs/$name-home"
    mkdir -p "$home/tmp" "$home/config" "$home/data" "$home/cache" "$home/runtime"
    chmod 700 "$home/runtime"
    env HOME="$home" TMPDIR="$home/tmp" XDG_CONFIG_HOME="$home/config" XDG_DATA_HOME="$home/data" \
        XDG_CACHE_HOME="$home/cache" XDG_RUNTIME_DIR="$home/runtime" \
        ctest --test-dir "$build" --output-on-failure -j "$jobs" "$@"
}

start=$(date +%s)
echo "stress: $repeats runs of every test in $build with $jobs jobs, a second copy as load; logs in $logs"
set -m # the load loop runs in a process group of its own, so it ends with all its children
(
    round=0
    while :; do
        round=$((round + 1))
        # A round cut short when the measured run ends printed no verdict: only finished rounds count.
        isolated load >"$logs/load-$round.log" 2>&1
        grep -q 'The following tests FAILED' "$logs/load-$round.log" && echo "$round" >>"$logs/load-failed"
    done
) &
loader=$!
set +m
stopLoad() { kill -TERM -- "-$loader" 2>/dev/null; wait "$loader" 2>/dev/null; }
trap stopLoad EXIT

isolated measured --repeat until-fail:"$repeats" >"$logs/measured.log" 2>&1
rc=$?
stopLoad
trap - EXIT

elapsed=$(($(date +%s) - start))
tail -n 20 "$logs/measured.log" | sed -n '/tests passed\|tests failed\|The following tests FAILED/,$p'
loadRounds=$(ls "$logs"/load-*.log 2>/dev/null | wc -l)
if [ -s "$logs/load-failed" ]; then
    echo "stress: warning: the load copy failed in round(s) $(tr '\n' ' ' <"$logs/load-failed")(see $logs/load-<round>.log):"
    grep -h -A3 'FAIL!' "$logs"/load-*.log | head -40
fi
echo "stress: measured run exit $rc after ${elapsed} s ($repeats repeats; the load ran $loadRounds round(s)); logs in $logs"
[ $rc = 0 ]
