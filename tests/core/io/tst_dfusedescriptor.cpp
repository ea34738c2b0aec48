// SPDX-License-Identifier: Apache-2.0
// DfuSe memory descriptions (ST UM0290 / AN3156) into sector maps, and every malformed one refused with
// the column of its fault.
#include "db/DeviceDatabase.h"
#include "io/DfuseDescriptor.h"

#include <QtTest>

using namespace flashplan;

namespace {

DfuseMemory parsed(std::string_view text) {
    auto m = parseDfuseDescriptor(text);
    if (!m)
        qFatal("%s: %s", std::string(text).c_str(), m.error().toString().c_str());
    return *m;
}

SectorMap mapOf(std::string_view text) {
    auto devices = flashDevicesFromDfuse(parsed(text), "alt");
    if (!devices || devices->size() != 1)
        qFatal("%s: not one device", std::string(text).c_str());
    return devices->front().sectors;
}

} // namespace

class TestDfuseDescriptor : public QObject {
    Q_OBJECT
private slots:
    void stm32f407SystemBootloader() {
        const DfuseMemory m = parsed("@Internal Flash  /0x08000000/04*016Kg,01*064Kg,07*128Kg");
        QCOMPARE(m.name, std::string("Internal Flash"));
        QCOMPARE(m.regions.size(), std::size_t(1));
        QCOMPARE(m.regions[0].address, quint64(0x08000000));
        QCOMPARE(m.regions[0].groups.size(), std::size_t(3));
        QCOMPARE(m.regions[0].groups[0], (DfuseSectorGroup{4, 16 * 1024, 7}));
        QCOMPARE(m.regions[0].groups[1], (DfuseSectorGroup{1, 64 * 1024, 7}));
        QCOMPARE(m.regions[0].groups[2], (DfuseSectorGroup{7, 128 * 1024, 7}));
        QCOMPARE(m.regions[0].size(), quint64(1024 * 1024));
        QCOMPARE(mapOf("@Internal Flash  /0x08000000/04*016Kg,01*064Kg,07*128Kg").toString(),
                 std::string("4x16K, 1x64K, 7x128K"));
    }

    // The other alt settings of the F4 system bootloader: blanks as the multiplier (bytes), type 'e'.
    void stm32f4OtherAlts() {
        const DfuseMemory ob = parsed("@Option Bytes  /0x1FFFC000/01*016 e");
        QCOMPARE(ob.name, std::string("Option Bytes"));
        QCOMPARE(ob.regions[0].address, quint64(0x1fffc000));
        QCOMPARE(ob.regions[0].groups[0], (DfuseSectorGroup{1, 16, kDfuseReadable | kDfuseWritable}));
        const DfuseMemory otp = parsed("@OTP Memory /0x1FFF7800/01*512 e,01*016 e");
        QCOMPARE(otp.regions[0].size(), quint64(528));
        const DfuseMemory feature = parsed("@Device Feature/0xFFFF0000/01*004 e");
        QCOMPARE(feature.name, std::string("Device Feature"));
        QCOMPARE(feature.regions[0].address, quint64(0xffff0000));
        QCOMPARE(feature.regions[0].groups[0].size, quint64(4));
    }

    // Every alt setting of two real system bootloaders, as lsusb printed them (dfu-util's device-logs:
    // stm32f4discovery.lsusb, stm32f107.lsusb); these ROMs type every memory 'g'.
    void realBootloaderLogs_data() {
        QTest::addColumn<QString>("text");
        QTest::addColumn<quint64>("address");
        QTest::addColumn<quint64>("size");
        QTest::newRow("F4 internal flash") << "@Internal Flash  /0x08000000/04*016Kg,01*064Kg,07*128Kg"
                                           << quint64(0x08000000) << quint64(1024 * 1024);
        QTest::newRow("F4 option bytes")
            << "@Option Bytes  /0x1FFFC000/01*016 g" << quint64(0x1fffc000) << quint64(16);
        QTest::newRow("F4 OTP") << "@OTP Memory /0x1FFF7800/01*512 g,01*016 g" << quint64(0x1fff7800)
                                << quint64(528);
        QTest::newRow("F4 device feature")
            << "@Device Feature/0xFFFF0000/01*004 g" << quint64(0xffff0000) << quint64(4);
        QTest::newRow("F107 internal flash")
            << "@Internal Flash  /0x08000000/128*002Kg" << quint64(0x08000000) << quint64(256 * 1024);
        QTest::newRow("F107 option bytes")
            << "@Option Bytes  /0x1FFFF800/01*016 g" << quint64(0x1ffff800) << quint64(16);
    }
    void realBootloaderLogs() {
        QFETCH(QString, text);
        QFETCH(quint64, address);
        QFETCH(quint64, size);
        const DfuseMemory m = parsed(text.toStdString());
        QCOMPARE(m.regions.size(), std::size_t(1));
        QCOMPARE(m.regions[0].address, address);
        QCOMPARE(m.regions[0].size(), size);
        for (const DfuseSectorGroup& g : m.regions[0].groups)
            QCOMPARE(int(g.access), int(kDfuseReadable | kDfuseErasable | kDfuseWritable));
        QVERIFY(m.allows(address, size, kDfuseReadable | kDfuseErasable | kDfuseWritable));
        QVERIFY(!m.allows(address, size + 1, kDfuseReadable));
    }

