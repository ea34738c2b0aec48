// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "Backend.h"
#include "boot/Inspection.h"
#include "model/Layout.h"
#include "program/FlashPlan.h"

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace flashplan::programmer {

/// What happened to one sector a job touched.
enum class SectorOutcome {
    Untouched,    ///< the job never got to it
    Skipped,      ///< it already held the image's bytes
    Erased,       ///< erased (and not yet written when the job stopped)
    Written,      ///< erased if needed, then written
    Verified,     ///< written and read back equal
    MaybePartial, ///< an erase or write of it was under way when the job stopped: its content is unknown
};
const char* to_string(SectorOutcome outcome);

struct SectorReport {
    Sector sector;
    SectorState state = SectorState::Unknown; ///< what the compare found
    SectorOutcome outcome = SectorOutcome::Untouched;
};

/// The end of a job: an error (Errc::Cancelled for a cancel) or none, and what happened to every sector.
struct JobReport {
    std::optional<Error> error;
    std::string backend, partition, device;
    std::vector<SectorReport> sectors;
    std::uint64_t bytesErased = 0, bytesWritten = 0, bytesRead = 0;
    std::size_t sectorsSkipped = 0;
    /// flashPartition(): FlashRequest::more held something else before the job (a stale MCUboot trailer),
    /// so its sectors were erased; the log says where.
    bool moreWasStale = false;
    double seconds = 0;
    std::vector<std::uint8_t> data;       ///< readPartition(): the partition's bytes
    std::optional<Inspection> inspection; ///< inspectTarget(): what each partition holds

    bool ok() const { return !error.has_value(); }
    bool cancelled() const { return error && error->code == Errc::Cancelled; }
    /// Sectors whose content is unknown after a failure.
    std::vector<Sector> maybePartial() const;
    /// verifyPartition(): the sectors that do not hold the image's bytes.
    std::vector<Sector> mismatches() const;
};

/// Put `data` at device offset `offset` inside partition `partition` of `layout`.
struct FlashRequest {
    const Layout* layout = nullptr;
    std::size_t partition = 0;
    std::uint64_t offset = 0;
    std::span<const std::uint8_t> data;
    /// More bytes to leave in the partition besides the image, e.g. an MCUboot slot's trailer area erased
    /// (or holding a request): compared, erased, written and verified as the image is.
    std::span<const FlashRun> more;
    std::string moreWhat = "the rest"; ///< what `more` is, for the log ("the MCUboot trailer of slot1")
    bool writeReadOnly = false;        ///< the user confirmed writing this read-only partition
    bool full = false;                 ///< erase and write every sector the image touches, whatever it holds
    bool verify = true;                ///< read back (or checksum) afterwards
    bool reset = false;                ///< reset the target at the end
};

/// Smart flashing: connect, compare what each sector the image touches holds (skipped in full mode),
/// erase only the sectors that need it, write only the sectors that differ, verify the image, reset.
/// Every range goes through the partition's PartitionGuard before the backend sees it, so nothing
/// outside the partition is touched; an image that does not fit is refused before connecting.
JobReport flashPartition(Backend& backend, const FlashRequest& request, JobContext& ctx);

/// Compares flash with an image without changing anything: every sector the image touches gets its
/// SectorState (Matches, Erased, Differs). The job succeeds when it could compare; mismatches() says
/// whether the flash holds the image.
JobReport verifyPartition(Backend& backend, const FlashRequest& request, JobContext& ctx);

/// Reads a whole partition (JobReport::data).
JobReport readPartition(Backend& backend, const Layout& layout, std::size_t partition, JobContext& ctx);

/// Erases a whole partition, sector by sector; a read-only one only with `writeReadOnly` (confirmed).
JobReport erasePartition(Backend& backend, const Layout& layout, std::size_t partition, JobContext& ctx,
                         bool writeReadOnly = false);

/// Connects, reads what each partition of the layout holds (headers, TLVs, trailers; images whole when
/// `options.hashes`) through inspectLayout(), each read guarded to lie inside one partition, and
/// disconnects. Writes nothing. JobReport::inspection and bytesRead say what was found and read.
JobReport inspectTarget(Backend& backend, const Layout& layout, const InspectOptions& options,
                        JobContext& ctx);

/// Connects to `board`, logs the flash devices the target reports (Backend::describe()) next to the
/// board's, and disconnects: a check that the target can be reached before anything is written.
JobReport probeTarget(Backend& backend, const Board& board, JobContext& ctx);

} // namespace flashplan::programmer
