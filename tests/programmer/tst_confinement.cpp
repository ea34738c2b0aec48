// SPDX-License-Identifier: Apache-2.0
// Confinement, proved by property: 10,000 random cases (a fixed seed) of layouts on random sector maps,
// images and jobs, each run on the in-memory simulator backend through preflight() and the jobs exactly as
// flashplan-cli runs them; after every job, no byte outside the target partition has changed (the whole
// simulated flash of every device compared before and after), a job refused changed nothing at all, and
// a job that succeeded left the partition holding what it was asked to. A job that preflight() refuses is
// also handed to the job layer as it was asked, which must refuse it too or stay inside the partition.
// A failure names the seed and the case; FLASHPLAN_CONFINEMENT_CASE=<n> runs that case alone.
#include "Jobs.h"
#include "backends/sim/SimulatorBackend.h"
#include "image/Image.h"
#include "program/Preflight.h"
#include "util/Numbers.h"

#include <QTest>

#include <cstdlib>
#include <cstring>
#include <map>
#include <random>
#include <sstream>

using namespace flashplan;
using namespace flashplan::programmer;

namespace {

constexpr std::uint64_t kSeed = 0x5eed'f1a5'0018;
constexpr int kCases = 10'000;

using Bytes = std::vector<std::uint8_t>;
using Snapshot = std::map<std::string, Bytes>; // device id -> every byte

enum class JobChoice { FlashFull, FlashSmart, Erase, Reflash, Cancel };
const char* to_string(JobChoice j) {
    switch (j) {
    case JobChoice::FlashFull:
        return "flash --full";
    case JobChoice::FlashSmart:
        return "flash";
    case JobChoice::Erase:
        return "erase";
    case JobChoice::Reflash:
        return "flash, then flash again with one byte changed";
    case JobChoice::Cancel:
        return "flash, cancelled";
    }
    return "?";
}

/// One generated case, and how to say it.
struct Case {
    Layout layout;
    std::size_t target = 0;
    JobChoice job = JobChoice::FlashSmart;
    Bytes image;
    bool request = false;       ///< an MCUboot test request into the secondary slot
    bool writeReadOnly = false; ///< the user confirmed writing a read-only partition
    int cancelAt = -1;          ///< the progress report after which the job is cancelled
    std::size_t changedByte = 0;