    // The examples of ST's DfuSe documentation (UM0290, AN3156).
    void stDocumentationExamples_data() {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("name");
        QTest::addColumn<quint64>("address");
        QTest::addColumn<QString>("map");
        QTest::newRow("internal flash, 12 read-only pages")
            << "@Internal Flash  /0x08000000/12*001Ka,116*001Kg"
            << "Internal Flash" << quint64(0x08000000) << "128x1K";
        QTest::newRow("SPI flash M25P64") << "@SPI Flash : M25P64/0x00000000/128*064Kg"
                                          << "SPI Flash : M25P64" << quint64(0) << "128x64K";
        QTest::newRow("NOR flash M29W128") << "@NOR Flash : M29W128/0x64000000/0256*064Kg"
                                           << "NOR Flash : M29W128" << quint64(0x64000000) << "256x64K";
        QTest::newRow("F1 option bytes") << "@Option Bytes  /0x1FFFF800/01*016 e"
                                         << "Option Bytes" << quint64(0x1ffff800) << "1x16";
        QTest::newRow("F1 medium density") << "@Internal Flash  /0x08000000/064*0001Kg"
                                           << "Internal Flash" << quint64(0x08000000) << "64x1K";
        QTest::newRow("F7 internal flash")
            << "@Internal Flash  /0x08000000/04*032Kg,01*128Kg,03*256Kg"
            << "Internal Flash" << quint64(0x08000000) << "4x32K, 1x128K, 3x256K";
        QTest::newRow("H7 internal flash") << "@Internal Flash   /0x08000000/16*128Kg"
                                           << "Internal Flash" << quint64(0x08000000) << "16x128K";
        QTest::newRow("megabyte sectors") << "@QSPI Flash /0x90000000/16*001Mg"
                                          << "QSPI Flash" << quint64(0x90000000) << "16x1M";
        QTest::newRow("B multiplier") << "@RAM/0x20000000/04*256Bg"
                                      << "RAM" << quint64(0x20000000) << "4x256";
    }
    void stDocumentationExamples() {
        QFETCH(QString, text);
        QFETCH(QString, name);
        QFETCH(quint64, address);
        QFETCH(QString, map);
        const DfuseMemory m = parsed(text.toStdString());
        QCOMPARE(QString::fromStdString(m.name), name);
        QCOMPARE(m.regions.front().address, address);
        QCOMPARE(mapOf(text.toStdString()), *SectorMap::parse(map.toStdString()));
    }

    void sectorTypeLetters() {
        const std::string letters = "abcdefg";
        for (std::size_t i = 0; i < letters.size(); ++i) {
            const DfuseMemory m = parsed(std::string("@x/0x0/1*1K") + letters[i]);
            QCOMPARE(int(m.regions[0].groups[0].access), int(i + 1));
            // Upper case, as the ASCII codes in ST's table suggest, reads the same.
            const DfuseMemory upper = parsed(std::string("@x/0x0/1*1K") + char(letters[i] - 'a' + 'A'));
            QCOMPARE(upper.regions[0].groups[0].access, m.regions[0].groups[0].access);
        }
        QCOMPARE(int(parsed("@x/0x0/1*1Ka").regions[0].groups[0].access), int(kDfuseReadable));
        QCOMPARE(int(parsed("@x/0x0/1*1Kb").regions[0].groups[0].access), int(kDfuseErasable));
        QCOMPARE(int(parsed("@x/0x0/1*1Kd").regions[0].groups[0].access), int(kDfuseWritable));
    }

