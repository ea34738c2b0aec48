// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>

namespace flashplan::emu {

/// How long the emulated STM32F407's flash takes to erase and program. Tests want every operation to end
/// at once (the default); a benchmark wants what a real chip costs, since erase is the slowest step of
/// flashing and the one smart flashing saves. The figures are the typical ones of the STM32F405xx/407xx
/// datasheet (DS8626, "Flash memory programming" table, VDD 2.7-3.6 V): a 16-bit or 32-bit program takes
/// 16 us; a sector erase takes, by the parallelism CR.PSIZE selects (x8 / x16 / x32, x64 as x32):
/// 16 KiB 400 / 300 / 250 ms, 64 KiB 1200 / 700 / 550 ms, 128 KiB 2 / 1.3 / 1 s; a mass erase 16 / 11 / 8 s.
struct FlashTiming {
    using Clock = std::chrono::steady_clock;
    using Duration = std::chrono::microseconds;

    bool datasheet = false; ///< false: every erase and program ends at once
    /// Where time comes from; a test steps a fake clock to see BSY and the loader's pace exactly.
    std::function<Clock::time_point()> now = [] { return Clock::now(); };

    Duration program() const { return datasheet ? Duration(16) : Duration(0); }

    /// `psize` is CR.PSIZE (0: x8, 1: x16, 2: x32, 3: x64).
    Duration sectorErase(std::uint64_t sectorSize, unsigned psize) const {
        if (!datasheet)
            return Duration(0);
        const unsigned column = psize < 2 ? psize : 2;
        static constexpr std::int64_t k16K[3] = {400, 300, 250};
        static constexpr std::int64_t k64K[3] = {1200, 700, 550};
        static constexpr std::int64_t k128K[3] = {2000, 1300, 1000};
        const std::int64_t ms = sectorSize <= 16 * 1024   ? k16K[column]
                                : sectorSize <= 64 * 1024 ? k64K[column]
                                                          : k128K[column];
        return std::chrono::milliseconds(ms);
    }

    Duration massErase(unsigned psize) const {
        if (!datasheet)
            return Duration(0);
        static constexpr std::int64_t kSeconds[3] = {16, 11, 8};
        return std::chrono::seconds(kSeconds[psize < 2 ? psize : 2]);
    }
};

} // namespace flashplan::emu
