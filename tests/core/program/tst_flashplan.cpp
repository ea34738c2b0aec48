// SPDX-License-Identifier: Apache-2.0
// The programmer's pure half in core: PartitionGuard (nothing outside the partition), the flash planner
// (which sectors to erase and write) and FlashPayload (an image turned into the bytes for a slot).
#include "F407Layout.h"
#include "db/DeviceDatabase.h"
#include "db/ExampleLayouts.h"
#include "image/Image.h"
#include "image/ImageHeader.h"
#include "program/FlashPayload.h"
#include "program/FlashPlan.h"
#include "program/PartitionGuard.h"
#include "rules/McubootRules.h"

#include <QTest>

#include <limits>

using namespace flashplan;

namespace {

using testsupport::f407Layout;

PartitionGuard guardFor(const Layout& l, std::string_view label) {
    auto g = PartitionGuard::forPartition(l, static_cast<std::size_t>(l.indexOf(label)));
    if (!g)
        qFatal("%s", g.error().message.c_str());
    return *g;
}

Image relativeImage(std::size_t size, std::uint8_t seed = 1) {
    std::vector<std::uint8_t> bytes(size);
    for (std::size_t i = 0; i < size; ++i)
        bytes[i] = static_cast<std::uint8_t>(seed + i * 7);
    ImageBuilder b("test.bin", "byte");
    (void)b.add(0, bytes, 0);
    Image image = *std::move(b).build(ImageFormat::Binary);
    image.absolute = false;
    return image;
}

Image absoluteImage(std::uint64_t address, std::size_t size) {
    std::vector<std::uint8_t> bytes(size, 0x42);
    ImageBuilder b("test.hex", "line");
    (void)b.add(address, bytes, 1);
    return *std::move(b).build(ImageFormat::IntelHex);
}

} // namespace

class TestFlashPlan : public QObject {
    Q_OBJECT

private slots:
    void guardKeepsEveryRangeInsideThePartition() {
        const Layout l = f407Layout();
        const PartitionGuard g = guardFor(l, "app");
        QVERIFY(g.checkRead(0x4000, 0xc000));
        QVERIFY(g.checkWrite(0x4000, 0xc000));
        QVERIFY(g.checkErase(0x4000, 0x4000));
        // One byte either side of the partition, and offsets whose sum wraps past 2^64.
        QCOMPARE(g.checkRead(0x3fff, 2).error().code, Errc::OutOfRange);
        QCOMPARE(g.checkWrite(0xfffc, 8).error().code, Errc::OutOfRange);
        QCOMPARE(g.checkWrite(0x10000, 4).error().code, Errc::OutOfRange);
        const auto wrap = g.checkWrite(0x4000, std::numeric_limits<std::uint64_t>::max() - 0x1000);
        QCOMPARE(wrap.error().code, Errc::OutOfRange);
        QVERIFY(wrap.error().message.find("reaches outside app") != std::string::npos);
        QCOMPARE(wrap.error().field, std::string("app"));
    }

    void guardNeedsSectorBoundariesAndWriteBlocks() {
        const Layout l = f407Layout();
        const PartitionGuard g = guardFor(l, "slot");
        QCOMPARE(g.checkErase(0x10000, 0x8000).error().code, Errc::Misaligned); // half of the 64K sector
        QVERIFY(g.checkErase(0x10000, 0x30000));
        Layout wide = l;
        wide.board.devices[0].writeBlockSize = 8;
        const PartitionGuard w = guardFor(wide, "slot");
        QCOMPARE(w.checkWrite(0x10004, 8).error().code, Errc::Misaligned);
        QCOMPARE(w.checkWrite(0x10000, 12).error().code, Errc::Misaligned);
        QVERIFY(w.checkWrite(0x10008, 16));
    }

    void guardNeverWritesAReadOnlyPartition() {
        const Layout l = f407Layout();
        const PartitionGuard g = guardFor(l, "boot");
        QVERIFY(g.checkRead(0, 0x4000));
        QCOMPARE(g.checkErase(0, 0x4000).error().code, Errc::InvalidArgument);
        QVERIFY(g.checkWrite(0, 4).error().message.find("boot is read-only") != std::string::npos);
    }

