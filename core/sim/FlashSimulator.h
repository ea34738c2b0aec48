// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "model/FlashDevice.h"
#include "sim/FlashStorage.h"

#include <cstdint>
#include <filesystem>
#include <memory>
#include <span>
#include <unordered_map>

namespace flashplan {

/// A simulated NOR flash with the geometry of a FlashDevice. Its rules are those of real NOR:
///  - program() can only move bits away from the erased state (1 -> 0 when the erase value is 0xFF);
///    asking for the other direction is refused with Errc::ProgramConflict and changes nothing, where
///    real silicon would silently store the AND of old and new bytes;
///  - program() offsets and lengths must be multiples of the write-block size (Errc::Misaligned);
///  - erase() works on whole sectors only (Errc::Misaligned otherwise) and sets the erase value;
///  - a device without erase (FlashDevice::eraseRequired == false) is written in place and refuses
///    erase() with Errc::NotSupported; flatten() fills it with the erase value instead.
/// Any range outside the device is Errc::OutOfRange. Every failed call leaves the content untouched.
/// It counts erases per sector and bytes programmed, for wear and smart-flashing tests.
class FlashSimulator {
public:
    FlashSimulator(FlashDevice device, std::unique_ptr<FlashStorage> storage);

    /// An erased device in memory.
    static std::unique_ptr<FlashSimulator> inRam(const FlashDevice& device);
    /// A device whose content lives in `path` (created erased when missing).
    static Result<std::unique_ptr<FlashSimulator>> inFile(const FlashDevice& device,
                                                          const std::filesystem::path& path);

    const FlashDevice& device() const { return device_; }
    std::uint64_t size() const { return device_.size(); }

    Result<void> read(std::uint64_t offset, std::span<std::uint8_t> out) const;
    Result<void> program(std::uint64_t offset, std::span<const std::uint8_t> data);
    Result<void> erase(std::uint64_t offset, std::uint64_t length);
    /// Erase on devices with erase; fill with the erase value (through program rules) on the others.
    Result<void> flatten(std::uint64_t offset, std::uint64_t length);

    std::uint32_t eraseCount(std::uint64_t sectorIndex) const;
    std::uint64_t totalErases() const { return totalErases_; }
    std::uint64_t bytesProgrammed() const { return bytesProgrammed_; }

private:
    Result<void> checkRange(const char* op, std::uint64_t offset, std::uint64_t length) const;
    Result<void> checkWriteAlignment(std::uint64_t offset, std::uint64_t length) const;

    FlashDevice device_;
    std::unique_ptr<FlashStorage> storage_;
    std::unordered_map<std::uint64_t, std::uint32_t> erases_; // sector index -> count; sparse
    std::uint64_t totalErases_ = 0;
    std::uint64_t bytesProgrammed_ = 0;
};

} // namespace flashplan
