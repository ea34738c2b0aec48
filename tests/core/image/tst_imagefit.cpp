// SPDX-License-Identifier: Apache-2.0
// Fit checks: where an image lands in a partition, refusals with the exact overlap, and whether it fits
// once its header, TLVs and the trailer reserve are counted.
#include "ImageFixtures.h"
#include "db/ExampleLayouts.h"
#include "image/ImageFit.h"
#include "image/RawBinary.h"

#include <QtTest>

using namespace flashplan;
using fixtures::Bytes;

namespace {

/// An absolute image of `size` bytes (or the given bytes) at `address`.
Image at(std::uint64_t address, const Bytes& bytes) {
    auto image = loadRawBinary(fixtures::asString(bytes), "fw.bin", address);
    if (!image)
        qFatal("%s", image.error().toString().c_str());
    return *image;
}
Image at(std::uint64_t address, std::size_t size) {
    return at(address, fixtures::pattern(size));
}
Image relative(std::size_t size) {
    return *loadRawBinary(fixtures::asString(fixtures::pattern(size)), "fw.bin");
}

Result<ImageFit> fit(const Image& image, const Layout& layout, std::string_view label,
                     std::uint64_t trailerReserve = 0) {
    const int index = layout.indexOf(label);
    if (index < 0)
        qFatal("no partition %s", std::string(label).c_str());
    return fitImage(image, recognizeHeader(image), layout, static_cast<std::size_t>(index), {trailerReserve});
}

/// A board with one flash device of `size` bytes in 4 KiB sectors, mapped at `base` (or not at all).
Layout customLayout(std::optional<std::uint64_t> base, std::vector<Partition> partitions) {
    Layout l;
    l.board.id = "custom";
    FlashDevice d;
    d.id = "nor";
    d.kind = base ? FlashKind::Internal : FlashKind::Spi;
    d.cpuBase = base;
    d.sectors = *SectorMap::uniform(64, 0x1000);
    l.board.devices.push_back(d);
    l.partitions = std::move(partitions);
    return l;
}

Partition partition(std::string label, std::uint64_t offset, std::uint64_t size, std::string parent = {}) {
    Partition p;
    p.label = std::move(label);
    p.device = "nor";
    p.offset = offset;
    p.size = size;
    p.parent = std::move(parent);
    return p;
}

} // namespace

class TestImageFit : public QObject {
    Q_OBJECT

    DeviceDatabase db_ = *DeviceDatabase::builtin();
    // wolfBoot on an STM32F407: flash0 (1 MiB at 0x08000000) with wolfboot 0x0..0x20000, boot
    // 0x20000..0x40000, update 0x40000..0x60000, swap 0x60000..0x80000; 0x80000..0x100000 is free.
    Layout wolf_ = *ExampleLayouts::load("wolfboot-stm32f407", db_);

private slots:
    void anImageInsideItsPartition() {
        const Image image = at(0x08020000, fixtures::makeMcubootImage({}));
        const auto f = fit(image, wolf_, "boot");
        QVERIFY2(f.ok(), f.ok() ? "" : f.error().toString().c_str());
        QCOMPARE(f->partition, std::size_t(1));
        QCOMPARE(f->device, std::string("flash0"));
        QCOMPARE(f->offset, std::uint64_t(0x20000));
        QCOMPARE(f->end, std::uint64_t(0x20698));
        QCOMPARE(f->ranges, (std::vector<PlacedRange>{{0x20000, 0x698, 0x08020000}}));
        QCOMPARE(f->used, std::uint64_t(0x698));
        QCOMPARE(f->available, std::uint64_t(0x20000));
        QVERIFY(f->fits);
        QCOMPARE(f->freeBytes, std::uint64_t(0x20000 - 0x698));
        QCOMPARE(f->shortfall, std::uint64_t(0));
    }

    void aRawImageStartsAtTheSlot() {
        const auto f = fit(relative(0x1000), wolf_, "update");
        QVERIFY(f.ok());
        QCOMPARE(f->offset, std::uint64_t(0x40000));
        QCOMPARE(f->ranges.front().cpuAddress, std::optional<std::uint64_t>(0x08040000));
        QCOMPARE(f->used, std::uint64_t(0x1000));
        QCOMPARE(f->freeBytes, std::uint64_t(0x1f000));
    }

