// SPDX-License-Identifier: Apache-2.0
// The trailer's fields and magic, worked out by hand from bootutil (mcu-tools/mcuboot, commit 2d4bacc3):
// bootutil_misc.h for the offsets, bootutil_public.c for boot_img_magic and boot_write_magic(),
// bootutil_area.c for boot_trailer_sz().
#include "boot/TrailerLayout.h"

#include <QtTest>

using namespace flashplan;
using namespace flashplan::mcuboot;

namespace {

TrailerConfig config(UpgradeMode mode, std::uint64_t writeSize, std::uint64_t maxAlign,
                     std::uint64_t maxImgSectors = 128) {
    TrailerConfig c;
    c.mode = mode;
    c.writeSize = writeSize;
    c.maxAlign = maxAlign;
    c.maxImgSectors = maxImgSectors;
    return c;
}

TrailerLayout layoutOf(const TrailerConfig& c, std::uint64_t slot) {
    auto t = trailerLayout(c, slot);
    if (!t)
        qFatal("%s", t.error().toString().c_str());
    return *t;
}

} // namespace

class TestTrailerLayout : public QObject {
    Q_OBJECT
private slots:
    void classicMagicForMaxAlign8() {
        // bootutil_public.c: boot_img_magic with BOOT_MAX_ALIGN == 8.
        const BootMagic expected{0x77, 0xc2, 0x95, 0xf3, 0x60, 0xd2, 0xef, 0x7f,
                                 0x35, 0x52, 0x50, 0x0f, 0x2c, 0xb6, 0x79, 0x80};
        QVERIFY(bootMagic(8) == expected);
        QCOMPARE(magicMaxAlign(expected), std::optional<std::uint64_t>(8));
    }

    void alignedMagicAboveMaxAlign8() {
        // bootutil_public.c: .align = BOOT_MAX_ALIGN (a uint16, little-endian here), then 14 bytes.
        const BootMagic m32{0x20, 0x00, 0x2d, 0xe1, 0x5d, 0x29, 0x41, 0x0b,
                            0x8d, 0x77, 0x67, 0x9c, 0x11, 0x0f, 0x1f, 0x8a};
        QVERIFY(bootMagic(32) == m32);
        BootMagic m16 = m32;
        m16[0] = 0x10;
        QVERIFY(bootMagic(16) == m16);
        QCOMPARE(magicMaxAlign(m32), std::optional<std::uint64_t>(32));
        QCOMPARE(magicMaxAlign(m16), std::optional<std::uint64_t>(16));
        // Not a magic at all, or the wrong length.
        BootMagic other = m32;
        other[15] ^= 1;
        QCOMPARE(magicMaxAlign(other), std::optional<std::uint64_t>());
        QCOMPARE(magicMaxAlign(std::span<const std::uint8_t>(m32).first(15)), std::optional<std::uint64_t>());
    }

    // swap-using-scratch, BOOT_WRITE_SZ 1, BOOT_MAX_ALIGN 8, BOOT_MAX_IMG_SECTORS 128, a 0x4000 slot.
    void scratchAlign1MaxAlign8() {
        const TrailerLayout t = layoutOf(config(UpgradeMode::SwapUsingScratch, 1, 8), 0x4000);
        // boot_magic_off() = 0x4000 - 16.
        QCOMPARE(t.magic, (TrailerField{0x3ff0, 16}));
        // boot_write_magic(): BOOT_MAGIC_ALIGN_SIZE (16) bytes at ALIGN_DOWN(0x3ff0, 8).
        QCOMPARE(t.magicArea, (TrailerField{0x3ff0, 16}));
        // boot_image_ok_off() = ALIGN_DOWN(0x3ff0 - 8, 8) = 0x3fe8; then copy_done, swap_info, swap_size
        // each 8 lower.
        QCOMPARE(t.imageOk, (TrailerField{0x3fe8, 8}));
        QCOMPARE(t.copyDone, (TrailerField{0x3fe0, 8}));
        QCOMPARE(t.swapInfo, (TrailerField{0x3fd8, 8}));
        QVERIFY(!t.unprotectedTlvSizes);
        QCOMPARE(t.swapSize, (TrailerField{0x3fd0, 8}));
        QVERIFY(t.encKeys.empty());
        // boot_trailer_sz(1) = 128 * 3 * 1 + 8 * 4 + 16 = 0x1b0; the status fills 0x180 of it.
        QCOMPARE(t.trailerStart, quint64(0x4000 - 0x1b0));
        QCOMPARE(t.status, (TrailerField{0x3e50, 0x180}));
        QCOMPARE(t.areaStart, t.trailerStart);
        QCOMPARE(t.stateStart(), quint64(0x3fd8));
        QCOMPARE(t.areaSize(), quint64(0x1b0));
    }

