#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The project's one entry point for a fresh Debian 12 machine (the README's two commands):
#   packaging/flashplan.sh run    install what is missing, build, start Flashplan on its built-in default
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
    # Until the GUI lands, the app is flashplan-cli; with no arguments it shows the default layout.
    if [ $# -eq 0 ]; then set -- info; fi
    exec build/app/flashplan-cli "$@"
    ;;
test)
    packaging/install-deps.sh
    build default
    ctest --preset default -j "$jobs"
    if [ "${FLASHPLAN_SANITIZERS:-1}" != 0 ]; then
        build asan
        ctest --preset asan -j "$jobs"
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
