// SPDX-License-Identifier: Apache-2.0
#include "rules/Profiles.h"

#include <QtTest>

using namespace flashplan;

class TestProfiles : public QObject {
    Q_OBJECT
private slots:
    void profilesAreFoundByIdAndBySpelledOutMode() {
        QCOMPARE(findProfile("mcuboot-swap-scratch")->mode, std::string_view("swap-using-scratch"));
        QCOMPARE(findProfile("mcuboot-swap-using-scratch"), findProfile("mcuboot-swap-scratch"));
        QCOMPARE(findProfile("mcuboot-overwrite-only")->mode, std::string_view("overwrite-only"));
        QCOMPARE(findProfile("wolfboot")->kind, std::string_view("wolfboot"));
        QCOMPARE(findProfile("mcuboot-swap-sideways"), nullptr);
        QCOMPARE(findProfile("wolfboot-"), nullptr);
    }

    void aLayoutsBootloaderIsAProfile() {
        BootloaderProfile b;
        QCOMPARE(profileOf(b)->id, std::string_view("none"));
        b.settings = {{"BOOT_MAX_IMG_SECTORS", "0x100"}};
        applyProfile(b, *findProfile("mcuboot-swap-move"));
        QCOMPARE(b.kind, std::string("mcuboot"));
        QCOMPARE(profileOf(b)->id, std::string_view("mcuboot-swap-move"));
        QCOMPARE(numericSetting(b, "BOOT_MAX_IMG_SECTORS"), std::optional<std::uint64_t>(256));
        QCOMPARE(numericSetting(b, "NOPE"), std::nullopt);
        b.mode = "swap-sideways";
        QCOMPARE(profileOf(b), nullptr);
    }
};

QTEST_APPLESS_MAIN(TestProfiles)
#include "tst_profiles.moc"
