// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "model/FlashDevice.h"
#include "util/Result.h"

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace flashplan::programmer::openocd {

/// One sector of an OpenOCD flash bank, as `flash info <n> sectors` lists it.
struct BankSector {
    enum class Protection { Off, On, Unknown };
    std::uint64_t offset = 0; ///< from the bank's base
    std::uint64_t size = 0;
    Protection protection = Protection::Unknown;
    std::uint64_t end() const { return offset + size; }
};

/// One OpenOCD flash bank: `flash banks` gives its number, name and driver, `flash info` (after `flash
/// probe`) its base, size and sectors. Drivers that detect the chip declare base and size 0 until probed.
struct FlashBank {
    int number = 0;
    std::string name;   ///< "stm32f4x.flash"
    std::string driver; ///< "stm32f2x"
    std::uint64_t base = 0;
    std::uint64_t size = 0;
    std::vector<BankSector> sectors;
    std::uint64_t end() const { return base + size; }
};

/// Parses what `flash banks` prints, one bank a line ("#0 : stm32f4x.flash (stm32f2x) at 0x08000000,
/// size 0x00100000, buswidth 0, chipwidth 0"). Errors: Errc::Parse when a line starting with '#' is not
/// one of them.
Result<std::vector<FlashBank>> parseFlashBanks(std::string_view text);

/// Parses what `flash info <n> sectors` prints into `bank` (its base, size and sectors); lines the driver
/// adds ("STM32F4xx - Rev: 1") are skipped. Errors: Errc::Parse when the header is missing or names
/// another bank, or the sectors do not follow each other from offset 0 to the bank's size.
Result<void> parseFlashInfo(std::string_view text, FlashBank& bank);

/// The bank as a FlashDevice, for Backend::describe(): id and name from the bank, cpuBase its base, its
/// sectors as a SectorMap. Errors: a bank with no sectors.
Result<FlashDevice> deviceOf(const FlashBank& bank);

/// Whether a bank (probed) overlaps the CPU addresses of a memory-mapped device.
bool overlaps(const FlashBank& bank, const FlashDevice& device);

/// Checks that OpenOCD sees the device as the database describes it: every sector of `device` is a sector
/// of one of `banks`, at the same CPU address and of the same size. Errors: Errc::NoDevice when no bank
/// covers the device's first sector; Errc::InvalidArgument naming the first sector that differs.
Result<void> crossCheck(const FlashDevice& device, std::span<const FlashBank> banks);

/// Where a range of device offsets lands in OpenOCD's banks.
struct BankSpan {
    const FlashBank* bank = nullptr;
    std::uint64_t offset = 0; ///< from the bank's base
    std::uint64_t length = 0;
    std::size_t firstSector = 0; ///< the bank's sectors the range overlaps, inclusive
    std::size_t lastSector = 0;
    std::uint64_t address() const { return bank->base + offset; }
    /// True when the range starts and ends on the bank's sector boundaries.
    bool wholeSectors() const;
};

/// The bank that holds device offsets [offset, offset+length) whole. Errors: Errc::NotSupported for a
/// device that is not memory-mapped; Errc::NoDevice when no bank holds the range whole;
/// Errc::InvalidArgument for an empty range.
Result<BankSpan> locate(std::span<const FlashBank> banks, const FlashDevice& device, std::uint64_t offset,
                        std::uint64_t length);

} // namespace flashplan::programmer::openocd
