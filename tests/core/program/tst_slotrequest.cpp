// SPDX-License-Identifier: Apache-2.0
// What a flash leaves in an MCUboot slot's trailer (core/program/SlotRequest): an imgtool-padded image
// split into its image and its request, requests checked against the slot, the trailer run, judged by
// every padded image the real imgtool made (tests/data/mcuboot).
#include "McubootFixtures.h"
#include "db/DeviceDatabase.h"
#include "image/Image.h"
#include "program/SlotRequest.h"

#include <QTest>

using namespace flashplan;
using mcuboot::UpgradeRequest;

namespace {

/// An nRF52840 (4 KiB sectors) with MCUboot's two slots of `slot` bytes at 0x10000, the write block and
/// settings imgtool was given.
Layout mcubootLayout(const mcubootfixtures::Padded& p, UpgradeMode mode = UpgradeMode::SwapUsingScratch) {
    Layout l;
    l.board = *DeviceDatabase::builtin()->find("nrf52840dk_nrf52840");
    l.board.devices[0].writeBlockSize = p.align;
    l.bootloader.set(BootloaderKind::Mcuboot, mode);
    l.bootloader.settings = {{"MCUBOOT_BOOT_MAX_ALIGN", std::to_string(p.maxAlign)},
                             {"BOOT_MAX_IMG_SECTORS", std::to_string(p.maxSectors)}};
    const auto add = [&](const char* label, std::uint64_t offset, std::uint64_t size, PartitionRole role) {
        Partition part;
        part.label = label;
        part.device = "flash0";
        part.offset = offset;
        part.size = size;
        part.role = role;
        l.partitions.push_back(part);
    };
    add("boot_partition", 0, 0x10000, PartitionRole::Boot);
    add("slot0_partition", 0x10000, p.slotSize, PartitionRole::Slot0);
    add("slot1_partition", 0x10000 + p.slotSize, p.slotSize, PartitionRole::Slot1);
    add("scratch_partition", 0x10000 + 2 * p.slotSize, 0x1000, PartitionRole::Scratch);
    return l;
}

Image relative(const mcubootfixtures::Bytes& bytes) {
    ImageBuilder b("fixture.bin", "byte");
    (void)b.add(0, bytes, 0);
    Image image = *std::move(b).build(ImageFormat::Binary);
    image.absolute = false;
    return image;
}

mcuboot::SlotTrailer trailerOf(const Layout& l, std::size_t partition) {
    auto s = mcuboot::slotTrailer(l, partition);
    if (!s || !*s)
        qFatal("no MCUboot slot trailer for partition %zu", partition);
    return **s;
}

} // namespace

class TestSlotRequest : public QObject {
    Q_OBJECT
private slots:
    // Every padded image imgtool made, in the secondary and the primary slot: the image comes back
    // without its padding, and the request it carries is the one imgtool was asked for; written back
    // with trailerRun(), the slot reads exactly as imgtool's file.
    void splitsEveryPaddedImageImgtoolMade() {
        for (const mcubootfixtures::Padded& p : mcubootfixtures::paddedImages()) {
            const auto bytes = mcubootfixtures::read(p.file);
            QCOMPARE(bytes.size(), std::size_t(p.slotSize));
            const Layout l = mcubootLayout(p);
            for (std::size_t index : {std::size_t(1), std::size_t(2)}) {
                const Partition& slot = l.partitions[index];
                const mcuboot::SlotTrailer trailer = trailerOf(l, index);
                const auto split = unpadImage(relative(bytes), slot.offset, slot, trailer);
                QVERIFY2(split, p.file.c_str());
                const UpgradeRequest want = !p.confirm            ? UpgradeRequest::Test
                                            : trailer.isPrimary() ? UpgradeRequest::Confirm
                                                                  : UpgradeRequest::Permanent;
                QCOMPARE(split->request, want);
                const auto image = split->image.flatten(0xff);
                QVERIFY(image && !image->empty());
                QVERIFY(image->back() != 0xff);
                QVERIFY(std::equal(image->begin(), image->end(), bytes.begin()));

                std::vector<std::uint8_t> slotBytes(static_cast<std::size_t>(p.slotSize), 0xff);
                std::copy(image->begin(), image->end(), slotBytes.begin());
                const FlashRun run = trailerRun(slot, trailer, 0, split->request);
                QVERIFY(run.end() == slot.end());
                std::copy(run.bytes.begin(), run.bytes.end(),
                          slotBytes.begin() + static_cast<std::ptrdiff_t>(run.offset - slot.offset));
                QVERIFY2(slotBytes == bytes, p.file.c_str());
            }
        }
    }