    void sparkCoreAlts() {
        const DfuseMemory internal = parsed("@Internal Flash  /0x08000000/20*001Ka,108*001Kg");
        QCOMPARE(internal.regions[0].groups[0], (DfuseSectorGroup{20, 1024, kDfuseReadable}));
        QCOMPARE(internal.regions[0].groups[1], (DfuseSectorGroup{108, 1024, 7}));
        // The bootloader's 20 pages are read-only; the application's are not.
        QVERIFY(!internal.allows(0x08000000, 0x5000, kDfuseWritable));
        QVERIFY(!internal.allows(0x08004c00, 0x800, kDfuseErasable));
        QVERIFY(internal.allows(0x08005000, 108 * 1024, kDfuseErasable | kDfuseWritable));
        QVERIFY(!internal.allows(0x08005000, 108 * 1024 + 1, kDfuseReadable));
        QCOMPARE(internal.sectorAt(0x08005123), (DfuseSector{0x08005000, 1024, 7}));
        QCOMPARE(internal.sectorAt(0x08020000), std::nullopt);
        QCOMPARE(internal.sectorAt(0x07ffffff), std::nullopt);

        const DfuseMemory spi = parsed("@SPI Flash : SST25x/0x00000000/512*04Kg");
        QCOMPARE(spi.name, std::string("SPI Flash : SST25x"));
        auto devices = flashDevicesFromDfuse(spi, "alt1");
        QVERIFY(devices);
        QCOMPARE(devices->size(), std::size_t(1));
        QCOMPARE(devices->front().kind, FlashKind::Spi);
        QVERIFY(!devices->front().cpuBase.has_value()); // external, at 0: not memory-mapped
        QCOMPARE(devices->front().size(), quint64(2 * 1024 * 1024));
    }

    // What the device reports and what the database says are the same geometry.
    void matchesTheDeviceDatabase() {
        auto db = DeviceDatabase::builtin();
        QVERIFY(db);
        int checked = 0;
        for (const Board& b : db->boards()) {
            for (const DfuAlt& alt : b.programmer.dfuAlts) {
                if (!isDfuseDescriptor(alt.descriptor))
                    continue;
                const FlashDevice* device = b.device(alt.device);
                QVERIFY2(device, alt.device.c_str());
                auto memory = parseDfuseDescriptor(alt.descriptor);
                if (!memory)
                    QFAIL((b.id + ": " + memory.error().toString()).c_str());
                auto devices = flashDevicesFromDfuse(*memory, alt.device);
                QVERIFY(devices);
                QCOMPARE(devices->size(), std::size_t(1));
                QVERIFY2(devices->front().sectors == device->sectors, b.id.c_str());
                QCOMPARE(devices->front().cpuBase, device->cpuBase);
                ++checked;
            }
        }
        QVERIFY(checked >= 5);
    }

    void severalRegions() {
        const DfuseMemory m =
            parsed("@Internal Flash /0x08000000/04*016Kg,01*064Kg/0x08100000/04*016Kg,01*064Kg");
        QCOMPARE(m.regions.size(), std::size_t(2));
        QCOMPARE(m.regions[1].address, quint64(0x08100000));
        auto devices = flashDevicesFromDfuse(m, "flash");
        QVERIFY(devices);
        QCOMPARE(devices->size(), std::size_t(2));
        QCOMPARE(devices->at(0).id, std::string("flash_0"));
        QCOMPARE(devices->at(1).id, std::string("flash_1"));
        QCOMPARE(devices->at(1).cpuBase, std::optional<std::uint64_t>(0x08100000));
        QCOMPARE(devices->at(1).sectors.toString(), std::string("4x16K, 1x64K"));
        QCOMPARE(m.sectorAt(0x08100000), (DfuseSector{0x08100000, 16 * 1024, 7}));
        QCOMPARE(m.sectorAt(0x08080000), std::nullopt); // the gap between the regions
        QVERIFY(!m.allows(0x0807f000, 0x2000, kDfuseReadable));
    }

    void canonicalTextReadsBack() {
        for (const char* text :
             {"@Internal Flash  /0x08000000/04*016Kg,01*064Kg,07*128Kg",
              "@Option Bytes  /0x1FFFC000/01*016 e", "@SPI Flash : SST25x/0x00000000/512*04Kg",
              "@x/0x0/1*1Ma/0x200000/3*100Bc"}) {
            const DfuseMemory m = parsed(text);
            const DfuseMemory again = parsed(m.toString());
            QCOMPARE(again, m);
        }
        QCOMPARE(parsed("@Internal Flash  /0x08000000/04*016Kg,01*064Kg").toString(),
                 std::string("@Internal Flash/0x08000000/04*016Kg,01*064Kg"));
    }