    std::string describe() const {
        std::ostringstream s;
        for (const FlashDevice& d : layout.board.devices)
            s << d.id << " " << d.sectors.toString() << " (write block " << d.writeBlockSize << ", erased 0x"
              << std::hex << int(d.eraseValue) << std::dec << "); ";
        for (const Partition& p : layout.partitions)
            s << p.label << "@" << p.device << ":" << formatHex(p.offset) << "+" << formatHex(p.size)
              << (p.readOnly ? " ro" : "") << "; ";
        s << "bootloader " << layout.bootloader.kind << " " << layout.bootloader.mode << "; job "
          << to_string(job) << " on " << layout.partitions[target].label << ", image " << image.size()
          << " bytes" << (request ? ", test request" : "") << (writeReadOnly ? ", read-only confirmed" : "");
        if (job == JobChoice::Cancel)
            s << ", cancel after progress report " << cancelAt;
        if (job == JobChoice::Reflash)
            s << ", changed byte " << changedByte;
        return s.str();
    }
};

std::uint64_t pick(std::mt19937_64& rng, std::uint64_t low, std::uint64_t high) {
    return std::uniform_int_distribution<std::uint64_t>(low, high)(rng);
}
bool chance(std::mt19937_64& rng, int percent) {
    return pick(rng, 0, 99) < static_cast<std::uint64_t>(percent);
}

Bytes randomBytes(std::mt19937_64& rng, std::size_t size) {
    // Bulk bytes from xorshift64* seeded by the case's generator: hundreds of KiB per case, where the
    // Mersenne Twister would be most of the test's time.
    std::uint64_t x = rng() | 1;
    Bytes b(size);
    for (std::size_t i = 0; i < size; i += 8) {
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        const std::uint64_t r = x * 0x2545f4914f6cdd1dULL;
        std::memcpy(b.data() + i, &r, std::min<std::size_t>(8, size - i));
    }
    return b;
}

/// A sector map of 1..3 runs of 256 B..128 KiB sectors (1..8 of the small ones, 1..2 of the large, so
/// that a case stays small enough to run 10,000 in seconds), or STM32F407's uneven one.
SectorMap randomMap(std::mt19937_64& rng) {
    if (chance(rng, 10))
        return *SectorMap::parse("4x16K,1x64K,7x128K");
    constexpr std::uint64_t kSizes[] = {256, 1024, 2048, 4096, 16384, 65536, 131072};
    std::vector<SectorRun> runs;
    const auto n = pick(rng, 1, 3);
    for (std::uint64_t i = 0; i < n; ++i) {
        const std::uint64_t size = kSizes[pick(rng, 0, std::size(kSizes) - 1)];
        runs.push_back({pick(rng, 1, size >= 65536 ? 2 : 8), size});
    }
    return *SectorMap::fromRuns(runs);
}

FlashDevice randomDevice(std::mt19937_64& rng, std::string id, SectorMap map) {
    FlashDevice d;
    d.id = id;
    d.name = id;
    d.cpuBase = id == "flash0" ? std::optional<std::uint64_t>(0x08000000) : std::nullopt;
    d.kind = id == "flash0" ? FlashKind::Internal : FlashKind::Qspi;
    d.sectors = std::move(map);
    constexpr std::uint32_t kBlocks[] = {1, 4, 8, 16};
    d.writeBlockSize = kBlocks[pick(rng, 0, 3)];
    d.eraseValue = chance(rng, 85) ? 0xff : 0x00;
    return d;
}

Partition partition(std::string label, std::string device, std::uint64_t offset, std::uint64_t size,
                    PartitionRole role = PartitionRole::Custom) {
    Partition p;
    p.label = std::move(label);
    p.device = std::move(device);
    p.offset = offset;
    p.size = size;
    p.role = role;
    return p;
}

/// Partitions over runs of whole sectors with gaps between them; now and then one whose ends are off the
/// sector boundaries (a layout with errors, which the job layer must still keep inside it).
void addRandomPartitions(std::mt19937_64& rng, Layout& l, const FlashDevice& d) {
    const std::vector<Sector> sectors = [&] {
        std::vector<Sector> all;
        d.sectors.forEachSector(0, d.size(), [&](const Sector& s) {
            all.push_back(s);
            return true;
        });
        return all;
    }();
    std::size_t i = 0;
    while (i < sectors.size()) {
        if (chance(rng, 25)) { // a gap
            ++i;
            continue;
        }
        const std::size_t count = pick(rng, 1, std::min<std::size_t>(4, sectors.size() - i));
        std::uint64_t offset = sectors[i].offset;
        std::uint64_t size = sectors[i + count - 1].end() - offset;
        if (chance(rng, 8) && size > 2 * d.writeBlockSize) {
            const std::uint64_t cut = d.writeBlockSize * pick(rng, 1, size / d.writeBlockSize / 2);
            if (chance(rng, 50))
                offset += cut;
            size -= cut;
        }
        Partition p = partition(d.id + "_part" + std::to_string(l.partitions.size()), d.id, offset, size);
        p.readOnly = chance(rng, 15);
        l.partitions.push_back(std::move(p));
        i += count;
    }
}

/// An MCUboot layout (swap using scratch) whose slots lie on a run of equal sectors after an uneven
/// start, with a boot partition before them.
Layout randomMcubootLayout(std::mt19937_64& rng) {
    constexpr std::uint64_t kSizes[] = {1024, 4096, 16384, 65536};
    const std::uint64_t sector = kSizes[pick(rng, 0, std::size(kSizes) - 1)];
    const std::uint64_t slotSectors = pick(rng, 1, 6);
    // The boot partition on small sectors before the slots' run: an uneven map, as STM32's.
    const std::uint64_t bootSize = 4096 * pick(rng, 1, 4);
    std::vector<SectorRun> runs{{bootSize / 4096, 4096}, {2 * slotSectors + 1, sector}};
    if (chance(rng, 50))
        runs.push_back({pick(rng, 1, 3), sector * 2});
    Layout l;
    l.board.id = "confinement";
    l.board.name = "confinement";
    l.board.devices.push_back(randomDevice(rng, "flash0", *SectorMap::fromRuns(runs)));
    l.bootloader.set(BootloaderKind::Mcuboot, UpgradeMode::SwapUsingScratch);
    const std::uint64_t slot = slotSectors * sector;
    l.partitions.push_back(partition("boot_partition", "flash0", 0, bootSize, PartitionRole::Boot));
    l.partitions.back().readOnly = true;
    l.partitions.push_back(partition("slot0_partition", "flash0", bootSize, slot, PartitionRole::Slot0));
    l.partitions.push_back(
        partition("slot1_partition", "flash0", bootSize + slot, slot, PartitionRole::Slot1));
    l.partitions.push_back(
        partition("scratch_partition", "flash0", bootSize + 2 * slot, sector, PartitionRole::Scratch));
    return l;
}

Case randomCase(std::mt19937_64& rng) {
    Case c;
    const bool mcuboot = chance(rng, 30);
    if (mcuboot) {
        c.layout = randomMcubootLayout(rng);
        c.target = pick(rng, 1, 2); // a slot
        c.request = c.target == 2 && chance(rng, 60);
    } else {
        c.layout.board.id = "confinement";
        c.layout.board.name = "confinement";
        c.layout.board.devices.push_back(randomDevice(rng, "flash0", randomMap(rng)));
        if (chance(rng, 30))
            c.layout.board.devices.push_back(randomDevice(rng, "ext0", randomMap(rng)));
        for (const FlashDevice& d : c.layout.board.devices)
            addRandomPartitions(rng, c.layout, d);
        if (c.layout.partitions.empty())
            c.layout.partitions.push_back(partition("all", "flash0", 0, c.layout.board.devices[0].size()));
        c.target = pick(rng, 0, c.layout.partitions.size() - 1);
    }
    const Partition& p = c.layout.partitions[c.target];
    c.job = static_cast<JobChoice>(pick(rng, 0, 4));
    c.writeReadOnly = p.readOnly && chance(rng, 50);
    // Up to 20 % more than the partition: some images do not fit.
    c.image = randomBytes(rng, pick(rng, 1, p.size + p.size / 5));
    c.cancelAt = static_cast<int>(pick(rng, 0, 40));
    c.changedByte = pick(rng, 0, c.image.size() - 1);
    return c;
}

Image relativeImage(const Bytes& bytes) {
    ImageBuilder b("image.bin", "byte");
    (void)b.add(0, bytes, 0);
    Image image = *std::move(b).build(ImageFormat::Binary);
    image.absolute = false; // a raw binary: placed at the partition's start
    return image;
}

} // namespace

