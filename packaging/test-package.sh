#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Builds the .deb and proves it on a fresh Debian 12 root, as a user who installs it would:
#   packaging/test-package.sh [out-folder]      (as root: mmdebstrap and chroot need it)
# 1. builds the programs and the desktop files without the tests (build-package/), packs the .deb (CPack)
#    and checks it: lintian (no error or warning), desktop-file-validate, appstreamcli validate;
# 2. unpacks a minimal bookworm (mmdebstrap, cached as ../shared/tools/fresh-readme.sh caches it),
#    installs the package there with `apt-get install ./flashplan_*.deb` (its dependencies from Debian), and
#    runs `flashplan-cli --version`, `flashplan-cli validate zephyr-flash-map`, an export to a devicetree
#    overlay, and /usr/bin/flashplan under Xvfb, which saves a screenshot of its window.
# The .deb, the checks' output and the screenshot go to out-folder (default build-package/test).
set -euo pipefail
cd "$(dirname "$0")/.."
[ "$(id -u)" = 0 ] || { echo "test-package: needs root (mmdebstrap, chroot)" >&2; exit 2; }
out=$(realpath -m "${1:-build-package/test}")
mkdir -p "$out"
step() { printf '\n== test-package.sh (%d s): %s\n' "$SECONDS" "$*"; }

step "installing the build dependencies and the package checkers"
packaging/install-deps.sh
command -v mmdebstrap >/dev/null || apt-get install -y -qq mmdebstrap >/dev/null

step "building the programs and desktop files (no tests), packing the .deb"
cmake -S . -B build-package -DCMAKE_BUILD_TYPE=RelWithDebInfo -DFLASHPLAN_BUILD_TESTS=OFF >/dev/null
cmake --build build-package -j "$(nproc)"
rm -f build-package/flashplan_*.deb
(cd build-package && cpack -G DEB >/dev/null)
deb=$(ls build-package/flashplan_*.deb)
cp "$deb" "$out/"
echo "package: $deb"

step "checking the package: lintian, desktop-file-validate, appstreamcli validate"
lintian --fail-on error,warning "$deb" 2>&1 | tee "$out/lintian.txt"
unpacked=$(mktemp -d)
trap 'rm -rf "$unpacked"' EXIT
dpkg-deb -x "$deb" "$unpacked"
desktop-file-validate "$unpacked"/usr/share/applications/*.desktop
appstreamcli validate --no-net "$unpacked"/usr/share/metainfo/*.metainfo.xml

step "a fresh Debian 12 root"
cache=${FRESH_BASE:-${XDG_CACHE_HOME:-$HOME/.cache}/flashplan-fresh}
mkdir -p "$cache"
[ -s "$cache/bookworm.tar" ] ||
    mmdebstrap -q --variant=apt --include=ca-certificates,git,sudo bookworm "$cache/bookworm.tar"
root=$(mktemp -d "$cache/package-root.XXXXXX")
cleanup() {
    # Lazily: a process the programs started (Xvfb's helpers) may still hold a node for a moment.
    umount -lR "$root/dev" 2>/dev/null || true
    umount "$root/proc" 2>/dev/null || true
    rm -rf --one-file-system "$root" "$unpacked"
}
trap cleanup EXIT
tar -xf "$cache/bookworm.tar" -C "$root"
mount -t proc proc "$root/proc"
mount --rbind /dev "$root/dev" && mount --make-rslave "$root/dev"
cp /etc/resolv.conf "$root/etc/resolv.conf"
cp "$deb" "$root/tmp/"

step "apt-get install ./$(basename "$deb") (and Xvfb for the screenshot) in it"
in_root() { chroot "$root" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 "$@"; }
in_root bash -c "apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
    /tmp/$(basename "$deb") xvfb xauth >/dev/null"

step "running the installed programs"
in_root flashplan-cli --version | tee "$out/version.txt"
in_root flashplan-cli validate zephyr-flash-map | tee "$out/validate.txt"
in_root flashplan-cli convert zephyr-flash-map /tmp/zephyr-flash-map.overlay --to dts
in_root test -s /tmp/zephyr-flash-map.overlay
in_root man -w flashplan-cli >/dev/null 2>&1 || in_root test -s /usr/share/man/man1/flashplan-cli.1.gz
in_root test -s /usr/lib/udev/rules.d/70-flashplan.rules
in_root xvfb-run -a -s "-screen 0 1280x800x24" /usr/bin/flashplan --screenshot /tmp/flashplan.png
cp "$root/tmp/flashplan.png" "$out/flashplan-fresh-root.png"
step "done: $out/flashplan-fresh-root.png shows /usr/bin/flashplan started in the fresh root"
