// SPDX-License-Identifier: Apache-2.0
// What OpenOCD says about its flash banks (`flash banks`, `flash info <n> sectors`, as Debian's 0.12
// prints them for an STM32F407), the cross-check with the device database, and the mapping from device
// offsets to bank sector numbers.
#include "backends/openocd/FlashBanks.h"
#include "db/DeviceDatabase.h"

#include <QTest>

using namespace flashplan;
using namespace flashplan::programmer::openocd;

namespace {
const char* const kBanks =
    "#0 : stm32f4x.flash (stm32f2x) at 0x00000000, size 0x00000000, buswidth 0, chipwidth 0\n"
    "#1 : stm32f4x.otp (stm32f2x) at 0x1fff7800, size 0x00000000, buswidth 0, chipwidth 0\n";

const char* const kInfo = "#0 : stm32f2x at 0x08000000, size 0x00100000, buswidth 0, chipwidth 0\n"
                          "\t#  0: 0x00000000 (0x4000 16kB) not protected\n"
                          "\t#  1: 0x00004000 (0x4000 16kB) not protected\n"
                          "\t#  2: 0x00008000 (0x4000 16kB) protected\n"
                          "\t#  3: 0x0000c000 (0x4000 16kB) not protected\n"
                          "\t#  4: 0x00010000 (0x10000 64kB) not protected\n"
                          "\t#  5: 0x00020000 (0x20000 128kB) not protected\n"
                          "\t#  6: 0x00040000 (0x20000 128kB) not protected\n"
                          "\t#  7: 0x00060000 (0x20000 128kB) not protected\n"
                          "\t#  8: 0x00080000 (0x20000 128kB) not protected\n"
                          "\t#  9: 0x000a0000 (0x20000 128kB) not protected\n"
                          "\t# 10: 0x000c0000 (0x20000 128kB) not protected\n"
                          "\t# 11: 0x000e0000 (0x20000 128kB) \n"
                          "STM32F4xx - Rev: 1\n";

Board board(const char* id) {
    return *DeviceDatabase::builtin()->find(id);
}

std::vector<FlashBank> f407Banks() {
    auto banks = parseFlashBanks(kBanks);
    if (!banks || !parseFlashInfo(kInfo, (*banks)[0]))
        return {};
    return *banks;
}
} // namespace

class TestOpenOcdFlashBanks : public QObject {
    Q_OBJECT

private slots:
    void banksAreListed() {
        auto banks = parseFlashBanks(kBanks);
        QVERIFY(banks);
        QCOMPARE(banks->size(), std::size_t(2));
        QCOMPARE((*banks)[0].number, 0);
        QCOMPARE((*banks)[0].name, std::string("stm32f4x.flash"));
        QCOMPARE((*banks)[0].driver, std::string("stm32f2x"));
        QCOMPARE((*banks)[0].base, std::uint64_t(0)); // stm32f2x learns it when probed
        QCOMPARE((*banks)[1].number, 1);
        QCOMPARE((*banks)[1].base, std::uint64_t(0x1fff7800));
        QVERIFY(parseFlashBanks("").value().empty());
        QCOMPARE(parseFlashBanks("#0 : nonsense\n").error().code, Errc::Parse);
    }

    void sectorsAndTheirProtectionAreLearned() {
        const auto banks = f407Banks();
        QCOMPARE(banks.size(), std::size_t(2));
        const FlashBank& b = banks[0];
        QCOMPARE(b.base, std::uint64_t(0x08000000));
        QCOMPARE(b.size, std::uint64_t(0x100000));
        QCOMPARE(b.sectors.size(), std::size_t(12));
        QCOMPARE(b.sectors[4].offset, std::uint64_t(0x10000));
        QCOMPARE(b.sectors[4].size, std::uint64_t(0x10000));
        QCOMPARE(b.sectors[0].protection, BankSector::Protection::Off);
        QCOMPARE(b.sectors[2].protection, BankSector::Protection::On);
        QCOMPARE(b.sectors[11].protection, BankSector::Protection::Unknown);
    }

    void inconsistentInfoIsAnError() {
        FlashBank b;
        b.number = 0;
        b.base = 0x08000000;
        QCOMPARE(parseFlashInfo("nothing here\n", b).error().code, Errc::Parse);
        QCOMPARE(parseFlashInfo("#1 : stm32f2x at 0x08000000, size 0x00008000, buswidth 0, chipwidth 0\n", b)
                     .error()
                     .code,
                 Errc::Parse);
        const char* gap = "#0 : x at 0x08000000, size 0x00008000, buswidth 0, chipwidth 0\n"
                          "\t#  0: 0x00000000 (0x2000 8kB) not protected\n"
                          "\t#  1: 0x00004000 (0x4000 16kB) not protected\n";
        QCOMPARE(parseFlashInfo(gap, b).error().code, Errc::Parse);
        const char* shortOfSize = "#0 : x at 0x08000000, size 0x00008000, buswidth 0, chipwidth 0\n"
                                  "\t#  0: 0x00000000 (0x4000 16kB) not protected\n";
        QCOMPARE(parseFlashInfo(shortOfSize, b).error().code, Errc::Parse);
    }

