// SPDX-License-Identifier: Apache-2.0
// Speed of the core's hot paths. Figures, not assertions: run `build/tests/bench/bench_core` and read them.
//  - offset -> sector lookups on a 256 MiB device of 65,536 4 KiB sectors (one run), and on a device of
//    the same size split into 4,096 runs (the O(log runs) path);
//  - validation of a layout of 1,000 partitions (goal: under 1 ms).
#include "rules/RulePack.h"

#include <QtTest>

#include <random>

using namespace flashplan;

namespace {
constexpr std::size_t kLookups = 65536;

std::vector<std::uint64_t> randomOffsets(std::uint64_t size) {
    std::mt19937_64 rng(42);
    std::uniform_int_distribution<std::uint64_t> dist(0, size - 1);
    std::vector<std::uint64_t> out(kLookups);
    for (auto& o : out)
        o = dist(rng);
    return out;
}

Layout thousandPartitions(std::uint64_t misalign) {
    Layout l;
    l.board.id = "bench";
    FlashDevice d;
    d.id = "qspi0";
    d.kind = FlashKind::Qspi;
    d.sectors = *SectorMap::uniform(65536, 4096);
    d.writeBlockSize = 4;
    l.board.devices = {d};
    for (int i = 0; i < 1000; ++i) {
        Partition p;
        p.label = "part_" + std::to_string(i);
        p.device = "qspi0";
        p.offset = static_cast<std::uint64_t>(i) * 0x40000 + misalign;
        p.size = 0x30000;
        l.partitions.push_back(p);
    }
    return l;
}
} // namespace

class BenchCore : public QObject {
    Q_OBJECT
private slots:
    void sectorLookup_data() {
        QTest::addColumn<QString>("runs");
        QTest::newRow("65536 x 4K, one run") << "65536x4K";
        // 4,096 runs alternating 4K and 8K sectors, 256 MiB in all.
        QString many;
        for (int i = 0; i < 2048; ++i)
            many += QStringLiteral("%1x4K,%2x8K,").arg(16).arg(8);
        QTest::newRow("256 MiB in 4096 runs") << many;
    }
    void sectorLookup() {
        QFETCH(QString, runs);
        const SectorMap map = *SectorMap::parse(runs.toStdString());
        QCOMPARE(map.totalSize(), std::uint64_t(256) << 20);
        const auto offsets = randomOffsets(map.totalSize());
        std::uint64_t sink = 0;
        // One iteration = 65,536 lookups; divide the figure by 65,536 for the cost of one.
        QBENCHMARK {
            for (std::uint64_t o : offsets)
                sink += map.sectorAt(o)->index;
        }
        QVERIFY(sink > 0);
    }

    void validateThousandPartitions_data() {
        QTest::addColumn<quint64>("misalign");
        QTest::newRow("clean") << quint64(0);
        QTest::newRow("every partition misaligned") << quint64(0x800);
    }
    void validateThousandPartitions() {
        QFETCH(quint64, misalign);
        const Layout l = thousandPartitions(misalign);
        std::size_t found = 0;
        QBENCHMARK {
            found = validate(l).size();
        }
        QVERIFY(found > 0);
    }
};

QTEST_APPLESS_MAIN(BenchCore)
#include "bench_core.moc"
