#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The project's one entry point for a fresh Debian 12 machine (the README's two commands):
#   packaging/flashplan.sh run [file]   install what is missing, build, start the Flashplan editor on its
#                                        built-in default (or on a layout or flash map file)
#   packaging/flashplan.sh test   install what is missing, build, run every test (default and ASan+UBSan presets)
#   packaging/flashplan.sh build [preset]   install and build only
# Environment: FLASHPLAN_SANITIZERS=0 skips the ASan+UBSan pass of `test`.
set -euo pipefail
cd "$(dirname "$0")/.."

jobs=$(nproc 2>/dev/null || echo 2)

step() {
    printf '\n== flashplan.sh (%d s): %s\n' "$SECONDS" "$*"
}

# build <preset> [target...]: configure, then build the targets named (all when none).
build() {
    local preset=$1
    shift
    cmake --preset "$preset"
    local targets=()
    for t in "$@"; do targets+=(--target "$t"); done
    cmake --build --preset "$preset" -j "$jobs" "${targets[@]}"
}

case "${1:-}" in
run)
    step "1/3 installing the Debian packages Flashplan needs (only those missing)"
    packaging/install-deps.sh
    # Only what `run` starts: the editor and the CLI beside it, not the test suites and benchmarks.
    step "2/3 building the editor and flashplan-cli on $jobs cores (a few minutes the first time)"
    build default flashplan flashplan-cli
    shift
    # With no argument the editor opens the built-in default: the Zephyr flash_map example on an nRF52840 DK.
    step "3/3 starting build/app/flashplan $*"
    exec build/app/flashplan "$@"
    ;;
test)
    step "1/3 installing the Debian packages Flashplan needs (only those missing)"
    packaging/install-deps.sh
    step "2/3 building everything (editor, CLI, tests, benchmarks) and running the tests"
    build default
    ctest --preset default -j "$jobs"
    if [ "${FLASHPLAN_SANITIZERS:-1}" != 0 ]; then
        step "3/3 the same tests under AddressSanitizer and UndefinedBehaviorSanitizer"
        build asan
        # Benchmarks measure the default build; under the sanitizers their figures mean nothing.
        ctest --preset asan -j "$jobs" -LE bench
    fi
    ;;
build)
    step "installing the Debian packages Flashplan needs (only those missing)"
    packaging/install-deps.sh
    step "building preset ${2:-default}"
    build "${2:-default}"
    ;;
*)
    echo "usage: $0 run|test|build [preset]" >&2
    exit 2
    ;;
esac