    void malformedStringsNameTheColumn_data() {
        QTest::addColumn<QString>("text");
        QTest::addColumn<int>("column");
        QTest::addColumn<QString>("says");
        QTest::newRow("empty") << "" << 1 << "begins with '@'";
        QTest::newRow("no @") << "Internal Flash /0x08000000/04*016Kg" << 1 << "begins with '@'";
        QTest::newRow("name only") << "@Internal Flash" << 16 << "after the name";
        QTest::newRow("no 0x") << "@Flash/08000000/04*016Kg" << 9 << "'x' of the 0x";
        QTest::newRow("no address") << "@Flash//04*016Kg" << 8 << "region address";
        QTest::newRow("no hex digits") << "@Flash/0x/04*016Kg" << 10 << "hexadecimal digits";
        QTest::newRow("9 hex digits") << "@Flash/0x080000000/04*016Kg" << 8 << "at most 8";
        QTest::newRow("no slash after address") << "@Flash/0x08000000,04*016Kg" << 18 << "expected '/'";
        QTest::newRow("no count") << "@Flash/0x08000000/*016Kg" << 19 << "sector count";
        QTest::newRow("zero count") << "@Flash/0x08000000/00*016Kg" << 19 << "count of 0";
        QTest::newRow("no star") << "@Flash/0x08000000/04x016Kg" << 21 << "expected '*'";
        QTest::newRow("no size") << "@Flash/0x08000000/04*Kg" << 22 << "sector size";
        QTest::newRow("zero size") << "@Flash/0x08000000/04*000Kg" << 22 << "size of 0";
        QTest::newRow("bad multiplier") << "@Flash/0x08000000/04*016Xg" << 25 << "multiplier";
        QTest::newRow("lower-case k") << "@Flash/0x08000000/04*016kg" << 25 << "multiplier";
        QTest::newRow("no multiplier at end") << "@Flash/0x08000000/04*016" << 25 << "multiplier";
        QTest::newRow("bad type") << "@Flash/0x08000000/04*016Kh" << 26 << "type letter";
        QTest::newRow("no type") << "@Flash/0x08000000/04*016K" << 26 << "type letter";
        QTest::newRow("second group broken") << "@Flash/0x08000000/04*016Kg,01*064Q" << 34 << "multiplier";
        QTest::newRow("trailing comma") << "@Flash/0x08000000/04*016Kg," << 28 << "sector count";
        QTest::newRow("junk after group") << "@Flash/0x08000000/04*016Kg;01*064Kg" << 27 << "expected ','";
        QTest::newRow("overlapping regions")
            << "@Flash/0x08000000/04*016Kg/0x08008000/1*16Kg" << 28 << "below the end";
        QTest::newRow("count overflows") << "@Flash/0x0/99999999999999999999*1Kg" << 12 << "64 bits";
        QTest::newRow("region overflows") << "@Flash/0xFFFFFFFF/4000000000*4000000Mg" << 19 << "64-bit";
    }
    void malformedStringsNameTheColumn() {
        QFETCH(QString, text);
        QFETCH(int, column);
        QFETCH(QString, says);
        const auto m = parseDfuseDescriptor(text.toStdString());
        QVERIFY(!m);
        QCOMPARE(m.error().code, Errc::Parse);
        QCOMPARE(m.error().where.column, column);
        const QString message = QString::fromStdString(m.error().message);
        QVERIFY2(message.startsWith(QStringLiteral("column %1: ").arg(column)), qPrintable(message));
        QVERIFY2(message.contains(says), qPrintable(message));
    }

    // Every prefix and every one-byte corruption of real strings is either parsed or refused with a
    // column inside (or just past) the text; never a crash.
    void corruptionsNeverCrash() {
        const std::string texts[] = {"@Internal Flash  /0x08000000/04*016Kg,01*064Kg,07*128Kg",
                                     "@SPI Flash : SST25x/0x00000000/512*04Kg",
                                     "@OTP Memory /0x1FFF7800/01*512 e,01*016 e"};
        const char replacements[] = {'\0', '/', '*', ',', '@', 'x', '0', ' ', 'K', 'g', '\xff'};
        int refused = 0;
        for (const std::string& text : texts) {
            for (std::size_t n = 0; n <= text.size(); ++n) {
                const auto m = parseDfuseDescriptor(std::string_view(text).substr(0, n));
                if (!m) {
                    ++refused;
                    QVERIFY(m.error().where.column >= 1 && m.error().where.column <= int(n) + 1);
                }
            }
            for (std::size_t i = 0; i < text.size(); ++i) {
                for (char c : replacements) {
                    std::string t = text;
                    t[i] = c;
                    const auto m = parseDfuseDescriptor(t);
                    if (!m)
                        QVERIFY(m.error().where.column >= 1 && m.error().where.column <= int(t.size()) + 1);
                }
            }
        }
        QVERIFY(refused > 50);
    }
};

QTEST_GUILESS_MAIN(TestDfuseDescriptor)
#include "tst_dfusedescriptor.moc"