class TestConfinement : public QObject {
    Q_OBJECT

    // What the cases covered, so a generator that drifts into refusing everything fails the test.
    std::map<std::string, int> seen_;

    /// Every byte of every device of the layout's board, through the backend.
    Snapshot snapshot(SimulatorBackend& sim, const Layout& l) {
        JobContext ctx;
        if (!sim.connect(l.board, ctx))
            qFatal("cannot connect the simulator");
        Snapshot s;
        for (const FlashDevice& d : l.board.devices) {
            Bytes bytes(static_cast<std::size_t>(d.size()));
            if (!sim.simulator(d.id)->read(0, bytes))
                qFatal("cannot read the simulator");
            s[d.id] = std::move(bytes);
        }
        sim.disconnect();
        return s;
    }

    /// Fills every device with random bytes, as a target holding old data would be.
    void fill(SimulatorBackend& sim, const Layout& l, std::mt19937_64& rng) {
        JobContext ctx;
        if (!sim.connect(l.board, ctx))
            qFatal("cannot connect the simulator");
        for (const FlashDevice& d : l.board.devices) {
            Bytes bytes = randomBytes(rng, static_cast<std::size_t>(d.size()));
            if (!sim.simulator(d.id)->erase(0, d.size()) || !sim.simulator(d.id)->program(0, bytes))
                qFatal("cannot fill the simulator");
        }
        sim.disconnect();
    }

