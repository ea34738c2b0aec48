// SPDX-License-Identifier: Apache-2.0
// Trailer bytes for test, permanent and confirm requests against the padded images the real imgtool made
// (tests/data/mcuboot, mcu-tools/mcuboot commit 2d4bacc3), byte for byte, at write alignments 1, 4, 8
// and 32 with BOOT_MAX_ALIGN 8 and 32; reading them back as boot_read_swap_state() does; and the write
// boot_set_confirmed() makes.
#include "McubootFixtures.h"
#include "boot/TrailerReader.h"
#include "boot/TrailerRequest.h"

#include <QtTest>

using namespace flashplan;
using namespace flashplan::mcuboot;
using mcubootfixtures::Bytes;
using mcubootfixtures::Padded;

namespace {

TrailerConfig configOf(const Padded& p, UpgradeMode mode = UpgradeMode::SwapUsingScratch) {
    TrailerConfig c;
    c.mode = mode;
    c.writeSize = p.align;
    c.maxAlign = p.maxAlign;
    c.maxImgSectors = p.maxSectors;
    return c;
}

TrailerLayout layoutOf(const TrailerConfig& c, std::uint64_t slot) {
    auto t = trailerLayout(c, slot);
    if (!t)
        qFatal("%s", t.error().toString().c_str());
    return *t;
}

Bytes slice(const Bytes& b, std::uint64_t from, std::uint64_t to) {
    return Bytes(b.begin() + static_cast<std::ptrdiff_t>(from), b.begin() + static_cast<std::ptrdiff_t>(to));
}

/// The bytes of a padded image the way a test prints them when they differ: the first differing offset.
QString firstDifference(const Bytes& a, const Bytes& b, std::uint64_t base) {
    for (std::size_t i = 0; i < std::min(a.size(), b.size()); ++i)
        if (a[i] != b[i])
            return QString("0x%1: 0x%2 vs 0x%3")
                .arg(base + i, 0, 16)
                .arg(a[i], 2, 16, QChar('0'))
                .arg(b[i], 2, 16, QChar('0'));
    return QString("sizes %1 vs %2").arg(a.size()).arg(b.size());
}

/// imgtool's Image._trailer_size() for the swap modes: status area plus four fields plus the magic.
std::uint64_t imgtoolTrailerSize(const Padded& p) {
    const std::uint64_t magicAlign = std::max<std::uint64_t>(16, p.maxAlign);
    return p.maxSectors * 3 * p.align + p.maxAlign * 4 + magicAlign;
}

} // namespace

class TestTrailerRequest : public QObject {
    Q_OBJECT
private slots:
    void requestNames() {
        for (UpgradeRequest r :
             {UpgradeRequest::None, UpgradeRequest::Test, UpgradeRequest::Permanent, UpgradeRequest::Confirm})
            QCOMPARE(upgradeRequestFromString(to_string(r)), std::optional<UpgradeRequest>(r));
        QCOMPARE(to_string(UpgradeRequest::Permanent), std::string_view("permanent"));
        QVERIFY(!upgradeRequestFromString("perm"));
    }