    void guardRefusesABrokenPartition() {
        Layout l = f407Layout();
        QCOMPARE(PartitionGuard::forPartition(l, 9).error().code, Errc::NotFound);
        l.partitions[3].device = "qspi";
        QCOMPARE(PartitionGuard::forPartition(l, 3).error().code, Errc::NotFound);
        l.partitions[3].device = "flash0";
        l.partitions[3].offset = 0xf0000; // past the 1 MiB device's end
        QCOMPARE(PartitionGuard::forPartition(l, 3).error().code, Errc::OutOfRange);
    }

    void classifiesWhatASectorHolds() {
        const std::vector<std::uint8_t> wanted{1, 2, 3, 4}, erased(4, 0xff), other{1, 2, 3, 5};
        QCOMPARE(classifySector(wanted, wanted, 0xff), SectorState::Matches);
        QCOMPARE(classifySector(erased, wanted, 0xff), SectorState::Erased);
        QCOMPARE(classifySector(other, wanted, 0xff), SectorState::Differs);
        QCOMPARE(classifySector(erased, wanted, 0x00), SectorState::Differs);
        QCOMPARE(classifySector(std::vector<std::uint8_t>(3, 0xff), wanted, 0xff), SectorState::Unknown);
    }

    void padsAnImageToWholeWriteBlocksWithTheEraseValue() {
        Layout l = f407Layout();
        l.board.devices[0].writeBlockSize = 8;
        const PartitionGuard g = guardFor(l, "app");
        const std::vector<std::uint8_t> data{1, 2, 3, 4, 5};
        auto image = prepareFlashImage(g, 0x4003, data);
        QVERIFY(image);
        QCOMPARE(image->runs.size(), std::size_t(1));
        QCOMPARE(image->runs[0].offset, std::uint64_t(0x4000));
        QCOMPARE(image->runs[0].bytes, (std::vector<std::uint8_t>{0xff, 0xff, 0xff, 1, 2, 3, 4, 5}));
        QCOMPARE(prepareFlashImage(g, 0xfffc, data).error().code, Errc::OutOfRange);
    }

    // The trailer area of a slot is a second run: apart when it lies in another sector, joined to the
    // image (the gap erased) when they share one, and refused when the two claim the same bytes.
    void keepsOneRangePerSectorForAnImageAndItsTrailer() {
        const Layout l = f407Layout(); // app: 0x4000..0x10000, sectors of 16 KiB
        const PartitionGuard g = guardFor(l, "app");
        const std::vector<std::uint8_t> data(0x100, 0x11);
        const std::vector<FlashRun> trailer{{0xff00, std::vector<std::uint8_t>(0x100, 0xff)}};
        auto apart = prepareFlashImage(g, 0x4000, data, trailer);
        QVERIFY(apart);
        QCOMPARE(apart->runs.size(), std::size_t(2));
        QCOMPARE(apart->runs[1], trailer[0]);
        QCOMPARE(apart->size(), std::uint64_t(0x200));
        QCOMPARE(sectorsTouched(g, *apart).size(), std::size_t(2));

        const std::vector<FlashRun> near{{0x4200, {1, 2, 3, 4}}};
        auto joined = prepareFlashImage(g, 0x4000, data, near);
        QVERIFY(joined);
        QCOMPARE(joined->runs.size(), std::size_t(1));
        QCOMPARE(joined->runs[0].bytes.size(), std::size_t(0x204));
        QCOMPARE(joined->runs[0].bytes[0x100], std::uint8_t(0xff));
        QCOMPARE(joined->runs[0].bytes[0x203], std::uint8_t(4));

        const std::vector<FlashRun> twice{{0x40f0, std::vector<std::uint8_t>(0x20, 0)}};
        QCOMPARE(prepareFlashImage(g, 0x4000, data, twice).error().code, Errc::InvalidArgument);
        const std::vector<FlashRun> outside{{0x10000, {0}}};
        QCOMPARE(prepareFlashImage(g, 0x4000, data, outside).error().code, Errc::OutOfRange);
    }

