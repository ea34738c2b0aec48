// SPDX-License-Identifier: Apache-2.0
// The next-boot decision: boot_swap_tables row by row, the fall-through cases, an independent reading
// of the table checked over every trailer state, and the secondary image's check as loader.c applies it
// (mcu-tools/mcuboot commit 2d4bacc3).
#include "McubootFixtures.h"
#include "boot/ImageCheck.h"
#include "boot/SwapDecision.h"
#include "boot/TrailerReader.h"
#include "boot/TrailerRequest.h"

#include <QtTest>

using namespace flashplan;
using namespace flashplan::mcuboot;
using mcubootfixtures::Bytes;

namespace {

using M = MagicState;
using F = FlagState;

SwapState state(M magic, F imageOk, F copyDone = F::Unset) {
    SwapState s;
    s.magic = magic;
    s.imageOk = imageOk;
    s.copyDone = copyDone;
    return s;
}

const SwapState erased = kErasedSwapState;
const SwapState testRequest = state(M::Good, F::Unset);                // imgtool --pad
const SwapState permRequest = state(M::Good, F::Set);                  // imgtool --pad --confirm
const SwapState swappedUnconfirmed = state(M::Good, F::Unset, F::Set); // primary after a test swap
const SwapState swappedConfirmed = state(M::Good, F::Set, F::Set);

constexpr UpgradeMode kTableModes[] = {UpgradeMode::SwapUsingScratch, UpgradeMode::SwapUsingMove,
                                       UpgradeMode::OverwriteOnly};

SwapTypeDecision decide(UpgradeMode mode, const SwapState& primary,
                        const std::optional<SwapState>& secondary) {
    return swapTypeMulti(mode, primary, secondary);
}

/// The table as bootutil's comments and rows read, written as conditions rather than data.
SwapType oracle(UpgradeMode mode, const SwapState& p, const SwapState& s) {
    if (mode == UpgradeMode::SwapUsingOffset && s.magic == M::Good && s.imageOk == F::Unset &&
        s.copyDone == F::Set)
        return SwapType::Revert;
    if (s.magic == M::Good && s.imageOk == F::Unset)
        return SwapType::Test;
    if (s.magic == M::Good && s.imageOk == F::Set)
        return SwapType::Perm;
    if (p.magic == M::Good && p.imageOk == F::Unset && p.copyDone == F::Set)
        return SwapType::Revert;
    return SwapType::None;
}

NextBoot next(NextBootInput in) {
    auto r = nextBoot(in);
    if (!r)
        qFatal("%s", r.error().toString().c_str());
    return *r;
}

} // namespace

class TestSwapDecision : public QObject {
    Q_OBJECT
private slots:
    // boot_swap_tables without MCUBOOT_SWAP_USING_OFFSET, column for column.
    void tableRows() {
        for (UpgradeMode mode : kTableModes) {
            const auto t = swapTable(mode);
            QCOMPARE(t.size(), std::size_t(3));
            QVERIFY(t[0].magicPrimary == M::Any && t[0].magicSecondary == M::Good &&
                    t[0].imageOkPrimary == F::Any && t[0].imageOkSecondary == F::Unset &&
                    t[0].copyDonePrimary == F::Any && t[0].copyDoneSecondary == F::Any &&
                    t[0].swapType == SwapType::Test);
            QVERIFY(t[1].magicPrimary == M::Any && t[1].magicSecondary == M::Good &&
                    t[1].imageOkPrimary == F::Any && t[1].imageOkSecondary == F::Set &&
                    t[1].copyDonePrimary == F::Any && t[1].copyDoneSecondary == F::Any &&
                    t[1].swapType == SwapType::Perm);
            QVERIFY(t[2].magicPrimary == M::Good && t[2].magicSecondary == M::Any &&
                    t[2].imageOkPrimary == F::Unset && t[2].imageOkSecondary == F::Any &&
                    t[2].copyDonePrimary == F::Set && t[2].copyDoneSecondary == F::Any &&
                    t[2].swapType == SwapType::Revert);
        }
        const auto o = swapTable(UpgradeMode::SwapUsingOffset);
        QCOMPARE(o.size(), std::size_t(4));
        QVERIFY(o[0].magicSecondary == M::Good && o[0].imageOkSecondary == F::Unset &&
                o[0].copyDoneSecondary == F::Set && o[0].magicPrimary == M::Any &&
                o[0].imageOkPrimary == F::Any && o[0].copyDonePrimary == F::Any &&
                o[0].swapType == SwapType::Revert);
        QVERIFY(o[1].magicSecondary == M::Good && o[1].imageOkSecondary == F::Unset &&
                o[1].copyDoneSecondary == F::Any && o[1].swapType == SwapType::Test);
        QVERIFY(o[2].magicSecondary == M::Good && o[2].imageOkSecondary == F::Set &&
                o[2].copyDoneSecondary == F::Any && o[2].swapType == SwapType::Perm);
        QVERIFY(o[3].magicPrimary == M::Good && o[3].imageOkPrimary == F::Unset &&
                o[3].copyDonePrimary == F::Set && o[3].magicSecondary == M::Any &&
                o[3].copyDoneSecondary == F::Any && o[3].swapType == SwapType::Revert);
    }

