// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "model/Board.h"

#include <span>
#include <string>

namespace flashplan::programmer {

/// The udev rules (for /usr/lib/udev/rules.d) that let the user at the seat open, without root, what
/// Flashplan programs through (systemd-logind's `uaccess` tag): every USB device with a DFU interface
/// (class 0xfe, subclass 1, in run-time or DFU mode), whatever its IDs; the DFU IDs `boards` name; the debug
/// probes OpenOCD drives (openocd::knownProbeUsbIds(), and any whose product string says CMSIS-DAP, with
/// their hidraw nodes for CMSIS-DAP v1). Without them libusb answers LIBUSB_ERROR_ACCESS to a normal user.
std::string udevRules(std::span<const Board> boards);

} // namespace flashplan::programmer
