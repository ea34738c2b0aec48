// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "model/SectorMap.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace flashplan {

/// How the flash is attached to the microcontroller.
enum class FlashKind {
    Internal, ///< on-chip flash behind the SoC's flash controller
    Spi,      ///< external NOR on a single/dual SPI bus
    Qspi,     ///< external NOR on a quad SPI / FlexSPI bus
    Ospi,     ///< external NOR on an octal SPI bus
};

std::string_view to_string(FlashKind kind);
std::optional<FlashKind> flashKindFromString(std::string_view text);
inline bool isExternal(FlashKind kind) {
    return kind != FlashKind::Internal;
}

/// Where a device can be read in place (execute-in-place): the CPU address range it appears at, as long as
/// the device itself, even when the controller's window of address space is larger.
struct XipWindow {
    std::uint64_t address = 0;
    std::uint64_t size = 0;
    friend bool operator==(const XipWindow&, const XipWindow&) = default;
};

/// One physical flash, as the device database describes it. Offsets everywhere else in the core are
/// relative to the start of this device (Zephyr's fa_off); cpuBase turns them into CPU addresses.
struct FlashDevice {
    std::string id;   ///< short, unique within the board: what partitions refer to ("flash0", "mx25r64")
    std::string name; ///< human name ("nRF52840 internal flash", "MX25R6435F")
    FlashKind kind = FlashKind::Internal;
    std::optional<std::uint64_t> cpuBase; ///< CPU address of offset 0, when the device is memory-mapped
    SectorMap sectors;
    std::uint32_t writeBlockSize = 1; ///< smallest programmable unit; writes must be aligned to it
    /// False when no source said the write block (a CMSIS-Pack never does): writeBlockSize is then 1, what
    /// the file allows, and the rules say that alignment to the real write block went unchecked.
    bool writeBlockKnown = true;
    std::uint8_t eraseValue = 0xff;
    bool eraseRequired = true; ///< false for RRAM/MRAM-like memories that are written in place
    std::optional<XipWindow> xip;
    /// True when the sector map is a guess made for a file that names no board (inferDevice): rules that
    /// judge erase units against it warn instead of failing, since the real part may differ.
    bool geometryInferred = false;

    std::uint64_t size() const { return sectors.totalSize(); }
    /// The CPU address of a device offset, when the device is mapped.
    std::optional<std::uint64_t> cpuAddress(std::uint64_t offset) const {
        if (!cpuBase)
            return std::nullopt;
        return *cpuBase + offset;
    }
    friend bool operator==(const FlashDevice&, const FlashDevice&) = default;
};

} // namespace flashplan