    // Each row, reached by states that match it and no row before it.
    void eachRowDecides() {
        for (UpgradeMode mode : kTableModes) {
            // Row 1, test: the secondary's magic good and image_ok unset, whatever the primary holds.
            QCOMPARE(decide(mode, erased, testRequest), (SwapTypeDecision{SwapType::Test, 0}));
            QCOMPARE(decide(mode, state(M::Bad, F::Bad, F::Set), testRequest),
                     (SwapTypeDecision{SwapType::Test, 0}));
            // The secondary has no copy_done column outside swap-using-offset.
            QCOMPARE(decide(mode, erased, state(M::Good, F::Unset, F::Set)),
                     (SwapTypeDecision{SwapType::Test, 0}));
            // Row 2, perm: image_ok set.
            QCOMPARE(decide(mode, erased, permRequest), (SwapTypeDecision{SwapType::Perm, 1}));
            QCOMPARE(decide(mode, swappedUnconfirmed, permRequest), (SwapTypeDecision{SwapType::Perm, 1}));
            // Row 3, revert: a swapped primary nobody confirmed.
            QCOMPARE(decide(mode, swappedUnconfirmed, erased), (SwapTypeDecision{SwapType::Revert, 2}));
            QCOMPARE(decide(mode, swappedUnconfirmed, state(M::Bad, F::Set)),
                     (SwapTypeDecision{SwapType::Revert, 2}));
            // The secondary comes first: a request there beats a pending revert.
            QCOMPARE(decide(mode, swappedUnconfirmed, testRequest), (SwapTypeDecision{SwapType::Test, 0}));
        }
        const UpgradeMode offset = UpgradeMode::SwapUsingOffset;
        // Row 1 of swap-using-offset: the secondary's copy_done set with image_ok unset is a revert.
        QCOMPARE(decide(offset, erased, state(M::Good, F::Unset, F::Set)),
                 (SwapTypeDecision{SwapType::Revert, 0}));
        QCOMPARE(decide(offset, erased, testRequest), (SwapTypeDecision{SwapType::Test, 1}));
        QCOMPARE(decide(offset, erased, state(M::Good, F::Unset, F::Bad)),
                 (SwapTypeDecision{SwapType::Test, 1}));
        QCOMPARE(decide(offset, erased, permRequest), (SwapTypeDecision{SwapType::Perm, 2}));
        QCOMPARE(decide(offset, swappedUnconfirmed, erased), (SwapTypeDecision{SwapType::Revert, 3}));
    }

    // No row matches: boot_swap_type_multi() falls through to BOOT_SWAP_TYPE_NONE.
    void fallThroughIsNone() {
        const SwapTypeDecision none{};
        for (UpgradeMode mode : {UpgradeMode::SwapUsingScratch, UpgradeMode::SwapUsingMove,
                                 UpgradeMode::SwapUsingOffset, UpgradeMode::OverwriteOnly}) {
            QCOMPARE(decide(mode, erased, erased), none);                  // freshly erased or flashed
            QCOMPARE(decide(mode, testRequest, erased), none);             // a test trailer in the primary
            QCOMPARE(decide(mode, permRequest, erased), none);             // a confirmed primary (imgtool)
            QCOMPARE(decide(mode, swappedConfirmed, erased), none);        // swapped, then confirmed
            QCOMPARE(decide(mode, erased, state(M::Good, F::Bad)), none);  // image_ok neither 1 nor erased
            QCOMPARE(decide(mode, erased, state(M::Bad, F::Unset)), none); // another magic (BOOT_MAX_ALIGN)
            QCOMPARE(decide(mode, erased, state(M::Bad, F::Set)), none);
            QCOMPARE(decide(mode, state(M::Bad, F::Unset, F::Set), erased),
                     none); // revert needs a good magic
            QCOMPARE(decide(mode, state(M::Good, F::Unset, F::Bad), erased), none);
            QCOMPARE(decide(mode, state(M::Good, F::Bad, F::Set), erased), none);
            QCOMPARE(decide(mode, erased, std::nullopt), none); // unreachable: treated as empty
        }
        // An unreachable secondary still lets the primary's revert through.
        QCOMPARE(decide(UpgradeMode::SwapUsingMove, swappedUnconfirmed, std::nullopt),
                 (SwapTypeDecision{SwapType::Revert, 2}));
    }

