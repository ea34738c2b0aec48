// SPDX-License-Identifier: Apache-2.0
// The jobs in front of every backend, on the simulator and on a backend that fails or corrupts on cue:
// a failed write names the sector that may be partial, verify finds the first wrong byte, verifying a
// partition writes nothing, reads go sector by sector, and the simulator keeps its content across
// sessions. What every backend must do alike (smart flashing, cancels, refused ranges) is in
// tst_backend_conformance.
#include "F407Layout.h"
#include "Jobs.h"
#include "backends/sim/SimulatorBackend.h"
#include "db/DeviceDatabase.h"

#include <QTemporaryDir>
#include <QTest>

#include <fstream>

using namespace flashplan;
using namespace flashplan::programmer;

namespace {

using testsupport::f407Layout;

std::vector<std::uint8_t> pattern(std::size_t size, std::uint8_t seed) {
    std::vector<std::uint8_t> bytes(size);
    for (std::size_t i = 0; i < size; ++i)
        bytes[i] = static_cast<std::uint8_t>(seed + i * 13 + (i >> 8));
    return bytes;
}

/// A backend that passes everything to a simulator and can be told to fail or corrupt.
class FaultyBackend final : public Backend {
public:
    explicit FaultyBackend(SimulatorBackend& inner) : inner_(inner) {}
    int failWriteNumber = -1; ///< the n-th write (from 0) fails after programming half its bytes
    bool corruptWrites = false;
    int writes = 0;
    std::uint64_t batch = 0;                                    ///< what batchBytes() says
    std::vector<std::pair<std::uint64_t, std::uint64_t>> calls; ///< (offset, length) of each erase and write

    std::string_view name() const override { return "faulty"; }
    std::uint64_t batchBytes() const override { return batch; }
    Result<void> connect(const Board& b, JobContext& ctx) override { return inner_.connect(b, ctx); }
    void disconnect() override { inner_.disconnect(); }
    Result<void> erase(const FlashDevice& d, std::uint64_t o, std::uint64_t n, JobContext& ctx) override {
        calls.emplace_back(o, n);
        return inner_.erase(d, o, n, ctx);
    }
    Result<void> write(const FlashDevice& d, std::uint64_t o, std::span<const std::uint8_t> data,
                       JobContext& ctx) override {
        calls.emplace_back(o, data.size());
        if (writes++ == failWriteNumber) {
            (void)inner_.write(d, o, data.first(data.size() / 2), ctx);
            return makeError(Errc::Io, "the probe went away");
        }
        if (!corruptWrites)
            return inner_.write(d, o, data, ctx);
        std::vector<std::uint8_t> bad(data.begin(), data.end());
        bad.back() = static_cast<std::uint8_t>(bad.back() & 0x0f);
        return inner_.write(d, o, bad, ctx);
    }
    Result<std::vector<std::uint8_t>> read(const FlashDevice& d, std::uint64_t o, std::uint64_t n,
                                           JobContext& ctx) override {
        return inner_.read(d, o, n, ctx);
    }

private:
    SimulatorBackend& inner_;
};

} // namespace

class TestJobs : public QObject {
    Q_OBJECT

    QTemporaryDir dir_;
    Layout layout_ = f407Layout();

    std::filesystem::path flashFile() const {
        return std::filesystem::path(dir_.path().toStdString()) / "stm32f4_disco" / "flash0.bin";
    }
    std::vector<std::uint8_t> flashContent() const {
        std::ifstream in(flashFile(), std::ios::binary);
        return {std::istreambuf_iterator<char>(in), {}};
    }
    /// Fills the whole simulated device with a pattern, so an untouched byte is told from an erased one.
    void fillDevice() {
        std::filesystem::create_directories(flashFile().parent_path());
        const auto bytes = pattern(static_cast<std::size_t>(layout_.board.devices[0].size()), 0x5a);
        std::ofstream(flashFile(), std::ios::binary | std::ios::trunc)
            .write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
    }
    JobReport flash(Backend& b, std::span<const std::uint8_t> data, bool full = false,
                    std::size_t partition = 1) {
        FlashRequest r;
        r.layout = &layout_;
        r.partition = partition;
        r.offset = layout_.partitions[partition].offset;
        r.data = data;
        r.full = full;
        JobContext ctx;
        return flashPartition(b, r, ctx);
    }

private slots:
    void init() {
        QVERIFY(dir_.isValid());
        std::filesystem::remove_all(flashFile().parent_path());
        fillDevice();
    }

    void contentPersistsAcrossSessions() {
        const auto image = pattern(0x2000, 9);
        {
            SimulatorBackend sim(dir_.path().toStdString());
            QVERIFY(flash(sim, image).ok());
        }
        SimulatorBackend again(dir_.path().toStdString());
        JobContext ctx;
        const JobReport read = readPartition(again, layout_, 1, ctx);
        QVERIFY(read.ok());
        QCOMPARE(read.data.size(), std::size_t(0xc000));
        QVERIFY(std::equal(image.begin(), image.end(), read.data.begin()));
        // The rest of the first sector was erased with it; the untouched sectors keep the pattern.
        QCOMPARE(read.data[0x2000], std::uint8_t(0xff));
        QCOMPARE(read.data[0x4000], flashContent()[0x8000]);
    }

