#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Fails when a tracked C/C++ file differs from what .clang-format makes of it. Skips (exit 77) where
# clang-format is not installed or the tree is not a git checkout.
set -uo pipefail
cd "$(dirname "$0")/.."
command -v clang-format >/dev/null || { echo "clang-format not installed: format check skipped"; exit 77; }
files=$(git ls-files '*.cpp' '*.h' '*.c' 2>/dev/null) || { echo "not a git checkout: format check skipped"; exit 77; }
[ -n "$files" ] || exit 77
# shellcheck disable=SC2086
clang-format --dry-run --Werror $files
