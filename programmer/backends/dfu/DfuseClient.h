// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "backends/dfu/DfuClient.h"

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

namespace flashplan::dfu {

/// ST's DfuSe commands on top of DFU 1.1 (UM0424, AN3156): block 0 of DFU_DNLOAD carries a command
/// (0x21 set address pointer, 0x41 erase page or mass erase), data blocks n >= 2 go to the address
/// pointer + (n - 2) x wTransferSize, uploads read the same way, and a zero-length download after
/// setting the address leaves DFU mode to run from there. The client sets the address once per
/// contiguous run and lets the block number advance it, where dfu-util sets it before every block. Writes
/// and reads ask the client's stop function before every block: a stop sends DFU_ABORT and ends them with
/// Errc::Cancelled, so a cancel takes effect within one block.
class DfuseClient {
public:
    explicit DfuseClient(DfuClient& dfu) : dfu_(dfu) {}

    Result<void> setAddress(std::uint32_t address);
    /// Erases the page that holds `address`.
    Result<void> erasePage(std::uint32_t address);
    /// Erases the whole memory of the alt setting (the 1-byte form of the erase command).
    Result<void> massErase();
    /// Writes `data` from `address` (erased flash), in blocks of wTransferSize.
    Result<void> write(std::uint32_t address, std::span<const std::uint8_t> data, const ProgressFn& progress);
    /// Reads `length` bytes from `address`.
    Result<std::vector<std::uint8_t>> read(std::uint32_t address, std::uint64_t length,
                                           const ProgressFn& progress);
    /// Leaves DFU mode: the device starts the code at `address` (when given) and drops off the bus. A
    /// device that is gone before it answers has left, which is a success.
    Result<void> leave(std::optional<std::uint32_t> address);

private:
    Result<void> command(std::span<const std::uint8_t> bytes, const std::string& what);
    /// Errc::Cancelled (after DFU_ABORT) when the client's stop function asks to stop.
    Result<void> stopped(const char* what, std::uint32_t address);
    DfuClient& dfu_;
};

} // namespace flashplan::dfu