    // BOOT_WRITE_SZ 32 and BOOT_MAX_ALIGN 32, a 0x8000 slot: every field 32 wide, the magic area too.
    void scratchAlign32MaxAlign32() {
        const TrailerLayout t = layoutOf(config(UpgradeMode::SwapUsingScratch, 32, 32), 0x8000);
        QCOMPARE(t.magic, (TrailerField{0x7ff0, 16}));
        // BOOT_MAGIC_ALIGN_SIZE = ALIGN_UP(16, 32) = 32 from ALIGN_DOWN(0x7ff0, 32) = 0x7fe0.
        QCOMPARE(t.magicArea, (TrailerField{0x7fe0, 32}));
        // ALIGN_DOWN(0x7ff0 - 32, 32) = 0x7fc0.
        QCOMPARE(t.imageOk, (TrailerField{0x7fc0, 32}));
        QCOMPARE(t.copyDone, (TrailerField{0x7fa0, 32}));
        QCOMPARE(t.swapInfo, (TrailerField{0x7f80, 32}));
        QCOMPARE(t.swapSize, (TrailerField{0x7f60, 32}));
        // 128 * 3 * 32 + 32 * 4 + 32 = 0x30a0.
        QCOMPARE(t.trailerStart, quint64(0x8000 - 0x30a0));
        QCOMPARE(t.status.end(), t.swapSize.offset);
    }

    // swap-using-offset keeps the unprotected TLV sizes below swap_info and has 2 status states.
    void swapOffsetHasTlvSizes() {
        const TrailerLayout t = layoutOf(config(UpgradeMode::SwapUsingOffset, 4, 8), 0x10000);
        QCOMPARE(t.swapInfo, (TrailerField{0xffd8, 8}));
        QVERIFY(t.unprotectedTlvSizes);
        QCOMPARE(*t.unprotectedTlvSizes, (TrailerField{0xffd0, 8}));
        QCOMPARE(t.swapSize, (TrailerField{0xffc8, 8}));
        // 128 * 2 * 4 + 8 * 5 + 16 = 0x438.
        QCOMPARE(t.trailerStart, quint64(0x10000 - 0x438));
        QCOMPARE(t.status.end(), t.swapSize.offset);
    }

    // MCUBOOT_ENC_IMAGES: two keys of BOOT_ENC_KEY_ALIGN_SIZE below swap_size, slot 0 first.
    void encryptionKeysBelowSwapSize() {
        TrailerConfig c = config(UpgradeMode::SwapUsingMove, 8, 8);
        c.encryption.enabled = true; // AES-128: 16-byte keys
        const TrailerLayout t = layoutOf(c, 0x20000);
        QCOMPARE(t.swapSize, (TrailerField{0x1ffd0, 8}));
        QCOMPARE(t.encKeys.size(), std::size_t(2));
        QCOMPARE(t.encKeys[0], (TrailerField{0x1ffc0, 16}));
        QCOMPARE(t.encKeys[1], (TrailerField{0x1ffb0, 16}));
        QCOMPARE(t.status.end(), t.encKeys[1].offset);
        // MCUBOOT_SWAP_SAVE_ENCTLV with EC256: 65 + 32 + 16 = 113, rounded up to 8: 120 each.
        c.encryption.saveEncTlv = true;
        const TrailerLayout s = layoutOf(c, 0x20000);
        QCOMPARE(s.encKeys[0], (TrailerField{0x1ffd0 - 120, 120}));
        QCOMPARE(s.status.end(), s.encKeys[1].offset);
    }

