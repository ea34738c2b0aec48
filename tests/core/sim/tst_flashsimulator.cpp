// SPDX-License-Identifier: Apache-2.0
#include "sim/FlashSimulator.h"

#include <QTemporaryDir>
#include <QtTest>

#include <vector>

using namespace flashplan;

namespace {
FlashDevice stm32f407() {
    FlashDevice d;
    d.id = "flash0";
    d.sectors = *SectorMap::parse("4x16K,1x64K,7x128K");
    d.writeBlockSize = 1;
    return d;
}

FlashDevice nrf52840(std::uint32_t wbs = 4) {
    FlashDevice d;
    d.id = "flash0";
    d.sectors = *SectorMap::uniform(256, 4096);
    d.writeBlockSize = wbs;
    return d;
}

std::vector<std::uint8_t> bytes(std::initializer_list<int> list) {
    std::vector<std::uint8_t> out;
    for (int b : list)
        out.push_back(static_cast<std::uint8_t>(b));
    return out;
}

std::vector<std::uint8_t> readBack(const FlashSimulator& sim, std::uint64_t off, std::size_t len) {
    std::vector<std::uint8_t> out(len);
    const auto r = sim.read(off, out);
    if (!r)
        qFatal("read failed: %s", r.error().message.c_str());
    return out;
}
} // namespace

class TestFlashSimulator : public QObject {
    Q_OBJECT
private slots:
    void startsErased() {
        auto sim = FlashSimulator::inRam(stm32f407());
        QCOMPARE(readBack(*sim, 0xffff0, 16), std::vector<std::uint8_t>(16, 0xff));
    }

    void programClearsBits() {
        auto sim = FlashSimulator::inRam(stm32f407());
        QVERIFY(sim->program(0x100, bytes({0xf0, 0x0f, 0x00, 0xa5})).ok());
        QCOMPARE(readBack(*sim, 0x100, 4), bytes({0xf0, 0x0f, 0x00, 0xa5}));
        // Clearing more bits of a programmed byte is what NOR allows (0xf0 -> 0x80).
        QVERIFY(sim->program(0x100, bytes({0x80})).ok());
        QCOMPARE(readBack(*sim, 0x100, 1), bytes({0x80}));
        QCOMPARE(sim->bytesProgrammed(), quint64(5));
    }

    void aZeroBitCannotBeProgrammedBackToOne() {
        auto sim = FlashSimulator::inRam(stm32f407());
        QVERIFY(sim->program(0x200, bytes({0x00, 0x11})).ok());
        const auto r = sim->program(0x200, bytes({0x00, 0x13})); // bit 1 of the second byte: 0 -> 1
        QVERIFY(!r.ok());
        QCOMPARE(r.error().code, Errc::ProgramConflict);
        QVERIFY2(r.error().message.find("0x201") != std::string::npos, r.error().message.c_str());
        QVERIFY(r.error().message.find("erase the sector first") != std::string::npos);
        // Nothing of the refused write landed, not even its first, compatible byte.
        QCOMPARE(readBack(*sim, 0x200, 2), bytes({0x00, 0x11}));
        QCOMPARE(sim->bytesProgrammed(), quint64(2));
    }

    void anEraseValueOfZeroInvertsTheRule() {
        FlashDevice d = nrf52840(1);
        d.eraseValue = 0x00;
        auto sim = FlashSimulator::inRam(d);
        QCOMPARE(readBack(*sim, 0, 1), bytes({0x00}));
        QVERIFY(sim->program(0, bytes({0x0f})).ok());
        QCOMPARE(sim->program(0, bytes({0x07})).error().code, Errc::ProgramConflict);
    }

    void unalignedWritesAreRefused_data() {
        QTest::addColumn<quint64>("offset");
        QTest::addColumn<int>("length");
        QTest::newRow("offset") << quint64(0x102) << 4;
        QTest::newRow("length") << quint64(0x100) << 6;
        QTest::newRow("both") << quint64(0x101) << 3;
    }
    void unalignedWritesAreRefused() {
        QFETCH(quint64, offset);
        QFETCH(int, length);
        auto sim = FlashSimulator::inRam(nrf52840(4));
        const std::vector<std::uint8_t> data(static_cast<std::size_t>(length), 0x00);
        const auto r = sim->program(offset, data);
        QVERIFY(!r.ok());
        QCOMPARE(r.error().code, Errc::Misaligned);
        QVERIFY2(r.error().message.find("4-byte write block") != std::string::npos,
                 r.error().message.c_str());
        QCOMPARE(readBack(*sim, 0x100, 8), std::vector<std::uint8_t>(8, 0xff));
    }

    void rangesOutsideTheDeviceAreRefused() {
        auto sim = FlashSimulator::inRam(nrf52840(4));
        std::vector<std::uint8_t> buf(8);
        QCOMPARE(sim->read(0xffffc, buf).error().code, Errc::OutOfRange);
        QCOMPARE(sim->program(0x100000, std::vector<std::uint8_t>(4, 0)).error().code, Errc::OutOfRange);
        QCOMPARE(sim->erase(0xff000, 0x2000).error().code, Errc::OutOfRange);
        QCOMPARE(sim->erase(UINT64_MAX - 0xfff, 0x2000).error().code, Errc::OutOfRange); // wraps
        QVERIFY(sim->read(0xffff8, buf).ok());
    }

