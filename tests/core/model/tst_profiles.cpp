// SPDX-License-Identifier: Apache-2.0
// The bootloader profile table: the words files use, the typed accessors, and what each profile row says
// about the layout it makes.
#include "model/BootloaderProfile.h"

#include <QtTest>

using namespace flashplan;

class TestProfiles : public QObject {
    Q_OBJECT
private slots:
    void kindsAndModesHaveTheWordsOfTheFiles() {
        for (BootloaderKind k : {BootloaderKind::None, BootloaderKind::Mcuboot, BootloaderKind::Wolfboot})
            QCOMPARE(bootloaderKindFromString(to_string(k)), std::optional<BootloaderKind>(k));
        QCOMPARE(to_string(BootloaderKind::Mcuboot), std::string_view("mcuboot"));
        QCOMPARE(bootloaderKindFromString("MCUboot"), std::nullopt);
        for (UpgradeMode m :
             {UpgradeMode::SwapUsingScratch, UpgradeMode::SwapUsingMove, UpgradeMode::SwapUsingOffset,
              UpgradeMode::OverwriteOnly, UpgradeMode::DirectXip, UpgradeMode::RamLoad})
            QCOMPARE(upgradeModeFromString(to_string(m)), std::optional<UpgradeMode>(m));
        QCOMPARE(to_string(UpgradeMode::SwapUsingOffset), std::string_view("swap-using-offset"));
        QCOMPARE(upgradeModeFromString("swap-using-magic"), std::nullopt);
    }

    void profilesAreFoundByIdAndBySpelledOutMode() {
        QCOMPARE(findProfile("mcuboot-swap-scratch")->mode, std::optional(UpgradeMode::SwapUsingScratch));
        QCOMPARE(findProfile("mcuboot-swap-using-scratch"), findProfile("mcuboot-swap-scratch"));
        QCOMPARE(findProfile("mcuboot-overwrite-only")->mode, std::optional(UpgradeMode::OverwriteOnly));
        QCOMPARE(findProfile("wolfboot")->kind, BootloaderKind::Wolfboot);
        QCOMPARE(findProfile("mcuboot-swap-sideways"), nullptr);
        QCOMPARE(findProfile("wolfboot-"), nullptr);
    }

    void aLayoutsBootloaderIsAProfile() {
        BootloaderProfile b;
        QVERIFY(b.is(BootloaderKind::None));
        QCOMPARE(profileOf(b)->id, std::string_view("none"));
        b.settings = {{"BOOT_MAX_IMG_SECTORS", "0x100"}};
        applyProfile(b, *findProfile("mcuboot-swap-move"));
        // The words a .flashplan file gets; the settings stay.
        QCOMPARE(b.kind, std::string("mcuboot"));
        QCOMPARE(b.mode, std::string("swap-using-move"));
        QVERIFY(b.is(BootloaderKind::Mcuboot));
        QCOMPARE(b.upgradeMode(), std::optional(UpgradeMode::SwapUsingMove));
        QCOMPARE(profileOf(b)->id, std::string_view("mcuboot-swap-move"));
        QCOMPARE(numericSetting(b, "BOOT_MAX_IMG_SECTORS"), std::optional<std::uint64_t>(256));
        QCOMPARE(numericSetting(b, "NOPE"), std::nullopt);
        b.set(BootloaderKind::Wolfboot);
        QCOMPARE(b.kind, std::string("wolfboot"));
        QVERIFY(b.mode.empty());
        QCOMPARE(profileOf(b)->id, std::string_view("wolfboot"));
    }

    void wordsFlashplanDoesNotKnowAreKeptButMatchNoProfile() {
        BootloaderProfile b;
        b.set(BootloaderKind::Mcuboot, UpgradeMode::SwapUsingScratch);
        b.mode = "swap-sideways";
        QVERIFY(b.is(BootloaderKind::Mcuboot));
        QCOMPARE(b.upgradeMode(), std::nullopt);
        QCOMPARE(profileOf(b), nullptr);
        b.mode.clear(); // MCUboot without a mode is no profile either (the mcuboot pack says so)
        QCOMPARE(profileOf(b), nullptr);
        b.kind = "barebox";
        QCOMPARE(b.knownKind(), std::nullopt);
        QVERIFY(!b.is(BootloaderKind::None));
        QCOMPARE(profileOf(b), nullptr);
    }

    void eachRowSaysWhatItsLayoutHas() {
        QCOMPARE(allProfiles().size(), std::size_t(8));
        for (const ProfileInfo& p : allProfiles()) {
            QCOMPARE(findProfile(p.id), &p);
            QCOMPARE(p.mode.has_value(), p.kind == BootloaderKind::Mcuboot);
            QCOMPARE(p.shape.boot, p.kind != BootloaderKind::None);
            QCOMPARE(p.shape.secondary, p.kind != BootloaderKind::None);
            QCOMPARE(p.labels.boot.empty(), !p.shape.boot);
            QCOMPARE(p.labels.extra.empty(), p.kind == BootloaderKind::None);
            QVERIFY(!p.labels.primary.empty() && !p.labels.storage.empty());
        }
        const ProfileInfo& scratch = *findProfile("mcuboot-swap-scratch");
        QCOMPARE(scratch.shape.extra, std::optional(PartitionRole::Scratch));
        QCOMPARE(scratch.shape.relation, SlotRelation::Equal);
        QCOMPARE(scratch.labels.secondary, std::string_view("slot1_partition"));
        QCOMPARE(scratch.labels.extra, std::string_view("scratch_partition"));
        QCOMPARE(scratch.headerSize, std::uint64_t(0x200));
        QCOMPARE(findProfile("mcuboot-swap-move")->shape.relation, SlotRelation::PrimaryOneMore);
        QCOMPARE(findProfile("mcuboot-swap-offset")->shape.relation, SlotRelation::SecondaryOneMore);
        QCOMPARE(findProfile("mcuboot-swap-move")->shape.extra, std::nullopt);
        QCOMPARE(findProfile("mcuboot-direct-xip")->shape.extra, std::nullopt);
        const ProfileInfo& wolf = *findProfile("wolfboot");
        QCOMPARE(wolf.shape.extra, std::optional(PartitionRole::Swap));
        QCOMPARE(wolf.labels.boot, std::string_view("wolfboot"));
        QCOMPARE(wolf.labels.secondary, std::string_view("update"));
        QCOMPARE(wolf.headerSize, std::uint64_t(256));
        QCOMPARE(findProfile("none")->labels.primary, std::string_view("code_partition"));
        QCOMPARE(findProfile("none")->headerSize, std::uint64_t(0));
        QCOMPARE(&firstProfileOf(BootloaderKind::Mcuboot), findProfile("mcuboot-swap-scratch"));
        QCOMPARE(&firstProfileOf(BootloaderKind::Wolfboot), &wolf);
    }
};

QTEST_APPLESS_MAIN(TestProfiles)
#include "tst_profiles.moc"
