// SPDX-License-Identifier: Apache-2.0
#include "model/SectorMap.h"

#include <QtTest>

using namespace flashplan;

namespace {
SectorMap stm32f407() {
    return *SectorMap::parse("4x16K, 1x64K, 7x128K");
}
} // namespace

class TestSectorMap : public QObject {
    Q_OBJECT
private slots:
    void totalsOfTheStm32F407() {
        const SectorMap m = stm32f407();
        QCOMPARE(m.totalSize(), quint64(1024 * 1024));
        QCOMPARE(m.sectorCount(), quint64(12));
        QCOMPARE(m.runs().size(), std::size_t(3));
        QCOMPARE(m.smallestSector(), quint64(16 * 1024));
        QCOMPARE(m.largestSector(), quint64(128 * 1024));
        QCOMPARE(m.toString(), std::string("4x16K, 1x64K, 7x128K"));
    }

    void headKeepsTheFirstBytesAtASectorBoundary() {
        const SectorMap m = stm32f407();
        QCOMPARE(*m.head(0x80000), *SectorMap::parse("4x16K, 1x64K, 3x128K"));
        QCOMPARE(*m.head(0x8000), *SectorMap::parse("2x16K"));
        QCOMPARE(*m.head(m.totalSize()), m);
        const auto inside = m.head(0x50000);
        QCOMPARE(inside.error().code, Errc::Misaligned);
        QVERIFY(inside.error().message.find("128 KiB sector at 0x40000") != std::string::npos);
        QCOMPARE(m.head(0).error().code, Errc::OutOfRange);
        QCOMPARE(m.head(m.totalSize() + 1).error().code, Errc::OutOfRange);
    }

    void offsetToSector_data() {
        QTest::addColumn<quint64>("offset");
        QTest::addColumn<quint64>("index");
        QTest::addColumn<quint64>("start");
        QTest::addColumn<quint64>("size");
        QTest::newRow("first byte") << quint64(0) << quint64(0) << quint64(0) << quint64(0x4000);
        QTest::newRow("inside sector 0") << quint64(0x3fff) << quint64(0) << quint64(0) << quint64(0x4000);
        QTest::newRow("sector 1") << quint64(0x4000) << quint64(1) << quint64(0x4000) << quint64(0x4000);
        QTest::newRow("sector 3 end") << quint64(0xffff) << quint64(3) << quint64(0xc000) << quint64(0x4000);
        QTest::newRow("64K sector") << quint64(0x10000) << quint64(4) << quint64(0x10000) << quint64(0x10000);
        QTest::newRow("inside 64K") << quint64(0x18000) << quint64(4) << quint64(0x10000) << quint64(0x10000);
        QTest::newRow("first 128K") << quint64(0x20000) << quint64(5) << quint64(0x20000) << quint64(0x20000);
        QTest::newRow("sector 7") << quint64(0x60001) << quint64(7) << quint64(0x60000) << quint64(0x20000);
        QTest::newRow("last byte") << quint64(0xfffff) << quint64(11) << quint64(0xe0000) << quint64(0x20000);
    }
    void offsetToSector() {
        QFETCH(quint64, offset);
        QFETCH(quint64, index);
        QFETCH(quint64, start);
        QFETCH(quint64, size);
        const SectorMap m = stm32f407();
        const auto s = m.sectorAt(offset);
        QVERIFY(s.has_value());
        QCOMPARE(s->index, index);
        QCOMPARE(s->offset, start);
        QCOMPARE(s->size, size);
        // The lookup by index gives the same sector back.
        QCOMPARE(m.sectorByIndex(index), s);
    }

    void outsideTheDeviceThereIsNoSector() {
        const SectorMap m = stm32f407();
        QVERIFY(!m.sectorAt(0x100000).has_value());
        QVERIFY(!m.sectorAt(UINT64_MAX).has_value());
        QVERIFY(!m.sectorByIndex(12).has_value());
    }