    void eraseWorksOnWholeSectors() {
        auto sim = FlashSimulator::inRam(stm32f407());
        QVERIFY(sim->program(0x4000, std::vector<std::uint8_t>(0x8000, 0x00)).ok());
        // Half a sector, or a range that ends inside one, is refused and erases nothing.
        const auto half = sim->erase(0x4000, 0x2000);
        QCOMPARE(half.error().code, Errc::Misaligned);
        QVERIFY2(half.error().message.find("0x4000..0x8000") != std::string::npos,
                 half.error().message.c_str());
        QCOMPARE(sim->erase(0x2000, 0x2000).error().code, Errc::Misaligned);
        QCOMPARE(readBack(*sim, 0x4000, 1), bytes({0x00}));
        // Sector 1 alone.
        QVERIFY(sim->erase(0x4000, 0x4000).ok());
        QCOMPARE(readBack(*sim, 0x4000, 4), bytes({0xff, 0xff, 0xff, 0xff}));
        QCOMPARE(readBack(*sim, 0x8000, 1), bytes({0x00}));
        // After erase the bytes can be programmed again.
        QVERIFY(sim->program(0x4000, bytes({0x12})).ok());
    }

    void erasesAreCountedPerSector() {
        auto sim = FlashSimulator::inRam(stm32f407());
        QVERIFY(sim->erase(0x0, 0x20000).ok());     // sectors 0..4
        QVERIFY(sim->erase(0x10000, 0x30000).ok()); // sectors 4 and 5
        QCOMPARE(sim->eraseCount(0), 1u);
        QCOMPARE(sim->eraseCount(4), 2u);
        QCOMPARE(sim->eraseCount(5), 1u);
        QCOMPARE(sim->eraseCount(6), 0u);
        QCOMPARE(sim->totalErases(), quint64(7));
    }

    void devicesWithoutEraseAreWrittenInPlace() {
        FlashDevice d = nrf52840(4);
        d.eraseRequired = false;
        auto sim = FlashSimulator::inRam(d);
        QVERIFY(sim->program(0, bytes({0x00, 0x00, 0x00, 0x00})).ok());
        QVERIFY(sim->program(0, bytes({0x12, 0x34, 0x56, 0x78})).ok()); // overwrite, no erase needed
        QCOMPARE(readBack(*sim, 0, 4), bytes({0x12, 0x34, 0x56, 0x78}));
        QCOMPARE(sim->erase(0, 0x1000).error().code, Errc::NotSupported);
        QVERIFY(sim->flatten(0, 0x1000).ok());
        QCOMPARE(readBack(*sim, 0, 4), bytes({0xff, 0xff, 0xff, 0xff}));
        QCOMPARE(sim->flatten(2, 4).error().code, Errc::Misaligned);
    }

    void flattenErasesOnNor() {
        auto sim = FlashSimulator::inRam(nrf52840());
        QVERIFY(sim->program(0x1000, std::vector<std::uint8_t>(4, 0)).ok());
        QVERIFY(sim->flatten(0x1000, 0x1000).ok());
        QCOMPARE(sim->eraseCount(1), 1u);
        QCOMPARE(readBack(*sim, 0x1000, 1), bytes({0xff}));
    }

    void largeDevicesCostOnlyWhatIsWritten() {
        FlashDevice d;
        d.id = "qspi";
        d.sectors = *SectorMap::uniform(65536, 4096); // 256 MiB
        auto storage = std::make_unique<RamStorage>(d.size(), 0xff);
        RamStorage* raw = storage.get();
        FlashSimulator sim(d, std::move(storage));
        QCOMPARE(raw->allocatedBytes(), quint64(0));
        QVERIFY(sim.program(0xffff000, std::vector<std::uint8_t>(16, 0)).ok());
        QCOMPARE(raw->allocatedBytes(), quint64(64 * 1024));
        QVERIFY(sim.erase(0xfff0000, 0x10000).ok()); // a whole chunk back to erased frees it
        QCOMPARE(raw->allocatedBytes(), quint64(0));
    }

    void fileBackedContentPersists() {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const std::filesystem::path path = dir.filePath("flash0.bin").toStdString();
        {
            auto sim = FlashSimulator::inFile(stm32f407(), path);
            QVERIFY2(sim.ok(), sim.ok() ? "" : sim.error().toString().c_str());
            QCOMPARE(readBack(**sim, 0, 2), bytes({0xff, 0xff}));
            QVERIFY((*sim)->program(0x20000, bytes({0xde, 0xad, 0xbe, 0xef})).ok());
        }
        QCOMPARE(std::filesystem::file_size(path), std::uintmax_t(1024 * 1024));
        auto again = FlashSimulator::inFile(stm32f407(), path);
        QVERIFY(again.ok());
        QCOMPARE(readBack(**again, 0x20000, 4), bytes({0xde, 0xad, 0xbe, 0xef}));
        // NOR rules hold on the reopened file too.
        QCOMPARE((*again)->program(0x20000, bytes({0xff})).error().code, Errc::ProgramConflict);
        QVERIFY((*again)->erase(0x20000, 0x20000).ok());
        QCOMPARE(readBack(**again, 0x20000, 1), bytes({0xff}));
    }

    void aFileOfTheWrongSizeIsNotResized() {
        QTemporaryDir dir;
        const QString path = dir.filePath("small.bin");
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(QByteArray(100, 'x'));
        f.close();
        const auto sim = FlashSimulator::inFile(stm32f407(), path.toStdString());
        QVERIFY(!sim.ok());
        QCOMPARE(sim.error().where.file, path.toStdString());
        QVERIFY(sim.error().message.find("100 bytes") != std::string::npos);
        QCOMPARE(QFileInfo(path).size(), qint64(100));
    }
};

QTEST_APPLESS_MAIN(TestFlashSimulator)
#include "tst_flashsimulator.moc"