    void anImageNotAtTheSlotStartCountsFromTheSlotStart() {
        const auto f = fit(at(0x08020200, 0x100), wolf_, "boot");
        QVERIFY(f.ok());
        QCOMPARE(f->offset, std::uint64_t(0x20200));
        QCOMPARE(f->used, std::uint64_t(0x300));
    }

    void outsideInFlashNoPartitionCovers() {
        const auto f = fit(at(0x08090000, 0x100), wolf_, "boot");
        QVERIFY(!f.ok());
        QCOMPARE(f.error().code, Errc::OutOfRange);
        QCOMPARE(f.error().field, std::string("boot"));
        QCOMPARE(f.error().message,
                 std::string(
                     "the image's bytes at offset 0x90000..0x90100 (CPU 0x08090000..0x08090100) lie outside "
                     "boot (offset 0x20000..0x40000 (CPU 0x08020000..0x08040000)), in flash that no "
                     "partition covers"));
    }

    void straddlingTwoPartitions() {
        const auto f = fit(at(0x0803ff00, 0x200), wolf_, "boot");
        QVERIFY(!f.ok());
        QCOMPARE(f.error().code, Errc::OutOfRange);
        QVERIFY2(f.error().message.starts_with("the image's bytes at offset 0x40000..0x40100 (CPU "
                                               "0x08040000..0x08040100) lie outside boot") &&
                     f.error().message.ends_with(
                         ", in update (overlap offset 0x40000..0x40100 (CPU 0x08040000..0x08040100))"),
                 f.error().message.c_str());
    }

    void belowThePartitionInAnother() {
        const auto f = fit(at(0x0801ff00, 0x200), wolf_, "boot");
        QVERIFY(!f.ok());
        QVERIFY2(f.error().message.find("offset 0x1ff00..0x20000") != std::string::npos &&
                     f.error().message.find("in wolfboot (overlap offset 0x1ff00..0x20000") !=
                         std::string::npos,
                 f.error().message.c_str());
    }

    void inTheWrongPartitionEntirely() {
        const auto f = fit(at(0x08040000, 0x100), wolf_, "boot");
        QVERIFY(!f.ok());
        QVERIFY2(f.error().message.find("in update (overlap offset 0x40000..0x40100") != std::string::npos,
                 f.error().message.c_str());
    }

    void pastTheEndOrBelowTheDevice() {
        const auto past = fit(at(0x080fff00, 0x200), wolf_, "swap");
        QVERIFY(!past.ok());
        QVERIFY2(past.error().message.ends_with("past the end of flash0 (1 MiB)"),
                 past.error().message.c_str());
        const auto below = fit(at(0x07ff0000, 0x100), wolf_, "wolfboot");
        QVERIFY(!below.ok());
        QCOMPARE(
            below.error().message,
            std::string(
                "the image's bytes at 0x07ff0000..0x07ff0100 lie below flash0, which starts at 0x08000000"));
    }

    void tooBigOnceTheTrailerReserveIsCounted() {
        const Image image = relative(0x1f000);
        const auto roomy = fit(image, wolf_, "boot");
        QVERIFY(roomy->fits);
        QCOMPARE(roomy->freeBytes, std::uint64_t(0x1000));
        const auto tight = fit(image, wolf_, "boot", 0x2000);
        QVERIFY(tight.ok()); // it lands inside the partition: not an error, it just does not fit
        QVERIFY(!tight->fits);
        QCOMPARE(tight->available, std::uint64_t(0x1e000));
        QCOMPARE(tight->trailerReserve, std::uint64_t(0x2000));
        QCOMPARE(tight->freeBytes, std::uint64_t(0));
        QCOMPARE(tight->shortfall, std::uint64_t(0x1000));
        const auto exact = fit(image, wolf_, "boot", 0x1000);
        QVERIFY(exact->fits);
        QCOMPARE(exact->freeBytes, std::uint64_t(0));
        QVERIFY(!fit(relative(1), wolf_, "boot", 0x30000)->fits); // a reserve larger than the slot
    }