    // Erased flash holds the erase value already: blocks of it at a range's ends are not programmed (ECC
    // NOR takes one program per double word, and MCUboot writes its trailer later), and a sector that must
    // only read erased is erased when it is not, skipped when it is.
    void leavesErasedBlocksAtTheEndsOfARangeUnwritten() {
        Layout l = f407Layout();
        l.board.devices[0].writeBlockSize = 8;
        const PartitionGuard g = guardFor(l, "app");
        std::vector<std::uint8_t> data(0x40, 0xff);
        data[0x10] = 1;
        data[0x27] = 2;
        const std::vector<FlashRun> trailer{{0xfe00, std::vector<std::uint8_t>(0x200, 0xff)}};
        auto image = prepareFlashImage(g, 0x4000, data, trailer);
        QVERIFY(image);
        const std::vector states{SectorState::Differs, SectorState::Differs};
        auto plan = planFlash(g, *image, states, false);
        QVERIFY(plan);
        QVERIFY(plan->sectors[0].erase && plan->sectors[0].write);
        QCOMPARE(plan->sectors[0].writeOffset, std::uint64_t(0x4010));
        QCOMPARE(plan->sectors[0].writeLength, std::uint64_t(0x18));
        QVERIFY(plan->sectors[1].erase && !plan->sectors[1].write); // the stale trailer sector
        QCOMPARE(plan->writeBytes, std::uint64_t(0x18));

        auto clean = planFlash(g, *image, std::vector{SectorState::Matches, SectorState::Matches}, false);
        QCOMPARE(clean->skipped, std::size_t(2));
        QCOMPARE(clean->eraseBytes + clean->writeBytes, std::uint64_t(0));
        auto erased = planFlash(g, *image, std::vector{SectorState::Matches, SectorState::Erased}, false);
        QCOMPARE(erased->skipped, std::size_t(2));
        QVERIFY(!erased->sectors[1].erase && !erased->sectors[1].write);
    }

    void plansOnlyTheSectorsThatNeedWork() {
        const Layout l = f407Layout();
        const PartitionGuard g = guardFor(l, "app");
        const std::vector<std::uint8_t> data(0x9000, 0x11); // sectors 1, 2 and the first 4K of 3
        auto image = prepareFlashImage(g, 0x4000, data);
        QVERIFY(image);
        QCOMPARE(sectorsTouched(g, *image).size(), std::size_t(3));
        const std::vector states{SectorState::Matches, SectorState::Erased, SectorState::Differs};
        auto plan = planFlash(g, *image, states, false);
        QVERIFY(plan);
        QCOMPARE(plan->skipped, std::size_t(1));
        QVERIFY(!plan->sectors[0].erase && !plan->sectors[0].write);
        QVERIFY(!plan->sectors[1].erase && plan->sectors[1].write);
        QVERIFY(plan->sectors[2].erase && plan->sectors[2].write);
        QCOMPARE(plan->sectors[2].writeOffset, std::uint64_t(0xc000));
        QCOMPARE(plan->sectors[2].writeLength, std::uint64_t(0x1000));
        QCOMPARE(plan->eraseBytes, std::uint64_t(0x4000));
        QCOMPARE(plan->writeBytes, std::uint64_t(0x5000));

        auto full = planFlash(g, *image, states, true);
        QCOMPARE(full->skipped, std::size_t(0));
        QCOMPARE(full->eraseBytes, std::uint64_t(0xc000));
        QCOMPARE(full->writeBytes, std::uint64_t(0x9000));
        auto unknown = planFlash(g, *image, {}, false);
        QCOMPARE(unknown->eraseBytes, std::uint64_t(0xc000));

        QCOMPARE(planFlash(g, *image, std::vector{SectorState::Matches}, false).error().code,
                 Errc::InvalidArgument);
    }

    void neverErasesMemoryWrittenInPlace() {
        Layout l = f407Layout();
        l.board.devices[0].eraseRequired = false;
        const PartitionGuard g = guardFor(l, "app");
        auto image = prepareFlashImage(g, 0x4000, std::vector<std::uint8_t>(0x8000, 0x22));
        auto plan = planFlash(g, *image, {}, true);
        QCOMPARE(plan->eraseBytes, std::uint64_t(0));
        QCOMPARE(plan->writeBytes, std::uint64_t(0x8000));
    }