    void boundaries() {
        const SectorMap m = stm32f407();
        for (quint64 b : {0x0, 0x4000, 0x8000, 0xc000, 0x10000, 0x20000, 0x40000, 0xe0000, 0x100000})
            QVERIFY2(m.isBoundary(b), QByteArray::number(b, 16).constData());
        for (quint64 b : {0x1, 0x1000, 0x18000, 0x30000, 0xfffff, 0x100001})
            QVERIFY2(!m.isBoundary(b), QByteArray::number(b, 16).constData());
        QCOMPARE(m.boundaryAtOrBelow(0x18000), quint64(0x10000));
        QCOMPARE(m.boundaryAtOrAbove(0x18000), quint64(0x20000));
        QCOMPARE(m.boundaryAtOrBelow(0x20000), quint64(0x20000));
        QCOMPARE(m.boundaryAtOrAbove(0x20000), quint64(0x20000));
        QCOMPARE(m.boundaryAtOrAbove(0xfffff), quint64(0x100000));
        QCOMPARE(m.boundaryAtOrBelow(0x200000), quint64(0x100000));
    }

    void forEachSectorVisitsOverlappingSectorsInOrder() {
        const SectorMap m = stm32f407();
        std::vector<quint64> seen;
        m.forEachSector(0xc000, 0x18000, [&](const Sector& s) {
            seen.push_back(s.index);
            return true;
        });
        QCOMPARE(seen, (std::vector<quint64>{3, 4, 5}));
        seen.clear();
        m.forEachSector(0x20000, 0x100000, [&](const Sector& s) { // clipped at the device end
            seen.push_back(s.index);
            return s.index < 8;
        });
        QCOMPARE(seen, (std::vector<quint64>{5, 6, 7, 8}));
        QCOMPARE(m.largestSectorIn(0x0, 0x10000), quint64(0x4000));
        QCOMPARE(m.largestSectorIn(0xc000, 0x8000), quint64(0x10000));
    }

    void adjacentRunsOfOneSizeMerge() {
        const SectorMap a = *SectorMap::parse("2x4K,2x4K,1x8K");
        const SectorMap b = *SectorMap::parse("4x4K 1x8K");
        QCOMPARE(a.runs().size(), std::size_t(2));
        QVERIFY(a == b);
    }

    void hugeUniformDeviceIsOneRun() {
        const SectorMap m = *SectorMap::uniform(65536, 4096);
        QCOMPARE(m.runs().size(), std::size_t(1));
        QCOMPARE(m.totalSize(), quint64(256) * 1024 * 1024);
        QCOMPARE(m.sectorAt(0xfffffff)->index, quint64(65535));
    }

    void rejectsBadRuns_data() {
        QTest::addColumn<QString>("text");
        QTest::addColumn<int>("code");
        QTest::newRow("zero count") << "0*4K" << int(Errc::InvalidArgument);
        QTest::newRow("zero size") << "4x0" << int(Errc::InvalidArgument);
        QTest::newRow("no separator") << "4096" << int(Errc::Parse);
        QTest::newRow("bad size") << "4xzz" << int(Errc::Parse);
        QTest::newRow("empty") << " , " << int(Errc::Parse);
        QTest::newRow("overflow") << "0xffffffffffffffffx2" << int(Errc::OutOfRange);
    }
    void rejectsBadRuns() {
        QFETCH(QString, text);
        QFETCH(int, code);
        const auto r = SectorMap::parse(text.toStdString());
        QVERIFY(!r.ok());
        QCOMPARE(int(r.error().code), code);
    }

    void hexSizesParse() {
        const SectorMap m = *SectorMap::parse("16x0x1000, 0x2*0x8000");
        QCOMPARE(m.totalSize(), quint64(16 * 0x1000 + 2 * 0x8000));
    }
};

QTEST_APPLESS_MAIN(TestSectorMap)
#include "tst_sectormap.moc"
