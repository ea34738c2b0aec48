// SPDX-License-Identifier: Apache-2.0
#include "Jobs.h"

#include "util/Numbers.h"

#include <algorithm>
#include <utility>

namespace flashplan::programmer {

const char* to_string(SectorOutcome outcome) {
    switch (outcome) {
    case SectorOutcome::Untouched:
        return "untouched";
    case SectorOutcome::Skipped:
        return "skipped";
    case SectorOutcome::Erased:
        return "erased";
    case SectorOutcome::Written:
        return "written";
    case SectorOutcome::Verified:
        return "verified";
    case SectorOutcome::MaybePartial:
        return "maybe-partial";
    }
    return "untouched";
}

std::vector<Sector> JobReport::maybePartial() const {
    std::vector<Sector> out;
    for (const SectorReport& s : sectors)
        if (s.outcome == SectorOutcome::MaybePartial)
            out.push_back(s.sector);
    return out;
}

std::vector<Sector> JobReport::mismatches() const {
    std::vector<Sector> out;
    for (const SectorReport& s : sectors)
        if (s.state != SectorState::Matches)
            out.push_back(s.sector);
    return out;
}

namespace {

/// Connects on construction when asked, times the job, and always disconnects and closes the report.
class Session {
public:
    Session(Backend& backend, JobReport& report) : backend_(backend), report_(report) {
        report_.backend = std::string(backend.name());
    }
    ~Session() {
        backend_.disconnect();
        report_.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
    }
    Session(const Session&) = delete;
    Session& operator=(const Session&) = delete;