    // The data table against the conditions, over every state both slots can hold (3 x 3 x 3 each).
    void everyStateAgreesWithTheConditions() {
        const M magics[] = {M::Good, M::Bad, M::Unset};
        const F flags[] = {F::Set, F::Bad, F::Unset};
        std::vector<SwapState> states;
        for (M m : magics)
            for (F ok : flags)
                for (F done : flags)
                    states.push_back(state(m, ok, done));
        int checked = 0;
        for (UpgradeMode mode : {UpgradeMode::SwapUsingScratch, UpgradeMode::SwapUsingOffset})
            for (const SwapState& p : states)
                for (const SwapState& s : states) {
                    QCOMPARE(decide(mode, p, s).type, oracle(mode, p, s));
                    ++checked;
                }
        QCOMPARE(checked, 2 * 27 * 27);
    }

    void compatibilityChecks() {
        QVERIFY(magicCompatible(M::Any, M::Bad));
        QVERIFY(magicCompatible(M::NotGood, M::Unset));
        QVERIFY(magicCompatible(M::NotGood, M::Bad));
        QVERIFY(!magicCompatible(M::NotGood, M::Good));
        QVERIFY(magicCompatible(M::Good, M::Good));
        QVERIFY(!magicCompatible(M::Good, M::Unset));
        QVERIFY(flagCompatible(F::Any, F::Bad));
        QVERIFY(!flagCompatible(F::Unset, F::Set));
    }

    // The five device states, and what MCUboot does with each.
    void nextBootVerdicts() {
        NextBootInput in;
        in.mode = UpgradeMode::SwapUsingScratch;
        // (a) a fresh flash of slot0: both trailers erased.
        in.primary = erased;
        in.secondary = erased;
        NextBoot n = next(in);
        QCOMPARE(n.type, SwapType::None);
        QVERIFY(!n.row);
        QCOMPARE(n.verdict(), std::string("none"));
        // (b) a test request on slot1.
        in.secondary = testRequest;
        n = next(in);
        QCOMPARE(n.type, SwapType::Test);
        QCOMPARE(n.row, std::optional<std::size_t>(0));
        QCOMPARE(n.verdict(), std::string("test"));
        QVERIFY(QString::fromStdString(n.reason).contains("row 1 of boot_swap_tables (secondary: magic good, "
                                                          "image_ok unset)"));
        // (c) a permanent request.
        in.secondary = permRequest;
        QCOMPARE(next(in).verdict(), std::string("permanent"));
        // (d) swapped but not confirmed: the primary's trailer after a test swap.
        in.primary = swappedUnconfirmed;
        in.secondary = erased;
        n = next(in);
        QCOMPARE(n.verdict(), std::string("revert"));
        QCOMPARE(n.cleanup, SecondaryCleanup::None);
        // (e) a test request over an image whose body is corrupted.
        in.primary = erased;
        in.secondary = testRequest;
        in.secondaryImage = SlotImage::Invalid;
        in.secondaryProblem = "SHA256 mismatch";
        n = next(in);
        QCOMPARE(n.requested, SwapType::Test);
        QCOMPARE(n.type, SwapType::None); // boot_validate_slot() erases it: FIH_NO_BOOTABLE_IMAGE
        QVERIFY(n.refused());
        QCOMPARE(n.cleanup, SecondaryCleanup::EraseSlot);
        QVERIFY(QString::fromStdString(n.verdict()).startsWith("fail: SHA256 mismatch"));
    }