    // The whole trailer area equals imgtool's, for test (--pad) and for permanent and confirm
    // (--pad --confirm), in the swap modes whose trailer imgtool sizes (scratch and move).
    void requestBytesEqualImgtools_data() {
        QTest::addColumn<QString>("file");
        for (const Padded& p : mcubootfixtures::paddedImages())
            QTest::newRow(p.file.c_str()) << QString::fromStdString(p.file);
    }
    void requestBytesEqualImgtools() {
        QFETCH(QString, file);
        Padded p;
        for (const Padded& candidate : mcubootfixtures::paddedImages())
            if (candidate.file == file.toStdString())
                p = candidate;
        const Bytes image = mcubootfixtures::read(p.file);
        QCOMPARE(image.size(), std::size_t(p.slotSize));
        for (UpgradeMode mode : {UpgradeMode::SwapUsingScratch, UpgradeMode::SwapUsingMove}) {
            const TrailerLayout t = layoutOf(configOf(p, mode), p.slotSize);
            // bootutil's trailer is the one imgtool pads for.
            QCOMPARE(t.trailerStart, p.slotSize - imgtoolTrailerSize(p));
            const Bytes theirs = slice(image, t.areaStart, p.slotSize);
            const std::vector<UpgradeRequest> requests =
                p.confirm ? std::vector{UpgradeRequest::Permanent, UpgradeRequest::Confirm}
                          : std::vector{UpgradeRequest::Test};
            for (UpgradeRequest request : requests) {
                const TrailerBytes ours = requestTrailer(t, request, 0xff);
                QCOMPARE(ours.offset, t.areaStart);
                QVERIFY2(ours.bytes == theirs, qPrintable(firstDifference(ours.bytes, theirs, t.areaStart)));
            }
            // The other request differs, and so does none.
            const auto other =
                requestTrailer(t, p.confirm ? UpgradeRequest::Test : UpgradeRequest::Permanent, 0xff);
            QVERIFY(other.bytes != theirs);
            QVERIFY(requestTrailer(t, UpgradeRequest::None, 0xff).bytes != theirs);
        }
    }

    // imgtool --overwrite-only writes no image_ok, even with --confirm; nor do we in overwrite-only.
    void overwriteOnlyLeavesImageOkErased() {
        const Bytes image = mcubootfixtures::read("pad-confirm-overwrite-a4-m8-s0x4000.bin");
        QCOMPARE(image.size(), std::size_t(0x4000));
        TrailerConfig c;
        c.mode = UpgradeMode::OverwriteOnly;
        c.writeSize = 4;
        const TrailerLayout t = layoutOf(c, 0x4000);
        for (UpgradeRequest r : {UpgradeRequest::Test, UpgradeRequest::Permanent, UpgradeRequest::Confirm})
            QVERIFY(requestTrailer(t, r, 0xff).bytes == slice(image, t.areaStart, 0x4000));
    }

    // A device that erases to 0x00 (imgtool -R 0): every erased byte of the area is 0x00.
    void erasedValueZero() {
        const Bytes image = mcubootfixtures::read("pad-confirm-erased0-a4-m8-s0x4000.bin");
        QCOMPARE(image.size(), std::size_t(0x4000));
        const TrailerLayout t = layoutOf(configOf({"", 4, 8, 0x4000}), 0x4000);
        QVERIFY(requestTrailer(t, UpgradeRequest::Permanent, 0x00).bytes ==
                slice(image, t.areaStart, 0x4000));
        QVERIFY(requestTrailer(t, UpgradeRequest::Permanent, 0xff).bytes !=
                slice(image, t.areaStart, 0x4000));
        const auto read = readTrailer(t, slice(image, t.areaStart, 0x4000), 0x00);
        QVERIFY(read);
        QCOMPARE(read->state.magic, MagicState::Good);
        QCOMPARE(read->state.imageOk, FlagState::Set);
        QCOMPARE(read->state.copyDone, FlagState::Unset);
    }

    // boot_read_swap_state() on imgtool's trailers.
    void readsImgtoolsTrailers() {
        for (const Padded& p : mcubootfixtures::paddedImages()) {
            const Bytes image = mcubootfixtures::read(p.file);
            const TrailerLayout t = layoutOf(configOf(p), p.slotSize);
            const auto r = readTrailer(t, slice(image, t.areaStart, p.slotSize), 0xff);
            QVERIFY(r);
            const SwapState expected{MagicState::Good, SwapType::None, FlagState::Unset,
                                     p.confirm ? FlagState::Set : FlagState::Unset, 0};
            QVERIFY2(r->state == expected, p.file.c_str());
            QCOMPARE(r->magicMaxAlign, std::optional<std::uint64_t>(p.maxAlign));
            QCOMPARE(r->swapInfo, std::uint8_t(0xff));
            QCOMPARE(r->imageOk, std::uint8_t(p.confirm ? 0x01 : 0xff));
            QVERIFY(!r->swapSize);
            QCOMPARE(r->statusErased, std::optional<bool>(true));
            QCOMPARE(r->areaErased, std::optional<bool>(false));
            // The fields boot_read_swap_state() reads are enough; the rest is then unknown.
            const auto minimal = readTrailer(t, slice(image, t.stateStart(), p.slotSize), 0xff);
            QVERIFY(minimal);
            QVERIFY(minimal->state == expected);
            QVERIFY(!minimal->statusErased);
            QVERIFY(!minimal->areaErased);
        }
    }

