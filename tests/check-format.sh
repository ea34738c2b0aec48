#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Fails when a C/C++ file of the tree differs from what .clang-format makes of it. Without clang-format
# it fails in CI (CI=true, where packaging/install-deps.sh has installed it, so its absence is a broken
# setup) and elsewhere skips (exit 77) saying how to install it, so a developer sees why nothing was
# checked instead of a silent pass.
set -uo pipefail
cd "$(dirname "$0")/.."

if ! command -v clang-format >/dev/null; then
    if [ "${CI:-}" = true ]; then
        echo "clang-format is not installed, and CI must check formatting: run packaging/install-deps.sh" >&2
        exit 1
    fi
    echo "clang-format is not installed: format check skipped." \
        "Install it (Debian: sudo apt-get install clang-format, or packaging/install-deps.sh) and run again."
    exit 77
fi

# The tracked files and the new ones not yet added (not ignored); outside a git checkout, the source
# folders.
if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    mapfile -t files < <(git ls-files --cached --others --exclude-standard '*.cpp' '*.h' '*.c')
else
    mapfile -t files < <(find app core programmer tests -type f \( -name '*.cpp' -o -name '*.h' -o -name '*.c' \) | sort)
fi
existing=()
for f in "${files[@]}"; do
    [ -f "$f" ] && existing+=("$f")
done
[ ${#existing[@]} -gt 0 ] || { echo "no C/C++ files found" >&2; exit 1; }

if ! clang-format --dry-run --Werror "${existing[@]}"; then
    echo "$(clang-format --version | head -1): the files above differ from .clang-format;" \
        "run clang-format -i on them" >&2
    exit 1
fi
echo "format: ${#existing[@]} files as .clang-format has them ($(clang-format --version | head -1))"