    void payloadPlacesARawImageAtTheSlotsStart() {
        const Layout l = f407Layout();
        const Image image = relativeImage(0xc001 - 0x1); // exactly the partition
        auto payload = payloadFor(image, recognizeHeader(image), l, 1);
        QVERIFY2(payload, payload ? "" : payload.error().message.c_str());
        QCOMPARE(payload->offset, std::uint64_t(0x4000));
        QCOMPARE(payload->bytes.size(), std::size_t(0xc000));
        QCOMPARE(payload->fit.freeBytes, std::uint64_t(0));
    }

    void payloadRefusesAnImageTooLargeForItsSlot() {
        const Layout l = f407Layout();
        const Image image = relativeImage(0xc001);
        auto payload = payloadFor(image, recognizeHeader(image), l, 1);
        QVERIFY(!payload);
        QCOMPARE(payload.error().code, Errc::OutOfRange);
        QCOMPARE(payload.error().field, std::string("app"));
        QVERIFY2(payload.error().message.find("offset 0x10000..0x10001") != std::string::npos,
                 payload.error().message.c_str());
    }

    void payloadRefusesAnImageThatReachesIntoAnotherPartition() {
        const Layout l = f407Layout();
        const Image image = absoluteImage(0x0800fff0, 0x20); // the last 16 bytes of app, 16 of slot
        auto payload = payloadFor(image, recognizeHeader(image), l, 1);
        QVERIFY(!payload);
        QCOMPARE(payload.error().code, Errc::OutOfRange);
        QVERIFY2(payload.error().message.find("slot") != std::string::npos, payload.error().message.c_str());
    }

    void payloadFillsGapsWithTheEraseValue() {
        const Layout l = f407Layout();
        ImageBuilder b("gaps.hex", "line");
        const std::vector<std::uint8_t> a{1, 2}, c{3, 4};
        QVERIFY(b.add(0x08004000, a, 1));
        QVERIFY(b.add(0x08004010, c, 2));
        const Image image = *std::move(b).build(ImageFormat::IntelHex);
        auto payload = payloadFor(image, recognizeHeader(image), l, 1);
        QVERIFY(payload);
        QCOMPARE(payload->bytes.size(), std::size_t(0x12));
        QCOMPARE(payload->bytes[2], std::uint8_t(0xff));
        QCOMPARE(payload->bytes[0x11], std::uint8_t(4));
    }

    void mcubootSlotsKeepTheirTrailer() {
        auto db = DeviceDatabase::builtin();
        auto l = ExampleLayouts::load("nrf52840-mcuboot-external", *db);
        QVERIFY(l);
        const auto spaces = mcubootImageSpaces(*l);
        QCOMPARE(spaces.size(), std::size_t(1));
        const std::size_t slot0 = static_cast<std::size_t>(l->indexOf("slot0_partition"));
        const std::size_t slot1 = static_cast<std::size_t>(l->indexOf("slot1_partition"));
        const std::uint64_t reserve = bootloaderReserve(*l, slot0);
        QVERIFY(reserve > 0);
        QCOMPARE(reserve, l->partitions[slot0].size - spaces.front().space.space);
        QVERIFY(bootloaderReserve(*l, slot1) > 0);
        QCOMPARE(bootloaderReserve(*l, static_cast<std::size_t>(l->indexOf("storage_partition"))),
                 std::uint64_t(0));
        // An image of the largest size MCUboot accepts fits; one byte more is refused, naming the trailer.
        const Image largest = relativeImage(static_cast<std::size_t>(spaces.front().space.space));
        QVERIFY(payloadFor(largest, recognizeHeader(largest), *l, slot0));
        const Image tooLarge = relativeImage(static_cast<std::size_t>(spaces.front().space.space + 1));
        auto refused = payloadFor(tooLarge, recognizeHeader(tooLarge), *l, slot0);
        QVERIFY(!refused);
        QVERIFY2(refused.error().message.find("trailer") != std::string::npos,
                 refused.error().message.c_str());
    }
};

QTEST_GUILESS_MAIN(TestFlashPlan)
#include "tst_flashplan.moc"