    // A bootloader built with BOOT_MAX_ALIGN 8 reads a BOOT_MAX_ALIGN 32 magic as bad, and the reader
    // says whose it is.
    void otherMaxAlignsMagicIsBad() {
        const Bytes image = mcubootfixtures::read("pad-test-a4-m32-s0x6000.bin");
        const TrailerLayout t = layoutOf(configOf({"", 4, 8, 0x6000}), 0x6000);
        const auto r = readTrailer(t, slice(image, t.areaStart, 0x6000), 0xff);
        QVERIFY(r);
        QCOMPARE(r->state.magic, MagicState::Bad);
        QCOMPARE(r->magicMaxAlign, std::optional<std::uint64_t>(32));
    }

    void readsEveryField() {
        const TrailerLayout t = layoutOf(configOf({"", 4, 8, 0x4000}), 0x4000);
        Bytes tail(t.areaSize(), 0xff);
        const auto put = [&](const TrailerField& f, std::initializer_list<std::uint8_t> bytes) {
            std::copy(bytes.begin(), bytes.end(), tail.begin() + (f.offset - t.areaStart));
        };
        // All erased: unset magic, no swap, flags unset, the area erased.
        auto r = readTrailer(t, tail, 0xff);
        QVERIFY(r);
        QVERIFY(r->state == kErasedSwapState);
        QCOMPARE(r->areaErased, std::optional<bool>(true));
        // swap_info 0x12: image 1, BOOT_SWAP_TYPE_TEST; copy_done 0x01 set; image_ok 0x00 bad; a swap
        // size; a status byte written.
        put(t.swapInfo, {0x12});
        put(t.copyDone, {0x01});
        put(t.imageOk, {0x00});
        put(t.swapSize, {0x00, 0x34, 0x01, 0x00});
        put(t.status, {0x01});
        r = readTrailer(t, tail, 0xff);
        QVERIFY(r);
        QCOMPARE(r->state.swapType, SwapType::Test);
        QCOMPARE(r->state.imageNum, std::uint8_t(1));
        QCOMPARE(r->state.copyDone, FlagState::Set);
        QCOMPARE(r->state.imageOk, FlagState::Bad);
        QCOMPARE(r->swapSize, std::optional<std::uint32_t>(0x13400));
        QCOMPARE(r->statusErased, std::optional<bool>(false));
        QCOMPARE(r->areaErased, std::optional<bool>(false));
        // A magic that is written but not MCUboot's is bad, and nobody's.
        put(t.magic, {0x12, 0x34});
        r = readTrailer(t, tail, 0xff);
        QCOMPARE(r->state.magic, MagicState::Bad);
        QVERIFY(!r->magicMaxAlign);
        // A type above BOOT_SWAP_TYPE_REVERT reads as none, image 0.
        put(t.swapInfo, {0x25});
        r = readTrailer(t, tail, 0xff);
        QCOMPARE(r->state.swapType, SwapType::None);
        QCOMPARE(r->state.imageNum, std::uint8_t(0));
        // A type nibble of 0 is kept as bootutil keeps it.
        put(t.swapInfo, {0x10});
        r = readTrailer(t, tail, 0xff);
        QCOMPARE(static_cast<int>(r->state.swapType), 0);
        QCOMPARE(to_string(r->state.swapType), std::string_view("unknown"));
        QCOMPARE(r->state.imageNum, std::uint8_t(1));
    }

