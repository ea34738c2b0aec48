// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "model/FlashDevice.h"

#include <QString>

#include <cstdint>

namespace flashplan::gui {

/// What the status bar says about the address under the cursor: the device offset, the CPU address (or
/// the XIP address of an external device, or that it is not mapped) and the sector it falls in, e.g.
/// "flash0 +0x1f000 · CPU 0x0001f000 · sector 31: 0x1f000, 4 KiB".
QString describeAddress(const FlashDevice& device, std::uint64_t offset);

/// The lane title's second line: "1 MiB · 256 × 4 KiB · CPU 0x00000000–0x000fffff".
QString describeDevice(const FlashDevice& device);

} // namespace flashplan::gui
