#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Installs the Debian 12 packages Flashplan needs to build and test. Idempotent: when everything is
# present it changes nothing and needs no network; otherwise it runs apt-get update once and installs
# only what is missing (through sudo when not root).
set -euo pipefail

packages=(
    build-essential cmake pkg-config   # toolchain
    clang-format                       # tests: the format check (tests/check-format.sh)
    qt6-base-dev libgl-dev             # Qt 6 Core/Widgets/Test (Qt's CMake files need the GL headers)
    qt6-svg-dev                        # the app icon (SVG)
    xvfb xauth                         # tests: screenshots of the editor under Xvfb (xvfb-run)
    libpugixml-dev                     # XML: device database, .flashplan files
    nlohmann-json3-dev                 # JSON shapes of the CLI and the JSON format
    libyaml-cpp-dev                    # nRF Partition Manager pm_static.yml
    libssl-dev                         # libcrypto: MCUboot image hashes and signatures (core/boot)
    device-tree-compiler libfdt-dev    # tests: exported overlays compiled by dtc and read back with libfdt
    openocd                            # tests: real OpenOCD against the emulated STM32F407 (tests/emulators)
    libusb-1.0-0-dev                   # the DFU backend (programmer/usb)
    umockdev libumockdev-dev           # tests: emulated USB DFU devices that real libusb talks to
    dfu-util                           # tests: the reference DFU tool against the emulated devices
    desktop-file-utils appstream       # packaging: desktop-file-validate, appstreamcli validate
    lintian                            # packaging: the .deb's check (packaging/test-package.sh)
)

missing=()
for p in "${packages[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q '^install ok installed$'; then
        missing+=("$p")
    fi
done

if [ ${#missing[@]} -eq 0 ]; then
    echo "install-deps: all ${#packages[@]} packages are installed"
    exit 0
fi

sudo=()
if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || { echo "install-deps: need root or sudo to install: ${missing[*]}" >&2; exit 1; }
    sudo=(sudo)
fi
echo "install-deps: installing ${missing[*]}"
"${sudo[@]}" apt-get update
"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}"