    void refusesShortTails() {
        const TrailerLayout t = layoutOf(configOf({"", 4, 8, 0x4000}), 0x4000);
        const Bytes shortTail(t.slotSize - t.stateStart() - 1, 0xff);
        const auto r = readTrailer(t, shortTail, 0xff);
        QVERIFY(!r);
        QCOMPARE(r.error().code, Errc::OutOfRange);
        QVERIFY(!readTrailer(t, Bytes(0x4001, 0xff), 0xff));
    }

    // boot_set_confirmed() on a slot holding imgtool's test trailer writes exactly what makes imgtool's
    // confirmed trailer, at every alignment.
    void setConfirmedTurnsTestIntoConfirm() {
        const auto padded = mcubootfixtures::paddedImages();
        for (const Padded& p : padded) {
            if (p.confirm)
                continue;
            const Padded* confirmed = nullptr;
            for (const Padded& c : padded)
                if (c.confirm && c.align == p.align && c.maxAlign == p.maxAlign && c.slotSize == p.slotSize &&
                    c.maxSectors == p.maxSectors)
                    confirmed = &c;
            QVERIFY(confirmed);
            const TrailerLayout t = layoutOf(configOf(p), p.slotSize);
            Bytes tail = slice(mcubootfixtures::read(p.file), t.areaStart, p.slotSize);
            const auto state = readTrailer(t, tail, 0xff);
            QVERIFY(state);
            const auto write = setConfirmedWrite(t, state->state, p.align, 0xff);
            QVERIFY(write);
            QVERIFY(write->has_value());
            QCOMPARE((*write)->offset, t.imageOk.offset);
            QCOMPARE((*write)->bytes.size(), std::size_t(p.align)); // ALIGN_UP(1, flash_area_align())
            std::copy((*write)->bytes.begin(), (*write)->bytes.end(),
                      tail.begin() + ((*write)->offset - t.areaStart));
            const Bytes expected = slice(mcubootfixtures::read(confirmed->file), t.areaStart, p.slotSize);
            QVERIFY2(tail == expected, p.file.c_str());
            // Confirming again writes nothing.
            const auto again = setConfirmedWrite(t, readTrailer(t, tail, 0xff)->state, p.align, 0xff);
            QVERIFY(again);
            QVERIFY(!again->has_value());
        }
    }

    void setConfirmedLeavesUnsetAndRefusesBad() {
        const TrailerLayout t = layoutOf(configOf({"", 4, 8, 0x4000}), 0x4000);
        // An unset magic in the active slot is left alone (boot_set_next(active = true)).
        auto w = setConfirmedWrite(t, kErasedSwapState, 4, 0xff);
        QVERIFY(w);
        QVERIFY(!w->has_value());
        SwapState bad;
        bad.magic = MagicState::Bad;
        w = setConfirmedWrite(t, bad, 4, 0xff);
        QVERIFY(!w);
        QCOMPARE(w.error().code, Errc::Schema);
        QVERIFY(QString::fromStdString(w.error().message).contains("BOOT_EBADVECT"));
        SwapState good;
        good.magic = MagicState::Good;
        w = setConfirmedWrite(t, good, 16, 0xff); // wider than BOOT_MAX_ALIGN 8
        QVERIFY(!w);
        QCOMPARE(w.error().code, Errc::InvalidArgument);
        // After a swap (copy_done set) the image_ok write is the same one.
        good.copyDone = FlagState::Set;
        w = setConfirmedWrite(t, good, 1, 0x00);
        QVERIFY(w && w->has_value());
        QCOMPARE((*w)->bytes, Bytes{0x01});
    }
};

QTEST_APPLESS_MAIN(TestTrailerRequest)
#include "tst_trailerrequest.moc"