    /// The first byte outside partition `target` that differs between two snapshots, as a message; empty
    /// when there is none. With `anywhere`, a byte inside the partition counts too (a refused job).
    static std::string firstChange(const Layout& l, std::size_t target, const Snapshot& before,
                                   const Snapshot& after, bool anywhere) {
        const Partition& p = l.partitions[target];
        for (const auto& [device, bytes] : before) {
            const Bytes& now = after.at(device);
            const auto same = [&](std::size_t from, std::size_t to) {
                return from >= to || std::memcmp(bytes.data() + from, now.data() + from, to - from) == 0;
            };
            const bool onTarget = device == p.device && !anywhere;
            const std::size_t start = std::min<std::size_t>(p.offset, bytes.size());
            const std::size_t end = std::min<std::size_t>(p.end(), bytes.size());
            if (onTarget ? same(0, start) && same(end, bytes.size()) : same(0, bytes.size()))
                continue;
            for (std::size_t i = 0; i < bytes.size(); ++i) {
                const bool inside = device == p.device && i >= p.offset && i < p.end();
                if (bytes[i] != now[i] && (anywhere || !inside))
                    return device + " offset " + formatHex(i) + " changed from " + formatHex(bytes[i]) +
                           " to " + formatHex(now[i]) + (inside ? " (inside the partition)" : "");
            }
        }
        return {};
    }