    // overwrite-only, direct-xip and ram-load let the image run up to swap_info
    // (bootutil_max_image_size()), so the area to clear starts there.
    void nonSwapModesClearFromSwapInfo() {
        for (UpgradeMode mode : {UpgradeMode::OverwriteOnly, UpgradeMode::DirectXip, UpgradeMode::RamLoad}) {
            const TrailerLayout t = layoutOf(config(mode, 4, 8), 0x4000);
            QCOMPARE(t.areaStart, t.swapInfo.offset);
            QCOMPARE(t.areaStart, quint64(0x3fd8));
        }
        // A swap mode clears its status area too.
        const TrailerLayout m = layoutOf(config(UpgradeMode::SwapUsingMove, 4, 8), 0x4000);
        QCOMPARE(m.areaStart, m.trailerStart);
    }

    // The fields tile the trailer with no gap and no overlap, whatever the alignments.
    void fieldsTileTheTrailer() {
        for (UpgradeMode mode : {UpgradeMode::SwapUsingScratch, UpgradeMode::SwapUsingMove,
                                 UpgradeMode::SwapUsingOffset, UpgradeMode::OverwriteOnly})
            for (std::uint64_t maxAlign : {8, 16, 32})
                for (std::uint64_t write : {1, 2, 4, 8, 16, 32}) {
                    if (write > maxAlign)
                        continue;
                    for (bool enc : {false, true}) {
                        TrailerConfig c = config(mode, write, maxAlign);
                        c.encryption.enabled = enc;
                        const TrailerLayout t = layoutOf(c, 0x40000);
                        std::vector<TrailerField> fields{t.status,   t.swapSize, t.swapInfo,
                                                         t.copyDone, t.imageOk,  t.magicArea};
                        if (t.unprotectedTlvSizes)
                            fields.push_back(*t.unprotectedTlvSizes);
                        fields.insert(fields.end(), t.encKeys.begin(), t.encKeys.end());
                        std::sort(
                            fields.begin(), fields.end(),
                            [](const TrailerField& a, const TrailerField& b) { return a.offset < b.offset; });
                        QCOMPARE(fields.front().offset, t.trailerStart);
                        for (std::size_t i = 1; i < fields.size(); ++i)
                            QCOMPARE(fields[i].offset, fields[i - 1].end());
                        QCOMPARE(fields.back().end(), quint64(0x40000));
                        QCOMPARE(t.magic.end(), quint64(0x40000));
                        QCOMPARE(0x40000 - t.trailerStart, trailerSize(c));
                    }
                }
    }

    void refusesWhatBootutilRefuses() {
        // BOOT_MAX_ALIGN must be a power of two, and 8..32 in the swap modes.
        auto r = trailerLayout(config(UpgradeMode::SwapUsingScratch, 4, 12), 0x4000);
        QVERIFY(!r);
        QCOMPARE(r.error().code, Errc::InvalidArgument);
        r = trailerLayout(config(UpgradeMode::SwapUsingMove, 4, 64), 0x4000);
        QVERIFY(!r);
        QCOMPARE(r.error().code, Errc::InvalidArgument);
        QVERIFY(trailerLayout(config(UpgradeMode::OverwriteOnly, 4, 64), 0x4000));
        // boot_write_trailer() asserts the write size does not exceed BOOT_MAX_ALIGN: align 32 with
        // max-align 8 is no configuration bootutil can run.
        r = trailerLayout(config(UpgradeMode::SwapUsingScratch, 32, 8), 0x8000);
        QVERIFY(!r);
        QCOMPARE(r.error().code, Errc::InvalidArgument);
        QVERIFY(QString::fromStdString(r.error().message).contains("BOOT_MAX_ALIGN 8"));
        r = trailerLayout(config(UpgradeMode::SwapUsingScratch, 3, 8), 0x8000);
        QVERIFY(!r);
        // A slot that is not a multiple of BOOT_MAX_ALIGN.
        r = trailerLayout(config(UpgradeMode::SwapUsingScratch, 4, 8), 0x4004);
        QVERIFY(!r);
        QCOMPARE(r.error().code, Errc::Misaligned);
        // A slot smaller than the trailer.
        r = trailerLayout(config(UpgradeMode::SwapUsingScratch, 32, 32), 0x2000);
        QVERIFY(!r);
        QCOMPARE(r.error().code, Errc::OutOfRange);
    }
};

QTEST_APPLESS_MAIN(TestTrailerLayout)
#include "tst_trailerlayout.moc"