    bool fail(Error e) {
        report_.error = std::move(e);
        return false;
    }
    template <class T>
    bool check(const Result<T>& r) {
        return r.ok() || fail(r.error());
    }
    /// The partition's guard, with the report naming the partition and its device; nullopt (the error
    /// recorded) when the layout cannot guard it.
    std::optional<PartitionGuard> guardFor(const Layout& layout, std::size_t partition,
                                           bool writeReadOnly = false) {
        auto guard = PartitionGuard::forPartition(layout, partition,
                                                  writeReadOnly ? PartitionGuard::ReadOnly::WriteConfirmed
                                                                : PartitionGuard::ReadOnly::Refuse);
        if (!check(guard))
            return std::nullopt;
        report_.partition = guard->partition().label;
        report_.device = guard->device().id;
        return std::move(*guard);
    }

private:
    Backend& backend_;
    JobReport& report_;
    std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
};

SectorReport* reportFor(JobReport& report, const Sector& s) {
    for (SectorReport& r : report.sectors)
        if (r.sector.index == s.index)
            return &r;
    return nullptr;
}

/// Items [0, count) split into runs that one backend call can take: item i joins the run before it when
/// `continues(i)` says it follows item i-1 without a gap and the run stays within `limit` bytes (0: one
/// item a run). Runs as [first, last] pairs, in order.
template <class Continues, class Bytes>
std::vector<std::pair<std::size_t, std::size_t>> batches(std::size_t count, std::uint64_t limit,
                                                         Continues continues, Bytes bytes) {
    std::vector<std::pair<std::size_t, std::size_t>> out;
    std::uint64_t runBytes = 0;
    for (std::size_t i = 0; i < count; ++i) {
        if (!out.empty() && continues(i) && runBytes + bytes(i) <= limit) {
            out.back().second = i;
            runBytes += bytes(i);
            continue;
        }
        out.emplace_back(i, i);
        runBytes = bytes(i);
    }
    return out;
}

/// Erases `sectors` (in address order) in as few backend calls as batchBytes() allows, keeping each
/// sector's outcome in the report: MaybePartial while its call runs, Erased after.
bool eraseSectors(Backend& backend, Session& session, const PartitionGuard& guard,
                  const std::vector<Sector>& sectors, JobReport& report, JobContext& ctx) {
    const auto runs = batches(
        sectors.size(), backend.batchBytes(),
        [&](std::size_t i) { return sectors[i - 1].end() == sectors[i].offset; },
        [&](std::size_t i) { return sectors[i].size; });
    for (const auto& [first, last] : runs) {
        const std::uint64_t offset = sectors[first].offset;
        const std::uint64_t length = sectors[last].end() - offset;
        if (!session.check(ctx.checkCancelled()) || !session.check(guard.checkErase(offset, length)))
            return false;
        for (std::size_t i = first; i <= last; ++i)
            reportFor(report, sectors[i])->outcome = SectorOutcome::MaybePartial;
        if (!session.check(backend.erase(guard.device(), offset, length, ctx)))
            return false;
        for (std::size_t i = first; i <= last; ++i)
            reportFor(report, sectors[i])->outcome = SectorOutcome::Erased;
        report.bytesErased += length;
        ctx.advance(length);
    }
    return true;
}

/// What flash holds in each sector of report.sectors compared with the image (reads guarded).
Result<std::vector<SectorState>> compareSectors(Backend& backend, const PartitionGuard& guard,
                                                const FlashImage& image, const JobReport& report,
                                                JobContext& ctx) {
    std::vector<ExpectedRange> ranges;
    for (const SectorReport& s : report.sectors) {
        const SectorBytes in = bytesIn(image, s.sector);
        ranges.push_back({in.offset, in.bytes});
        if (auto r = guard.checkRead(in.offset, in.bytes.size()); !r)
            return r.error();
    }
    ctx.begin(Phase::Compare, image.size());
    auto states = backend.compare(guard.device(), ranges, ctx);
    if (!states)
        return states.error();
    if (states->size() != ranges.size())
        return makeError(Errc::Io, std::string(backend.name()) + " compared " +
                                       std::to_string(states->size()) + " of " +
                                       std::to_string(ranges.size()) + " sectors");
    ctx.advance(image.size());
    return states;
}

} // namespace

JobReport flashPartition(Backend& backend, const FlashRequest& request, JobContext& ctx) {
    JobReport report;
    Session session(backend, report);
    const Layout& layout = *request.layout;
    auto guard = session.guardFor(layout, request.partition, request.writeReadOnly);
    if (!guard)
        return report;
    const FlashDevice& device = guard->device();
    if (request.writeReadOnly && guard->partition().readOnly)
        ctx.log(guard->partition().label + " is read-only; writing it as confirmed");
    // Refused before any connection: an image that reaches outside the partition never starts a job.
    auto image = prepareFlashImage(*guard, request.offset, request.data, request.more);
    if (!session.check(image))
        return report;
    for (const FlashRun& run : request.more)
        ctx.log(request.moreWhat + ": " + formatHex(run.offset) + ".." + formatHex(run.end()) +
                " must hold it after the job");

    ctx.begin(Phase::Connect, 0);
    ctx.log("connecting to " + layout.board.name + " with " + std::string(backend.name()));
    if (!session.check(backend.connect(layout.board, ctx)))
        return report;

    for (const Sector& s : sectorsTouched(*guard, *image))
        report.sectors.push_back({s, SectorState::Unknown, SectorOutcome::Untouched});
    std::vector<SectorState> states;
    if (!request.full) {
        auto compared = compareSectors(backend, *guard, *image, report, ctx);
        if (!session.check(compared))
            return report;
        states = std::move(*compared);
    }
    if (!request.more.empty() && !states.empty()) {
        for (const FlashRun& run : request.more)
            for (std::size_t i = 0; i < report.sectors.size(); ++i) {
                const Sector& s = report.sectors[i].sector;
                // A sector the image shares may differ for the image's sake: only the trailer's own count.
                const bool shared =
                    s.offset < request.offset + request.data.size() && request.offset < s.end();
                if (s.end() <= run.offset || s.offset >= run.end() || shared ||
                    states[i] != SectorState::Differs)
                    continue;
                report.moreWasStale = true;
                ctx.log(request.moreWhat + " (" + formatHex(run.offset) + ".." + formatHex(run.end()) +
                        ") does not hold what it should (a stale trailer, say): sector " +
                        std::to_string(s.index) + " will be erased");
            }
    }
    auto plan = planFlash(*guard, *image, states, request.full);
    if (!session.check(plan))
        return report;
    for (const PlannedSector& p : plan->sectors) {
        SectorReport* r = reportFor(report, p.sector);
        r->state = p.state;
        if (!p.erase && !p.write) {
            r->outcome = SectorOutcome::Skipped;
            ++report.sectorsSkipped;
        }
    }
    ctx.log(std::to_string(plan->sectors.size()) + " sectors: " + std::to_string(plan->skipped) +
            " already hold the image, " + formatSize(plan->eraseBytes) + " to erase, " +
            formatSize(plan->writeBytes) + " to write");

    ctx.begin(Phase::Erase, plan->eraseBytes);
    std::vector<Sector> toErase;
    for (const PlannedSector& p : plan->sectors)
        if (p.erase)
            toErase.push_back(p.sector);
    if (!eraseSectors(backend, session, *guard, toErase, report, ctx))
        return report;

    ctx.begin(Phase::Write, plan->writeBytes);
    // Each sector's bytes; neighbours whose bytes also follow each other in memory (one run of the
    // image) go to the backend in one call.
    std::vector<const PlannedSector*> toWrite;
    std::vector<std::span<const std::uint8_t>> bytes;
    for (const PlannedSector& p : plan->sectors) {
        if (!p.write)
            continue;
        const SectorBytes in = bytesIn(*image, p.sector);
        toWrite.push_back(&p);
        bytes.push_back(in.bytes.subspan(static_cast<std::size_t>(p.writeOffset - in.offset),
                                         static_cast<std::size_t>(p.writeLength)));
    }
    const auto writeRuns = batches(
        toWrite.size(), backend.batchBytes(),
        [&](std::size_t i) {
            return toWrite[i - 1]->writeOffset + toWrite[i - 1]->writeLength == toWrite[i]->writeOffset &&
                   bytes[i - 1].data() + bytes[i - 1].size() == bytes[i].data();
        },
        [&](std::size_t i) { return toWrite[i]->writeLength; });
    for (const auto& [first, last] : writeRuns) {
        const std::uint64_t offset = toWrite[first]->writeOffset;
        const std::uint64_t length = toWrite[last]->writeOffset + toWrite[last]->writeLength - offset;
        if (!session.check(ctx.checkCancelled()) || !session.check(guard->checkWrite(offset, length)))
            return report;
        for (std::size_t i = first; i <= last; ++i)
            reportFor(report, toWrite[i]->sector)->outcome = SectorOutcome::MaybePartial;
        if (!session.check(backend.write(device, offset, std::span(bytes[first].data(), length), ctx)))
            return report;
        for (std::size_t i = first; i <= last; ++i)
            reportFor(report, toWrite[i]->sector)->outcome = SectorOutcome::Written;
        report.bytesWritten += length;
        ctx.advance(length);
    }
    if (plan->eraseBytes > 0 || plan->writeBytes > 0) {
        if (!session.check(backend.commit(device, ctx))) {
            for (SectorReport& r : report.sectors)
                if (r.outcome == SectorOutcome::Erased || r.outcome == SectorOutcome::Written)
                    r.outcome = SectorOutcome::MaybePartial;
            return report;
        }
    }
    if (request.verify) {
        ctx.begin(Phase::Verify, image->size());
        for (const FlashRun& run : image->runs) {
            if (!session.check(guard->checkRead(run.offset, run.bytes.size())) ||
                !session.check(backend.verify(device, run.offset, run.bytes, ctx)))
                return report;
            ctx.advance(run.bytes.size());
        }
        // Written sectors, and those that only had to be erased, now hold what the job wanted.
        for (SectorReport& r : report.sectors)
            if (r.outcome == SectorOutcome::Written || r.outcome == SectorOutcome::Erased)
                r.outcome = SectorOutcome::Verified;
    }
    if (request.reset) {
        ctx.begin(Phase::Reset, 0);
        if (!session.check(backend.reset(ctx)))
            return report;
    }
    ctx.log("done: " + formatSize(report.bytesErased) + " erased, " + formatSize(report.bytesWritten) +
            " written, " + std::to_string(report.sectorsSkipped) + " sectors skipped");
    return report;
}

JobReport verifyPartition(Backend& backend, const FlashRequest& request, JobContext& ctx) {
    JobReport report;
    Session session(backend, report);
    auto guard = session.guardFor(*request.layout, request.partition);
    if (!guard)
        return report;
    // The write checks would refuse a read-only partition; comparing one (a bootloader) is fine, so
    // only the bounds are checked here.
    if (!session.check(guard->checkRead(request.offset, request.data.size())))
        return report;
    FlashImage image{{FlashRun{request.offset, {request.data.begin(), request.data.end()}}}};
    ctx.begin(Phase::Connect, 0);
    if (!session.check(backend.connect(request.layout->board, ctx)))
        return report;
    for (const Sector& s : sectorsTouched(*guard, image))
        report.sectors.push_back({s, SectorState::Unknown, SectorOutcome::Untouched});
    auto states = compareSectors(backend, *guard, image, report, ctx);
    if (!session.check(states))
        return report;
    for (std::size_t i = 0; i < states->size(); ++i)
        report.sectors[i].state = (*states)[i];
    report.bytesRead = image.size();
    const auto wrong = report.mismatches();
    ctx.log(wrong.empty() ? "flash holds the image"
                          : std::to_string(wrong.size()) + " of " + std::to_string(report.sectors.size()) +
                                " sectors differ from the image");
    return report;
}

JobReport inspectTarget(Backend& backend, const Layout& layout, const InspectOptions& options,
                        JobContext& ctx) {
    JobReport report;
    Session session(backend, report);
    std::vector<PartitionGuard> guards;
    for (std::size_t i = 0; i < layout.partitions.size(); ++i)
        if (auto g = PartitionGuard::forPartition(layout, i))
            guards.push_back(std::move(*g));
    ctx.begin(Phase::Connect, 0);
    if (!session.check(backend.connect(layout.board, ctx)))
        return report;
    ctx.begin(Phase::Read, 0);
    // Every read lies inside one partition of the layout, as any other job's do.
    const FlashReader read = [&](const FlashDevice& device, std::uint64_t offset,
                                 std::uint64_t length) -> Result<std::vector<std::uint8_t>> {
        if (auto c = ctx.checkCancelled(); !c)
            return c.error();
        const auto inside = std::find_if(guards.begin(), guards.end(), [&](const PartitionGuard& g) {
            return g.device().id == device.id && g.checkRead(offset, length).ok();
        });
        if (inside == guards.end())
            return makeError(Errc::OutOfRange, "inspect: a read of " + formatHex(length) + " bytes at " +
                                                   formatHex(offset) + " on " + device.id +
                                                   " lies in no one partition; refused");
        auto bytes = backend.read(inside->device(), offset, length, ctx);
        if (bytes)
            ctx.advance(bytes->size());
        return bytes;
    };
    auto found = inspectLayout(layout, read, options);
    if (!session.check(found))
        return report;
    report.bytesRead = found->bytesRead;
    for (const PartitionInspection& p : found->partitions)
        ctx.log(layout.partitions[p.partition].label + ": " + p.summary());
    for (const PairInspection& pair : found->pairs)
        ctx.log("image " + std::to_string(pair.image) + ": next boot: " + pair.verdict());
    report.inspection = std::move(*found);
    return report;
}

JobReport readPartition(Backend& backend, const Layout& layout, std::size_t partition, JobContext& ctx) {
    JobReport report;
    Session session(backend, report);
    auto guard = session.guardFor(layout, partition);
    if (!guard)
        return report;
    const Partition& p = guard->partition();
    if (!session.check(guard->checkRead(p.offset, p.size)))
        return report;
    ctx.begin(Phase::Connect, 0);
    if (!session.check(backend.connect(layout.board, ctx)))
        return report;
    ctx.begin(Phase::Read, p.size);
    // Sector by sector, so a cancel or a progress bar has something to hold on to.
    report.data.reserve(static_cast<std::size_t>(p.size));
    bool ok = true;
    guard->device().sectors.forEachSector(p.offset, p.size, [&](const Sector& s) {
        const std::uint64_t from = std::max(s.offset, p.offset), to = std::min(s.end(), p.end());
        if (!session.check(ctx.checkCancelled()))
            return ok = false;
        auto bytes = backend.read(guard->device(), from, to - from, ctx);
        if (!session.check(bytes))
            return ok = false;
        report.data.insert(report.data.end(), bytes->begin(), bytes->end());
        report.bytesRead += bytes->size();
        ctx.advance(bytes->size());
        return true;
    });
    if (!ok)
        report.data.clear();
    return report;
}

JobReport erasePartition(Backend& backend, const Layout& layout, std::size_t partition, JobContext& ctx,
                         bool writeReadOnly) {
    JobReport report;
    Session session(backend, report);
    auto guard = session.guardFor(layout, partition, writeReadOnly);
    if (!guard)
        return report;
    const Partition& p = guard->partition();
    if (!session.check(guard->checkErase(p.offset, p.size)))
        return report;
    guard->device().sectors.forEachSector(p.offset, p.size, [&](const Sector& s) {
        report.sectors.push_back({s, SectorState::Unknown, SectorOutcome::Untouched});
        return true;
    });
    ctx.begin(Phase::Connect, 0);
    if (!session.check(backend.connect(layout.board, ctx)))
        return report;
    ctx.begin(Phase::Erase, p.size);
    std::vector<Sector> sectors;
    for (const SectorReport& r : report.sectors)
        sectors.push_back(r.sector);
    if (!eraseSectors(backend, session, *guard, sectors, report, ctx))
        return report;
    if (!session.check(backend.commit(guard->device(), ctx)))
        for (SectorReport& r : report.sectors)
            r.outcome = SectorOutcome::MaybePartial;
    return report;
}

JobReport probeTarget(Backend& backend, const Board& board, JobContext& ctx) {
    JobReport report;
    Session session(backend, report);
    ctx.begin(Phase::Connect, 0);
    ctx.log("connecting to " + board.name + " with " + std::string(backend.name()));
    if (!session.check(backend.connect(board, ctx)))
        return report;
    auto seen = backend.describe(ctx);
    if (!session.check(seen))
        return report;
    if (seen->empty())
        ctx.log("connected; " + std::string(backend.name()) + " does not report the target's flash");
    // The sector maps are the board's word against the target's: a difference is worth a line, not a stop,
    // since the jobs only ever use the board's map.
    for (const FlashDevice& d : *seen) {
        const FlashDevice* expected = board.device(d.id);
        std::string line =
            "the target reports " + d.id + ": " + formatSize(d.size()) + ", sectors " + d.sectors.toString();
        if (!expected)
            line += " (not on the board " + board.id + ")";
        else if (expected->sectors != d.sectors)
            line += " (the board says " + expected->sectors.toString() + ")";
        ctx.log(line);
    }
    return report;
}

} // namespace flashplan::programmer
