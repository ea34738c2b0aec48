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

build() {
    local preset=$1
    cmake --preset "$preset"
    cmake --build --preset "$preset" -j "$jobs"
}

case "${1:-}" in
run)
    packaging/install-deps.sh
    build default
    shift
    # With no argument the editor opens the built-in default: the Zephyr flash_map example on an nRF52840 DK.
    exec build/app/flashplan "$@"
    ;;
test)
    packaging/install-deps.sh
    build default
    ctest --preset default -j "$jobs"
    if [ "${FLASHPLAN_SANITIZERS:-1}" != 0 ]; then
        build asan
        # Benchmarks measure the default build; under the sanitizers their figures mean nothing.
        ctest --preset asan -j "$jobs" -LE bench
    fi
    ;;
build)
    packaging/install-deps.sh
    build "${2:-default}"
    ;;
*)
    echo "usage: $0 run|test|build [preset]" >&2
    exit 2
    ;;
esac