    void anImageThatIsOnlyTooLargeIsNotPadded() {
        const mcubootfixtures::Padded p{"pad-test-a4-m8-s0x5000.bin", 4, 8, 0x5000, 128, false};
        const Layout l = mcubootLayout(p);
        const mcuboot::SlotTrailer trailer = trailerOf(l, 2);
        auto bytes = mcubootfixtures::read(p.file);
        bytes[bytes.size() - 17] = 0x00; // a byte of "image" where the trailer's erased bytes must be
        QVERIFY(!unpadImage(relative(bytes), l.partitions[2].offset, l.partitions[2], trailer));
        std::vector<std::uint8_t> small(0x100, 0x11);
        QVERIFY(!unpadImage(relative(small), l.partitions[2].offset, l.partitions[2], trailer));
        // All padding and no image is nothing to flash.
        auto empty = mcubootfixtures::read(p.file);
        std::fill(empty.begin(), empty.end() - 16, 0xff);
        QVERIFY(!unpadImage(relative(empty), l.partitions[2].offset, l.partitions[2], trailer));
    }

    void aRequestGoesToTheSlotThatTakesIt() {
        const mcubootfixtures::Padded p{"", 4, 8, 0x5000, 128, false};
        const Layout l = mcubootLayout(p);
        const mcuboot::SlotTrailer primary = trailerOf(l, 1), secondary = trailerOf(l, 2);
        QVERIFY(checkRequest(primary, l.partitions[1], UpgradeRequest::Confirm));
        QVERIFY(checkRequest(primary, l.partitions[1], UpgradeRequest::None));
        QVERIFY(checkRequest(secondary, l.partitions[2], UpgradeRequest::Test));
        QVERIFY(checkRequest(secondary, l.partitions[2], UpgradeRequest::Permanent));
        const auto wrong = checkRequest(primary, l.partitions[1], UpgradeRequest::Test);
        QVERIFY(!wrong);
        QCOMPARE(wrong.error().field, std::string("slot0_partition"));
        QVERIFY(!checkRequest(secondary, l.partitions[2], UpgradeRequest::Confirm));
    }

    // The run covers the bootloader's whole reserve when it is larger than the trailer area (as in
    // swap-using-move), erased but for the request's fields.
    void theRunCoversTheReserve() {
        const mcubootfixtures::Padded p{"", 4, 8, 0x5000, 128, false};
        const Layout l = mcubootLayout(p);
        const mcuboot::SlotTrailer s = trailerOf(l, 2);
        const FlashRun run = trailerRun(l.partitions[2], s, 0x2000, UpgradeRequest::None);
        QCOMPARE(run.offset, l.partitions[2].end() - 0x2000);
        QVERIFY(std::all_of(run.bytes.begin(), run.bytes.end(), [](std::uint8_t b) { return b == 0xff; }));
        const FlashRun test = trailerRun(l.partitions[2], s, 0x2000, UpgradeRequest::Test);
        QCOMPARE(test.bytes.size(), std::size_t(0x2000));
        QCOMPARE(test.bytes.back(), mcuboot::bootMagic(8).back());
    }
};

QTEST_GUILESS_MAIN(TestSlotRequest)
#include "tst_slotrequest.moc"
