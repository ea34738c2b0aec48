// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "sim/FlashSimulator.h"
#include "util/Result.h"

#include <filesystem>
#include <string>

namespace flashplan::emu {

/// The whole flash content, as a file of exactly the device's size.
Result<std::string> flashImage(const FlashSimulator& flash);

/// The wear counters as JSON:
/// {"schema": "flashplan-emu-stm32f4/1", "sector_count": 12, "erases_per_sector": [1, 0, ...],
///  "total_erases": 1, "bytes_programmed": 16384}
std::string flashStatsJson(const FlashSimulator& flash);

/// Writes the image to `flashOut` and the JSON to `statsOut` (either may be empty: not written), each
/// atomically, so a reader never sees half a file.
Result<void> writeFlashDump(const FlashSimulator& flash, const std::filesystem::path& flashOut,
                            const std::filesystem::path& statsOut);

} // namespace flashplan::emu