    void aFailedWriteNamesTheSectorThatMayBePartial() {
        SimulatorBackend sim(dir_.path().toStdString());
        FaultyBackend b(sim);
        b.failWriteNumber = 1;
        const JobReport r = flash(b, pattern(48 * 1024, 1));
        QVERIFY(!r.ok());
        QCOMPARE(r.error->message, std::string("the probe went away"));
        QCOMPARE(r.sectors[0].outcome, SectorOutcome::Written);
        QCOMPARE(r.sectors[1].outcome, SectorOutcome::MaybePartial);
        QCOMPARE(r.sectors[2].outcome, SectorOutcome::Erased);
        const auto partial = r.maybePartial();
        QCOMPARE(partial.size(), std::size_t(1));
        QCOMPARE(partial.front().offset, std::uint64_t(0x8000));
    }

    void joinsNeighbouringSectorsUpToTheBackendsBatch() {
        using Calls = std::vector<std::pair<std::uint64_t, std::uint64_t>>;
        SimulatorBackend sim(dir_.path().toStdString());
        FaultyBackend b(sim);
        // "app" is sectors 1-3 (16 KiB each): two neighbours fill a 32 KiB batch, the third goes alone.
        b.batch = 0x8000;
        auto image = pattern(48 * 1024, 2);
        JobReport r = flash(b, image);
        QVERIFY(r.ok());
        QCOMPARE(b.calls, (Calls{{0x4000, 0x8000}, {0xc000, 0x4000}, {0x4000, 0x8000}, {0xc000, 0x4000}}));
        QCOMPARE(r.bytesErased, std::uint64_t(0xc000));
        QCOMPARE(r.bytesWritten, std::uint64_t(0xc000));
        for (const SectorReport& s : r.sectors)
            QCOMPARE(s.outcome, SectorOutcome::Verified);
        // Sectors that are not neighbours stay apart: the middle one already holds the image.
        image[0] ^= 1;
        image[0x8000] ^= 1;
        b.calls.clear();
        r = flash(b, image);
        QVERIFY(r.ok());
        QCOMPARE(b.calls, (Calls{{0x4000, 0x4000}, {0xc000, 0x4000}, {0x4000, 0x4000}, {0xc000, 0x4000}}));
        QCOMPARE(r.sectors[1].outcome, SectorOutcome::Skipped);
        // A batch that fails leaves every sector of it possibly partial.
        b.calls.clear();
        b.writes = 0;
        b.failWriteNumber = 0;
        r = flash(b, image, true);
        QVERIFY(!r.ok());
        QCOMPARE(b.calls, (Calls{{0x4000, 0x8000}, {0xc000, 0x4000}, {0x4000, 0x8000}}));
        QCOMPARE(r.sectors[0].outcome, SectorOutcome::MaybePartial);
        QCOMPARE(r.sectors[1].outcome, SectorOutcome::MaybePartial);
        QCOMPARE(r.sectors[2].outcome, SectorOutcome::Erased);
        // With no batch (the default) every sector is a call of its own.
        b.calls.clear();
        b.batch = 0;
        b.failWriteNumber = -1;
        QVERIFY(flash(b, image, true).ok());
        QCOMPARE(b.calls.size(), std::size_t(6));
    }

    void verifyFindsTheFirstWrongByte() {
        SimulatorBackend sim(dir_.path().toStdString());
        FaultyBackend b(sim);
        b.corruptWrites = true;
        const JobReport r = flash(b, pattern(0x4000, 0xf0));
        QVERIFY(!r.ok());
        QCOMPARE(r.error->code, Errc::Io);
        QVERIFY2(r.error->message.find("verify failed at offset 0x7fff (0x08007fff)") != std::string::npos,
                 r.error->message.c_str());
        QCOMPARE(r.sectors[0].outcome, SectorOutcome::Written);
    }

    void verifySaysWhichSectorsDifferWithoutWriting() {
        SimulatorBackend sim(dir_.path().toStdString());
        auto image = pattern(48 * 1024, 4);
        QVERIFY(flash(sim, image).ok());
        image[0x8001] ^= 0x80;
        FlashRequest r;
        r.layout = &layout_;
        r.partition = 1;
        r.offset = 0x4000;
        r.data = image;
        JobContext ctx;
        const auto written = sim.totals("flash0").bytesWritten;
        const JobReport report = verifyPartition(sim, r, ctx);
        QVERIFY(report.ok());
        const auto wrong = report.mismatches();
        QCOMPARE(wrong.size(), std::size_t(1));
        QCOMPARE(wrong.front().offset, std::uint64_t(0xc000));
        QCOMPARE(sim.totals("flash0").bytesWritten, written);
        r.partition = 0; // a read-only partition can be compared
        r.offset = 0;
        r.data = std::span(image).first(16);
        QVERIFY(verifyPartition(sim, r, ctx).ok());
    }

    void readsAPartitionSectorBySector() {
        SimulatorBackend sim(dir_.path().toStdString());
        std::vector<std::pair<std::uint64_t, std::uint64_t>> progress;
        JobContext ctx(
            [&](Phase phase, std::uint64_t done, std::uint64_t total) {
                if (phase == Phase::Read)
                    progress.emplace_back(done, total);
            },
            {});
        const JobReport r = readPartition(sim, layout_, 2, ctx);
        QVERIFY(r.ok());
        const auto content = flashContent();
        QVERIFY(std::equal(r.data.begin(), r.data.end(), content.begin() + 0x10000));
        QCOMPARE(progress.size(), std::size_t(3)); // begin, then one per sector (64K, 128K)
        QCOMPARE(progress.back(), std::make_pair(std::uint64_t(0x30000), std::uint64_t(0x30000)));
    }
};

QTEST_GUILESS_MAIN(TestJobs)
#include "tst_jobs.moc"
