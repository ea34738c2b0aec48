// SPDX-License-Identifier: Apache-2.0
// The MCUboot Kconfig fragment: what MCUboot's Zephyr build reads, with the values the rules checked.
#include "db/DeviceDatabase.h"
#include "db/ExampleLayouts.h"
#include "io/Format.h"
#include "io/mcuboot/KconfigExporter.h"

#include <QTest>

using namespace flashplan;

namespace {

std::string fragment(const Layout& l) {
    auto files = KconfigExporter().write(l, "mcuboot.conf", {});
    if (!files)
        qFatal("%s", files.error().message.c_str());
    return files->at(0).text;
}

bool has(const std::string& text, const std::string& line) {
    return text.find("\n" + line + "\n") != std::string::npos;
}

} // namespace

class TestKconfigExporter : public QObject {
    Q_OBJECT
    DeviceDatabase db_ = *DeviceDatabase::builtin();

private slots:
    // Every example layout made for MCUboot names its mode and the sector count and alignment its rules
    // used; the automatic sector count is off, so the build cannot pick another.
    void everyMcubootExampleNamesItsModeAndSettings() {
        int seen = 0;
        for (const auto& name : ExampleLayouts::names()) {
            const Layout l = *ExampleLayouts::load(name, db_);
            if (!l.bootloader.is(BootloaderKind::Mcuboot))
                continue;
            ++seen;
            const std::string text = fragment(l);
            const std::string mode = std::string(to_string(*l.bootloader.upgradeMode()));
            const std::string symbol = mode == "swap-using-scratch" ? "CONFIG_BOOT_SWAP_USING_SCRATCH=y"
                                       : mode == "swap-using-move"  ? "CONFIG_BOOT_SWAP_USING_MOVE=y"
                                                                    : "?";
            QVERIFY2(has(text, symbol), text.c_str());
            QVERIFY(has(text, "CONFIG_BOOT_MAX_IMG_SECTORS_AUTO=n"));
            const std::string* sectors = l.bootloader.setting("BOOT_MAX_IMG_SECTORS");
            QVERIFY(has(text, "CONFIG_BOOT_MAX_IMG_SECTORS=" + (sectors ? *sectors : std::string("128"))));
            QVERIFY(has(text, "CONFIG_MCUBOOT_BOOT_MAX_ALIGN=8"));
        }
        QVERIFY(seen >= 2);
    }

    // The case: swap using move with BOOT_MAX_IMG_SECTORS=232, a 32-byte BOOT_MAX_ALIGN, logical
    // sectors and encryption, each as MCUboot's Kconfig spells it.
    void settingsAsMcubootsKconfigSpellsThem() {
        Layout l = *ExampleLayouts::load("zephyr-flash-map", db_);
        l.bootloader.set(BootloaderKind::Mcuboot, UpgradeMode::SwapUsingMove);
        l.bootloader.settings = {{"BOOT_MAX_IMG_SECTORS", "232"},
                                 {"MCUBOOT_BOOT_MAX_ALIGN", "32"},
                                 {"MCUBOOT_LOGICAL_SECTOR_SIZE", "0x2000"},
                                 {"MCUBOOT_ENC_IMAGES", "1"},
                                 {"MCUBOOT_SWAP_SAVE_ENCTLV", "1"},
                                 {"MCUBOOT_ENCRYPT_X25519", "1"},
                                 {"MCUBOOT_AES_256", "1"}};
        const std::string text = fragment(l);
        for (const char* line :
             {"CONFIG_BOOT_SWAP_USING_MOVE=y", "CONFIG_BOOT_MAX_IMG_SECTORS=232",
              "CONFIG_MCUBOOT_BOOT_MAX_ALIGN=32", "CONFIG_MCUBOOT_LOGICAL_SECTOR_SIZE=0x2000",
              "CONFIG_BOOT_ENCRYPT_IMAGE=y", "CONFIG_BOOT_SWAP_SAVE_ENCTLV=y", "CONFIG_BOOT_ENCRYPT_X25519=y",
              "CONFIG_BOOT_ENCRYPT_ALG_AES_256=y"})
            QVERIFY2(has(text, line), (std::string(line) + "\n" + text).c_str());
        QVERIFY(text.find("CONFIG_BOOT_SWAP_USING_SCRATCH") == std::string::npos);
        QVERIFY(text.find("CONFIG_BOOT_ENCRYPT_RSA") == std::string::npos);

        l.bootloader.set(BootloaderKind::Mcuboot, UpgradeMode::OverwriteOnly);
        QVERIFY(has(fragment(l), "CONFIG_BOOT_UPGRADE_ONLY=y"));
    }

    void aLayoutWithoutMcubootHasNoFragment() {
        const Layout wolf = *ExampleLayouts::load("wolfboot-stm32f407", db_);
        const auto r = KconfigExporter().write(wolf, "x.conf", {});
        QVERIFY(!r);
        QCOMPARE(r.error().code, Errc::NotSupported);
        QVERIFY(r.error().message.find("not made for MCUboot") != std::string::npos);
        // Found by name, as flashplan-cli convert --to and the editor's Export menu find it.
        bool listed = false;
        for (const Format& f : allFormats())
            listed = listed || (f.name == "mcuboot-kconfig" && f.exporter && !f.importer);
        QVERIFY(listed);
    }
};

QTEST_GUILESS_MAIN(TestKconfigExporter)
#include "tst_kconfigexporter.moc"