    /// Runs one job and checks it; returns the failure, empty when the case holds.
    std::string runJob(SimulatorBackend& sim, const Case& c, const Bytes& image, bool cancel) {
        const Partition& p = c.layout.partitions[c.target];
        const bool erase = c.job == JobChoice::Erase;
        const Image loaded = relativeImage(image);
        PreflightRequest pre;
        pre.kind = erase ? JobKind::Erase : JobKind::Flash;
        pre.layout = &c.layout;
        pre.partition = c.target;
        pre.image = {"image.bin", &loaded, std::nullopt};
        pre.writeReadOnly = c.writeReadOnly;
        if (c.request)
            pre.request = mcuboot::UpgradeRequest::Test;
        const Preflight ready = preflight(pre);

        int reports = 0;
        JobContext* running = nullptr;
        JobContext ctx(
            [&](Phase, std::uint64_t, std::uint64_t) {
                if (cancel && reports++ == c.cancelAt)
                    running->cancel();
            },
            [](const std::string&) {});
        running = &ctx;

        FlashRequest request;
        request.layout = &c.layout;
        request.partition = c.target;
        request.full = c.job == JobChoice::FlashFull;
        if (ready.ready()) {
            request.offset = ready.job->offset;
            request.data = ready.job->bytes;
            request.more = ready.job->more;
            request.writeReadOnly = ready.job->writeReadOnly;
        } else {
            // Refused in front: the job layer gets the job as asked, and must refuse it or keep inside.
            request.offset = p.offset;
            request.data = image;
            request.writeReadOnly = c.writeReadOnly;
        }
        const Snapshot before = snapshot(sim, c.layout);
        const JobReport report = erase ? erasePartition(sim, c.layout, c.target, ctx, c.writeReadOnly)
                                       : flashPartition(sim, request, ctx);
        const Snapshot after = snapshot(sim, c.layout);

        if (std::string change = firstChange(c.layout, c.target, before, after, false); !change.empty())
            return "a byte outside the partition changed: " + change;
        if (!report.ok() && !report.cancelled()) {
            ++seen_[ready.ready() ? "refused by the job layer after preflight" : "refused by both"];
            if (std::string change = firstChange(c.layout, c.target, before, after, true); !change.empty())
                return "the job was refused (" + report.error->toString() + ") yet changed flash: " + change;
            return {};
        }
        if (report.cancelled()) {
            ++seen_["cancelled"];
            return {};
        }
        ++seen_[std::string(ready.ready() ? "ran" : "ran though preflight refused") + ": " +
                (erase                  ? "erase"
                 : request.more.empty() ? "flash"
                                        : "flash with an MCUboot trailer")];
        // It succeeded: the partition holds what the job was asked to put there.
        const Bytes& now = after.at(p.device);
        const FlashDevice& d = *c.layout.board.device(p.device);
        if (erase) {
            for (std::uint64_t i = p.offset; i < p.end(); ++i)
                if (now[i] != d.eraseValue)
                    return "erased, yet " + formatHex(i) + " holds " + formatHex(now[i]);
            return {};
        }
        const auto holds = [&](std::uint64_t offset, std::span<const std::uint8_t> bytes) {
            return std::equal(bytes.begin(), bytes.end(), now.begin() + static_cast<std::ptrdiff_t>(offset));
        };
        if (!holds(request.offset, request.data))
            return "flashed, yet the partition does not hold the image";
        for (const FlashRun& run : request.more)
            if (!holds(run.offset, run.bytes))
                return "flashed, yet " + formatHex(run.offset) + " does not hold the trailer";
        return {};
    }

    std::string runCase(const Case& c, std::mt19937_64& rng) {
        SimulatorBackend sim{SimulatorBackend::InMemory{}};
        fill(sim, c.layout, rng);
        if (c.job != JobChoice::Reflash)
            return runJob(sim, c, c.image, c.job == JobChoice::Cancel);
        if (std::string failed = runJob(sim, c, c.image, false); !failed.empty())
            return "first flash: " + failed;
        Bytes changed = c.image;
        changed[c.changedByte] ^= 0x5a;
        if (std::string failed = runJob(sim, c, changed, false); !failed.empty())
            return "second flash: " + failed;
        return {};
    }

private slots:
    void noJobChangesAByteOutsideItsPartition() {
        const char* only = std::getenv("FLASHPLAN_CONFINEMENT_CASE");
        const int first = only ? std::atoi(only) : 0;
        const int last = only ? first + 1 : kCases;
        for (int n = first; n < last; ++n) {
            // Each case from its own seed, so one can be run alone.
            std::mt19937_64 rng(kSeed + static_cast<std::uint64_t>(n));
            const Case c = randomCase(rng);
            const std::string failed = runCase(c, rng);
            if (!failed.empty())
                QFAIL(qPrintable(
                    QStringLiteral("seed %1, case %2 (FLASHPLAN_CONFINEMENT_CASE=%2): %3\n  %4")
                        .arg(kSeed, 0, 16)
                        .arg(n)
                        .arg(QString::fromStdString(failed), QString::fromStdString(c.describe()))));
        }
        if (only)
            return;
        for (const auto& [what, count] : seen_)
            qInfo("%s: %d", what.c_str(), count);
        // Every kind of outcome came up often enough for the property to mean something.
        for (const char* what : {"ran: flash", "ran: erase", "ran: flash with an MCUboot trailer",
                                 "cancelled", "refused by both", "ran though preflight refused: flash"})
            QVERIFY2(seen_[what] >= 100, what);
    }
};

QTEST_APPLESS_MAIN(TestConfinement)
#include "tst_confinement.moc"