    void aBankIsADeviceWithTheSameSectorMap() {
        const auto banks = f407Banks();
        auto d = deviceOf(banks[0]);
        QVERIFY(d);
        QCOMPARE(d->id, std::string("stm32f4x.flash"));
        QCOMPARE(d->cpuBase, std::optional<std::uint64_t>(0x08000000));
        QCOMPARE(d->sectors, board("stm32f4_disco").devices[0].sectors);
        QCOMPARE(deviceOf(banks[1]).error().code, Errc::NoDevice); // the OTP bank: no sectors
    }

    void theDatabaseAgreesWithOpenOcdOnTheF407() {
        const auto banks = f407Banks();
        const Board b = board("stm32f4_disco");
        QVERIFY(overlaps(banks[0], b.devices[0]));
        QVERIFY(!overlaps(banks[1], b.devices[0]));
        FlashBank unprobed = banks[0];
        unprobed.size = 0;
        QVERIFY(!overlaps(unprobed, b.devices[0]));
        QVERIFY(crossCheck(b.devices[0], banks).ok());
    }

    void aDifferentSectorMapIsNamed() {
        const auto banks = f407Banks();
        FlashDevice d = board("stm32f4_disco").devices[0];
        d.sectors = SectorMap::parse("4x16K, 1x64K, 1x128K, 2x256K, 2x128K").value();
        const auto r = crossCheck(d, banks);
        QVERIFY(!r);
        QCOMPARE(r.error().code, Errc::InvalidArgument);
        QVERIFY2(r.error().message.find("flash0 sector 6 (0x08040000, 256 KiB)") != std::string::npos,
                 r.error().message.c_str());
        // A 2 MiB device (the F429's two banks) reaches past what OpenOCD found on this chip.
        const auto larger = crossCheck(board("nucleo_f429zi").devices[0], banks);
        QVERIFY(!larger);
        QCOMPARE(larger.error().code, Errc::NoDevice);
        QVERIFY2(larger.error().message.find("0x08100000") != std::string::npos,
                 larger.error().message.c_str());
    }

    void deviceOffsetsBecomeBankSectorNumbers() {
        const auto banks = f407Banks();
        const FlashDevice d = board("stm32f4_disco").devices[0];
        auto slot = locate(banks, d, 0x20000, 0x20000);
        QVERIFY(slot);
        QCOMPARE(slot->bank, &banks[0]);
        QCOMPARE(slot->offset, std::uint64_t(0x20000));
        QCOMPARE(slot->address(), std::uint64_t(0x08020000));
        QCOMPARE(slot->firstSector, std::size_t(5));
        QCOMPARE(slot->lastSector, std::size_t(5));
        QVERIFY(slot->wholeSectors());

        auto app = locate(banks, d, 0x4000, 0xc000);
        QVERIFY(app);
        QCOMPARE(app->firstSector, std::size_t(1));
        QCOMPARE(app->lastSector, std::size_t(3));
        QVERIFY(app->wholeSectors());

        auto part = locate(banks, d, 0x5000, 0x10);
        QVERIFY(part);
        QCOMPARE(part->firstSector, std::size_t(1));
        QCOMPARE(part->lastSector, std::size_t(1));
        QVERIFY(!part->wholeSectors());

        auto last = locate(banks, d, 0xfffff, 1);
        QVERIFY(last);
        QCOMPARE(last->firstSector, std::size_t(11));
    }

    void rangesOpenOcdCannotReachAreRefused() {
        const auto banks = f407Banks();
        FlashDevice d = board("stm32f4_disco").devices[0];
        QCOMPARE(locate(banks, d, 0xff000, 0x2000).error().code, Errc::NoDevice);
        QCOMPARE(locate(banks, d, 0, 0).error().code, Errc::InvalidArgument);
        d.cpuBase.reset();
        QCOMPARE(locate(banks, d, 0, 0x4000).error().code, Errc::NotSupported);
    }
};

QTEST_GUILESS_MAIN(TestOpenOcdFlashBanks)
#include "tst_openocd_flashbanks.moc"