    void theHeaderClaimsItsWholeSize() {
        // A truncated MCUboot image still claims header + payload + TLVs.
        Bytes cut = fixtures::makeMcubootImage({});
        cut.resize(0x640);
        const Image image = at(0x08020000, cut);
        const auto f = fit(image, wolf_, "boot");
        QVERIFY(f.ok());
        QCOMPARE(f->end, std::uint64_t(0x20698));
        QCOMPARE(f->used, std::uint64_t(0x698));

        // wolfBoot: header + image size, the partition trailer reserved by the caller.
        fixtures::WolfbootSpec spec;
        spec.payload = fixtures::pattern(0x1fe00 - 256);
        const Image signedImage =
            *loadRawBinary(fixtures::asString(fixtures::makeWolfbootImage(spec)), "image_v7_signed.bin");
        const auto w = fit(signedImage, wolf_, "update", 0x200);
        QVERIFY(w.ok());
        QCOMPARE(w->used, std::uint64_t(0x1fe00));
        QVERIFY(w->fits);
        QCOMPARE(w->freeBytes, std::uint64_t(0));
    }

    void externalFlashThroughItsXipWindow() {
        const Layout nrf = *ExampleLayouts::load("nrf52840-mcuboot-external", db_);
        const auto f = fit(at(0x12000000, 0x100), nrf, "slot1_partition");
        QVERIFY2(f.ok(), f.ok() ? "" : f.error().toString().c_str());
        QCOMPARE(f->device, std::string("mx25r64"));
        QCOMPARE(f->offset, std::uint64_t(0));
        // A HEX linked for the primary slot cannot be placed in the secondary by its addresses.
        const auto primary = fit(at(0xc000, 0x100), nrf, "slot1_partition");
        QVERIFY(!primary.ok());
        QVERIFY2(primary.error().message.find("lie below mx25r64") != std::string::npos,
                 primary.error().message.c_str());
    }

    void absoluteAddressesNeedAMappedDevice() {
        const Layout l = customLayout(std::nullopt, {partition("slot", 0, 0x10000)});
        const auto f = fit(at(0x1000, 0x10), l, "slot");
        QCOMPARE(f.error().code, Errc::NotSupported);
        QCOMPARE(f.error().field, std::string("slot"));
        const auto raw = fit(relative(0x10), l, "slot");
        QVERIFY(raw.ok());
        QCOMPARE(raw->ranges.front().cpuAddress, std::optional<std::uint64_t>());
    }

    void nestedPartitionsAreNotForeignButOverlappingOnesAre() {
        const Layout l =
            customLayout(0x10000000, {partition("slot0", 0, 0x10000), partition("pad", 0, 0x200, "slot0"),
                                      partition("stray", 0x8000, 0x1000)});
        QVERIFY(fit(at(0x10000000, 0x100), l, "slot0").ok()); // over its child "pad"
        const auto f = fit(at(0x10007f00, 0x200), l, "slot0");
        QVERIFY(!f.ok());
        QCOMPARE(f.error().message,
                 std::string("the image's bytes at offset 0x8000..0x8100 (CPU "
                             "0x10008000..0x10008100) lie in stray too, which overlaps slot0"));
        // An image for the child may not spill into the rest of its parent.
        const auto child = fit(at(0x10000100, 0x200), l, "pad");
        QVERIFY(!child.ok());
        QVERIFY2(child.error().message.ends_with(
                     "lie outside pad (offset 0x0..0x200 (CPU 0x10000000..0x10000200)), "
                     "in the rest of slot0"),
                 child.error().message.c_str());
    }

    void badArguments() {
        QCOMPARE(fitImage(relative(1), {}, wolf_, 99).error().code, Errc::InvalidArgument);
        QCOMPARE(fitImage(Image(), {}, wolf_, 1).error().code, Errc::InvalidArgument);
        Layout broken = wolf_;
        broken.partitions[1].device = "flash9";
        QCOMPARE(fitImage(relative(1), {}, broken, 1).error().code, Errc::NotFound);
    }
};

QTEST_GUILESS_MAIN(TestImageFit)
#include "tst_imagefit.moc"
