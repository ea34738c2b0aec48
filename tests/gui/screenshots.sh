#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Screenshots of the main window under Xvfb (the xcb platform, as on a desktop), at 100 % and 200 % scale:
#   tests/gui/screenshots.sh <tst_screenshots binary> <output folder>
# One PNG per example layout and scale, plus a zoomed and a dark variant. Skips (exit 77) without xvfb-run.
set -euo pipefail
binary=$1
out=$2
command -v xvfb-run >/dev/null || { echo "xvfb-run not installed: screenshots skipped"; exit 77; }
mkdir -p "$out"
# Under AddressSanitizer: libdbus's end-of-process allocations are not leaks of ours.
export LSAN_OPTIONS="suppressions=$(cd "$(dirname "$0")" && pwd)/lsan.supp${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
for scale in 1 2; do
    # A screen large enough for a 1280x800 window at twice the scale.
    xvfb-run -a -s "-screen 0 2800x1800x24" \
        env QT_QPA_PLATFORM=xcb QT_SCALE_FACTOR="$scale" FLASHPLAN_SCREENSHOT_DIR="$out" "$binary"
done
ls -1 "$out"/*.png
