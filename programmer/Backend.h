// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "JobContext.h"
#include "model/Board.h"
#include "program/FlashPlan.h"

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

namespace flashplan::programmer {

/// Bytes expected at a device offset (one per sector an image touches).
struct ExpectedRange {
    std::uint64_t offset = 0;
    std::span<const std::uint8_t> bytes;
};

/// One way to reach a target's flash: the simulator, OpenOCD, USB DFU. A backend is an object with no
/// state outside itself, so two targets can be programmed at once. It trusts what it is given: the job
/// in front of it (Jobs.h) has checked every range against the partition with the core's PartitionGuard
/// before calling it. Offsets are device offsets of the FlashDevice passed in. Every call may return
/// Errc::Cancelled once JobContext::cancel() was called, and reports progress through the context.
/// Optional operations say so and have a default.
class Backend {
public:
    virtual ~Backend() = default;

    /// The backend's registry name: "sim", "openocd", "dfu".
    virtual std::string_view name() const = 0;

    /// Reaches the target that carries `board`'s flash (starts a server, opens a device).
    virtual Result<void> connect(const Board& board, JobContext& ctx) = 0;
    /// Ends the session; safe to call when connect() failed or was never called.
    virtual void disconnect() = 0;

    /// Optional: the flash devices the target itself reports, to cross-check with the board. Default:
    /// none reported.
    virtual Result<std::vector<FlashDevice>> describe(JobContext& ctx);

    /// Optional: how many bytes one erase() or write() call may cover. A job joins neighbouring sectors
    /// into one call up to this size (always at least one sector), where each call has a fixed cost of its
    /// own (OpenOCD loads its flash loader for every write); a smaller figure keeps progress finer.
    /// Default: 0, one sector per call.
    virtual std::uint64_t batchBytes() const { return 0; }

    /// Erases whole sectors [offset, offset+length).
    virtual Result<void> erase(const FlashDevice& device, std::uint64_t offset, std::uint64_t length,
                               JobContext& ctx) = 0;
    /// Programs erased flash at offset (whole write blocks).
    virtual Result<void> write(const FlashDevice& device, std::uint64_t offset,
                               std::span<const std::uint8_t> data, JobContext& ctx) = 0;
    /// Reads flash.
    virtual Result<std::vector<std::uint8_t>> read(const FlashDevice& device, std::uint64_t offset,
                                                   std::uint64_t length, JobContext& ctx) = 0;

    /// Optional: how flash compares with each expected range (classifySector()). Default: reads each
    /// range back; backends that can checksum on the target do it there instead.
    virtual Result<std::vector<SectorState>> compare(const FlashDevice& device,
                                                     std::span<const ExpectedRange> ranges, JobContext& ctx);
    /// Optional: checks that flash holds `data` at offset; Errc::Io naming the first differing address
    /// when it does not. Default: reads back and compares.
    virtual Result<void> verify(const FlashDevice& device, std::uint64_t offset,
                                std::span<const std::uint8_t> data, JobContext& ctx);
    /// Optional: ends a job's erases and writes on `device`; called once after the last of them, before
    /// verify(). A backend that can only send a whole image in one piece (plain USB DFU downloads from the
    /// start of its memory, then manifests) gathers erase() and write() and sends them here, so their
    /// errors are reported. Default: nothing to do.
    virtual Result<void> commit(const FlashDevice& device, JobContext& ctx);
    /// Optional: resets the target so it runs the new image. Default: nothing to do.
    virtual Result<void> reset(JobContext& ctx);
};

} // namespace flashplan::programmer