    // A stale request over an empty secondary: MCUboot clears that trailer in the swap modes, and in
    // swap-using-move the primary's stuck revert too.
    void requestWithoutImage() {
        NextBootInput in;
        in.mode = UpgradeMode::SwapUsingScratch;
        in.secondary = testRequest;
        in.secondaryImage = SlotImage::NoImage;
        NextBoot n = next(in);
        QCOMPARE(n.type, SwapType::None);
        QCOMPARE(n.cleanup, SecondaryCleanup::ScrambleTrailer);
        QVERIFY(!n.clearsPrimaryTrailer);
        QCOMPARE(n.verdict(), std::string("none"));
        QVERIFY(QString::fromStdString(n.reason).contains("holds no image"));
        in.secondaryImage = SlotImage::NotBootable;
        QVERIFY(QString::fromStdString(next(in).reason).contains("non-bootable"));
        in.mode = UpgradeMode::OverwriteOnly;
        QCOMPARE(next(in).cleanup, SecondaryCleanup::None);
        in.mode = UpgradeMode::SwapUsingMove;
        in.primary = swappedUnconfirmed;
        in.secondary = erased;
        in.secondaryImage = SlotImage::NoImage;
        n = next(in);
        QCOMPARE(n.requested, SwapType::Revert);
        QVERIFY(n.clearsPrimaryTrailer);
        in.mode = UpgradeMode::SwapUsingScratch;
        QVERIFY(!next(in).clearsPrimaryTrailer);
        // Without a request, the secondary's image is never looked at.
        in.primary = erased;
        in.secondaryImage = SlotImage::Invalid;
        n = next(in);
        QCOMPARE(n.cleanup, SecondaryCleanup::None);
        QCOMPARE(n.secondaryImage, SlotImage::Valid);
    }

    void incompatibleSlotsNeverSwap() {
        NextBootInput in;
        in.secondary = permRequest;
        in.compatibility = Compatibility::NotAllFitScratch;
        const NextBoot n = next(in);
        QCOMPARE(n.type, SwapType::None);
        QCOMPARE(n.requested, SwapType::Perm);
        QVERIFY(n.refused());
        QCOMPARE(n.verdict(), "fail: " + std::string(bootutilMessage(Compatibility::NotAllFitScratch)));
        QCOMPARE(n.reason, std::string(bootutilMessage(Compatibility::NotAllFitScratch)));
        // Nothing asked, nothing refused.
        in.secondary = erased;
        QCOMPARE(next(in).verdict(), std::string("none"));
    }

    void directXipAndRamLoadDoNotSwap() {
        for (UpgradeMode mode : {UpgradeMode::DirectXip, UpgradeMode::RamLoad}) {
            NextBootInput in;
            in.mode = mode;
            const auto r = nextBoot(in);
            QVERIFY(!r);
            QCOMPARE(r.error().code, Errc::NotSupported);
        }
    }

    // From imgtool's bytes to the verdict: a padded test image in the secondary with an erased primary,
    // then the same trailer over the corrupted image.
    void fromImgtoolsBytes() {
        const Bytes slot1 = mcubootfixtures::read("pad-test-a4-m8-s0x5000.bin");
        QCOMPARE(slot1.size(), std::size_t(0x5000));
        TrailerConfig c;
        c.writeSize = 4;
        const auto t = trailerLayout(c, 0x5000);
        QVERIFY(t);
        const std::span<const std::uint8_t> bytes(slot1);
        const auto trailer = readTrailer(*t, bytes.subspan(t->areaStart), 0xff);
        QVERIFY(trailer);
        const auto image = checkSlotImage(bytes, 0x5000, 0xff);
        QVERIFY(image);
        NextBootInput in;
        in.primary = erased;
        in.secondary = trailer->state;
        in.secondaryImage = image->image;
        in.secondaryProblem = image->problem;
        QCOMPARE(next(in).verdict(), std::string("test"));

        Bytes corrupted = mcubootfixtures::read("corrupted-ecdsa-p256.bin");
        corrupted.resize(0x5000, 0xff);
        const TrailerBytes request = requestTrailer(*t, UpgradeRequest::Test, 0xff);
        std::copy(request.bytes.begin(), request.bytes.end(), corrupted.begin() + request.offset);
        const auto bad = checkSlotImage(corrupted, 0x5000, 0xff);
        QVERIFY(bad);
        QCOMPARE(bad->image, SlotImage::Invalid);
        in.secondaryImage = bad->image;
        in.secondaryProblem = bad->problem;
        const NextBoot n = next(in);
        QVERIFY2(n.verdict().starts_with("fail: SHA256 mismatch"), n.verdict().c_str());
    }
};

QTEST_APPLESS_MAIN(TestSwapDecision)
#include "tst_swapdecision.moc"
