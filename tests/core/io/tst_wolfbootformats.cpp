// SPDX-License-Identifier: Apache-2.0
// The wolfBoot formats through the registry: .config and target.h import, export, round trips, the
// conversion between them and from other layouts, detection, and every error case.
#include "db/ExampleLayouts.h"
#include "io/Format.h"
#include "io/wolfboot/WolfBootTargets.h"

#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>

using namespace flashplan;

namespace {

const char* const kF407Config = R"(ARCH?=ARM
TARGET?=stm32f4
SIGN?=ED25519
WOLFBOOT_PARTITION_SIZE?=0x20000
WOLFBOOT_SECTOR_SIZE?=0x20000
WOLFBOOT_PARTITION_BOOT_ADDRESS?=0x08020000
WOLFBOOT_PARTITION_UPDATE_ADDRESS?=0x08040000
WOLFBOOT_PARTITION_SWAP_ADDRESS?=0x08060000
CFLAGS_EXTRA+=-DA
CFLAGS_EXTRA+=-DB
)";

const char* const kF407Header = R"(/* target.h */
#ifndef H_TARGETS_TARGET_
#define H_TARGETS_TARGET_
#define FLASH_BASE                        0x08000000UL
#define WOLFBOOT_SECTOR_SIZE              (128 * 1024)
#define WOLFBOOT_PARTITION_SIZE           ((uint32_t)0x20000U)
#define WOLFBOOT_PARTITION_BOOT_ADDRESS   (FLASH_BASE + WOLFBOOT_SECTOR_SIZE)
#define WOLFBOOT_PARTITION_UPDATE_ADDRESS (WOLFBOOT_PARTITION_BOOT_ADDRESS + WOLFBOOT_PARTITION_SIZE)
#define WOLFBOOT_PARTITION_SWAP_ADDRESS   0x08060000
#endif
)";

const Format& format(std::string_view name) {
    const Format* f = findFormat(name);
    Q_ASSERT(f);
    return *f;
}

std::string partitionsOf(const Layout& l) {
    std::string s;
    for (const Partition& p : l.partitions)
        s += p.label + "@" + p.device + "+" + std::to_string(p.offset) + "/" + std::to_string(p.size) + ":" +
             std::string(to_string(p.role)) + (p.readOnly ? "(ro)" : "") + " ";
    return s;
}

#define VERIFY_OK(r) QVERIFY2((r).ok(), (r).ok() ? "" : (r).error().toString().c_str())

} // namespace

class TestWolfBootFormats : public QObject {
    Q_OBJECT

    DeviceDatabase db_ = *DeviceDatabase::builtin();

    ImportOptions options(std::string board = {}) const {
        ImportOptions o;
        o.db = &db_;
        o.boardId = std::move(board);
        return o;
    }
    Result<ImportResult> importConfig(std::string_view text, std::string board = {}) const {
        return format("wolfboot-config").importer->read(text, "test.config", options(std::move(board)));
    }
    Result<ImportResult> importHeader(std::string_view text, std::string board = {}) const {
        return format("wolfboot-target-h").importer->read(text, "target.h", options(std::move(board)));
    }
    static Error configError(const Result<ImportResult>& r) {
        Q_ASSERT(!r.ok());
        return r.error();
    }

private slots:
    // ---- registry and detection

    void registeredSortedWithTitlesAndExtensions() {
        QCOMPARE(format("wolfboot-config").title, std::string_view("wolfBoot .config"));
        QCOMPARE(format("wolfboot-target-h").title, std::string_view("wolfBoot target.h"));
        QVERIFY(hasExtension(format("wolfboot-config"), "stm32f4.config"));
        QVERIFY(hasExtension(format("wolfboot-target-h"), "target.h"));
        const auto all = allFormats();
        for (std::size_t i = 1; i < all.size(); ++i)
            QVERIFY(all[i - 1].name < all[i].name);
    }

    void detectsBothFormatsByContent() {
        QCOMPARE((*detectFormat(kF407Config, "whatever"))->name, std::string_view("wolfboot-config"));
        QCOMPARE((*detectFormat(kF407Header, "whatever.h"))->name, std::string_view("wolfboot-target-h"));
        const std::string continued = std::string(kF407Config) + "CFLAGS_EXTRA+=-DX \\\n    -DY\r\n";
        QCOMPARE((*detectFormat(continued, "whatever"))->name, std::string_view("wolfboot-config"));
    }

    void otherFilesScoreLow() {
        const Importer& header = *format("wolfboot-target-h").importer;
        const Importer& config = *format("wolfboot-config").importer;
        // A C header that is not wolfBoot's, and an MCUboot flash map header of the same older spelling.
        QCOMPARE(header.sniff("#include <stdint.h>\n#define LED_PIN 13\nint main(void);\n", "board.h"), 0);
        QVERIFY(header.sniff(
                    "#define FLASH_AREA_IMAGE_0_OFFSET 0x20000\n#define FLASH_AREA_IMAGE_0_SIZE 0x60000\n",
                    "sysflash.h") <= 20);
        QCOMPARE(config.sniff(kF407Header, "target.h"), 0);
        QCOMPARE(config.sniff("all: app\n\tgcc -o app app.c\n", "Makefile"), 0);
        QVERIFY(config.sniff("CONFIG_FOO=y\n# CONFIG_BAR is not set\n", ".config") <= 30);
        QCOMPARE(header.sniff(kF407Config, "a.config"), 0);
    }

    // ---- .config import

    void configOnTheTargetsBoard() {
        const auto r = importConfig(kF407Config);
        VERIFY_OK(r);
        const Layout& l = r->layout;
        QCOMPARE(l.boardRef, std::string("stm32f4_disco"));
        QCOMPARE(partitionsOf(l),
                 std::string("boot@flash0+131072/131072:slot0 update@flash0+262144/131072:slot1 "
                             "swap@flash0+393216/131072:swap "));
        QCOMPARE(l.bootloader.kind, std::string("wolfboot"));
        QCOMPARE(*l.bootloader.setting("WOLFBOOT_SECTOR_SIZE"), std::string("0x20000"));
        QCOMPARE(l.name, std::string("wolfBoot stm32f4"));
        // Variables the layout has no field for are kept, in order; the partition ones are not.
        QCOMPARE(*findProperty(l.properties, "wolfboot.config.TARGET"), std::string("stm32f4"));
        QCOMPARE(*findProperty(l.properties, "wolfboot.config.CFLAGS_EXTRA"), std::string("-DA -DB"));
        QVERIFY(!findProperty(l.properties, "wolfboot.config.WOLFBOOT_PARTITION_SIZE"));
        QCOMPARE(l.properties.front().first, std::string("wolfboot.config.ARCH"));
    }

    void boardOptionWins() {
        // The same addresses on an STM32F429 (2 MiB) instead of the TARGET's STM32F407.
        const auto r = importConfig(kF407Config, "nucleo_f429zi");
        VERIFY_OK(r);
        QCOMPARE(r->layout.boardRef, std::string("nucleo_f429zi"));
        QCOMPARE(r->layout.partitions[1].offset, quint64(0x40000));
        QCOMPARE(configError(importConfig(kF407Config, "no_such_board")).code, Errc::NotFound);
    }

    void boardOptionMustHoldThePartitions() {
        // nRF52840: flash at 0x0, not at 0x08000000.
        const Error e = configError(importConfig(kF407Config, "nrf52840dk_nrf52840"));
        QCOMPARE(e.code, Errc::OutOfRange);
        QCOMPARE(e.where.line, 6);
        QCOMPARE(e.field, std::string("WOLFBOOT_PARTITION_BOOT_ADDRESS"));
        QVERIFY(e.message.find("nrf52840dk_nrf52840") != std::string::npos);
    }

    void everyTargetRowNamesABoardOfTheDatabase() {
        const auto targets = wolfboot::wolfBootTargets();
        for (std::size_t i = 0; i < targets.size(); ++i) {
            QVERIFY2(db_.find(targets[i].board), std::string(targets[i].board).c_str());
            if (i > 0)
                QVERIFY(targets[i - 1].target < targets[i].target);
        }
    }

    void unknownTargetInfersTheDevice() {
        const auto r =
            importConfig("TARGET=stm32u5\nWOLFBOOT_SECTOR_SIZE=0x2000\nWOLFBOOT_PARTITION_SIZE=0x20000\n"
                         "WOLFBOOT_PARTITION_BOOT_ADDRESS=0x08040000\n"
                         "WOLFBOOT_PARTITION_UPDATE_ADDRESS=0x08060000\n"
                         "WOLFBOOT_PARTITION_SWAP_ADDRESS=0x08080000\n");
        VERIFY_OK(r);
        const Layout& l = r->layout;
        QVERIFY(l.boardRef.empty());
        QCOMPARE(l.board.devices.size(), std::size_t(1));
        QCOMPARE(*l.board.devices[0].cpuBase, quint64(0x08000000)); // the 16 MiB block of the lowest address
        QCOMPARE(l.partitions[0].offset, quint64(0x40000));
        QVERIFY(std::any_of(r->notes.begin(), r->notes.end(),
                            [](const Diagnostic& d) { return d.rule == "import.inferred-geometry"; }));
    }

    void targetBoardThatCannotHoldFallsBackWithAWarning() {
        // stm32h7 is the NUCLEO-H743ZI, which has no external flash for an EXT_FLASH=1 update.
        const auto r =
            importConfig("TARGET=stm32h7\nEXT_FLASH=1\nQSPI_FLASH=1\nWOLFBOOT_SECTOR_SIZE=0x20000\n"
                         "WOLFBOOT_PARTITION_SIZE=0xC0000\nWOLFBOOT_PARTITION_BOOT_ADDRESS=0x8020000\n"
                         "WOLFBOOT_PARTITION_UPDATE_ADDRESS=0x0\nWOLFBOOT_PARTITION_SWAP_ADDRESS=0xC0000\n");
        VERIFY_OK(r);
        QVERIFY(r->layout.boardRef.empty());
        QCOMPARE(r->layout.board.devices.size(), std::size_t(2));
        QCOMPARE(r->layout.board.devices[1].kind, FlashKind::Qspi);
        QVERIFY(!r->layout.board.devices[1].cpuBase);
        QCOMPARE(r->layout.partitions[1].device, std::string("ext_flash"));
        QVERIFY(std::any_of(r->notes.begin(), r->notes.end(), [](const Diagnostic& d) {
            return d.rule == "import.wolfboot-target" && d.severity == Severity::Warning;
        }));
    }

    void externalFlashOnTheBoardsSpiFlash() {
        const auto r =
            importConfig("TARGET=nrf5340\nEXT_FLASH=1\nWOLFBOOT_SECTOR_SIZE=0x1000\n"
                         "WOLFBOOT_PARTITION_SIZE=0xC0000\nWOLFBOOT_PARTITION_BOOT_ADDRESS=0x20000\n"
                         "WOLFBOOT_PARTITION_UPDATE_ADDRESS=0x0\nWOLFBOOT_PARTITION_SWAP_ADDRESS=0x140000\n");
        VERIFY_OK(r);
        QCOMPARE(r->layout.boardRef, std::string("nrf5340dk_nrf5340"));
        QCOMPARE(partitionsOf(r->layout),
                 std::string("boot@flash0+131072/786432:slot0 update@mx25r64+0/786432:slot1 "
                             "swap@mx25r64+1310720/4096:swap "));
    }

    void busAndXipSwitchesFollowOptionsMk() {
        // UART_FLASH=1 turns EXT_FLASH on; NO_XIP=1 puts BOOT out too; NO_SWAP_EXT keeps SWAP inside.
        const auto r = importConfig(
            "UART_FLASH=1\nNO_XIP=1\nNO_SWAP_EXT=1\nWOLFBOOT_SECTOR_SIZE=0x1000\n"
            "WOLFBOOT_PARTITION_SIZE=0x10000\nWOLFBOOT_PARTITION_BOOT_ADDRESS=0x0\n"
            "WOLFBOOT_PARTITION_UPDATE_ADDRESS=0x10000\nWOLFBOOT_PARTITION_SWAP_ADDRESS=0x8000\n");
        VERIFY_OK(r);
        QCOMPARE(partitionsOf(r->layout),
                 std::string("boot@ext_flash+0/65536:slot0 update@ext_flash+65536/65536:slot1 "
                             "swap@flash0+32768/4096:swap "));
        // PART_*_EXT in the .config decides for its partition.
        const auto explicitExt = importConfig("PART_UPDATE_EXT=1\nWOLFBOOT_PARTITION_SIZE=0x10000\n"
                                              "WOLFBOOT_PARTITION_BOOT_ADDRESS=0x10000\n"
                                              "WOLFBOOT_PARTITION_UPDATE_ADDRESS=0x0\n");
        VERIFY_OK(explicitExt);
        QCOMPARE(explicitExt->layout.partitions[1].device, std::string("ext_flash"));
    }

    void noPartitionsKeepsTheAddressesAsVariables() {
        const auto r = importConfig("TARGET=zynq\nWOLFBOOT_NO_PARTITIONS=1\nWOLFBOOT_SECTOR_SIZE=0x1000\n"
                                    "WOLFBOOT_PARTITION_BOOT_ADDRESS=0x80200000\n");
        VERIFY_OK(r);
        QVERIFY(r->layout.partitions.empty());
        QCOMPARE(*findProperty(r->layout.properties, "wolfboot.config.WOLFBOOT_PARTITION_BOOT_ADDRESS"),
                 std::string("0x80200000"));
        QCOMPARE(r->layout.board.devices.size(), std::size_t(1)); // a placeholder, so the layout can be saved
        QVERIFY(std::any_of(r->notes.begin(), r->notes.end(),
                            [](const Diagnostic& d) { return d.rule == "import.wolfboot-no-partitions"; }));
    }

    void dualBankSwapAddressIsNoSwapPartition() {
        const auto r =
            importConfig("DUALBANK_SWAP=1\nWOLFBOOT_SECTOR_SIZE=0x2000\nWOLFBOOT_PARTITION_SIZE=0x30000\n"
                         "WOLFBOOT_PARTITION_BOOT_ADDRESS=0x08010000\n"
                         "WOLFBOOT_PARTITION_UPDATE_ADDRESS=0x08110000\n"
                         "WOLFBOOT_PARTITION_SWAP_ADDRESS=0xFFFFFFFF\n");
        VERIFY_OK(r);
        QCOMPARE(r->layout.partitions.size(), std::size_t(2));
        QCOMPARE(*findProperty(r->layout.properties, "wolfboot.config.WOLFBOOT_PARTITION_SWAP_ADDRESS"),
                 std::string("0xFFFFFFFF"));
    }

    void overlapOnExternalFlashIsAWarning() {
        // As zynqmp_fsbl.config: the swap sector is the last sector of UPDATE, on external flash.
        const auto r = importConfig("EXT_FLASH=1\nNO_XIP=1\nWOLFBOOT_SECTOR_SIZE=0x20000\n"
                                    "WOLFBOOT_PARTITION_SIZE=0x100000\nWOLFBOOT_PARTITION_BOOT_ADDRESS=0x0\n"
                                    "WOLFBOOT_PARTITION_UPDATE_ADDRESS=0x100000\n"
                                    "WOLFBOOT_PARTITION_SWAP_ADDRESS=0x1E0000\n");
        VERIFY_OK(r);
        QVERIFY(std::any_of(r->notes.begin(), r->notes.end(),
                            [](const Diagnostic& d) { return d.rule == "import.wolfboot-overlap"; }));
    }

    // ---- .config errors: one case each

    void configLineThatIsNotAnAssignment() {
        const Error e = configError(importConfig("TARGET=stm32f4\ninclude other.mk\n"));
        QCOMPARE(e.code, Errc::Parse);
        QCOMPARE(e.where.file, std::string("test.config"));
        QCOMPARE(e.where.line, 2);
    }

    void configNumberThatDoesNotParse() {
        const Error e =
            configError(importConfig("WOLFBOOT_PARTITION_SIZE=0x2000\nWOLFBOOT_SECTOR_SIZE=0x1000\n"
                                     "WOLFBOOT_PARTITION_BOOT_ADDRESS=0x8020000Z\n"));
        QCOMPARE(e.code, Errc::Parse);
        QCOMPARE(e.where.line, 3);
        QCOMPARE(e.field, std::string("WOLFBOOT_PARTITION_BOOT_ADDRESS"));
        QVERIFY(e.toString().find("test.config:3: WOLFBOOT_PARTITION_BOOT_ADDRESS: ") == 0);
    }

    void configSectorSizeThatDoesNotParse() {
        const Error e = configError(importConfig("WOLFBOOT_SECTOR_SIZE=$(SECTOR)\n"));
        QCOMPARE(e.code, Errc::Parse);
        QCOMPARE(e.field, std::string("WOLFBOOT_SECTOR_SIZE"));
    }

    void configAddressWithoutPartitionSize() {
        const Error e = configError(importConfig("WOLFBOOT_SECTOR_SIZE=0x1000\n"
                                                 "WOLFBOOT_PARTITION_BOOT_ADDRESS=0x20000\n"));
        QCOMPARE(e.code, Errc::Schema);
        QCOMPARE(e.where.line, 2);
        QVERIFY(e.message.find("WOLFBOOT_PARTITION_SIZE is not set") != std::string::npos);
    }

    void configSwapWithoutSectorSize() {
        const Error e = configError(importConfig("WOLFBOOT_PARTITION_SIZE=0x1000\n"
                                                 "WOLFBOOT_PARTITION_SWAP_ADDRESS=0x20000\n"));
        QCOMPARE(e.code, Errc::Schema);
        QVERIFY(e.message.find("WOLFBOOT_SECTOR_SIZE is not set") != std::string::npos);
    }

    void configPartitionsThatOverlap() {
        const Error e =
            configError(importConfig("WOLFBOOT_SECTOR_SIZE=0x1000\nWOLFBOOT_PARTITION_SIZE=0x20000\n"
                                     "WOLFBOOT_PARTITION_BOOT_ADDRESS=0x08020000\n"
                                     "WOLFBOOT_PARTITION_UPDATE_ADDRESS=0x08030000\n"));
        QCOMPARE(e.code, Errc::Schema);
        QCOMPARE(e.where.line, 4);
        QCOMPARE(e.field, std::string("WOLFBOOT_PARTITION_UPDATE_ADDRESS"));
        QVERIFY(e.message.find("overlaps boot") != std::string::npos);
    }

    void configZeroPartitionSize() {
        const Error e =
            configError(importConfig("WOLFBOOT_PARTITION_SIZE=0\nWOLFBOOT_PARTITION_BOOT_ADDRESS=0x0\n"));
        QCOMPARE(e.code, Errc::Schema);
        QVERIFY(e.message.find("size 0") != std::string::npos);
    }

    void configPartitionPastTheAddressSpace() {
        const Error e = configError(importConfig("WOLFBOOT_PARTITION_SIZE=0x20000\n"
                                                 "WOLFBOOT_PARTITION_BOOT_ADDRESS=0xFFFFFFFFFFFFF000\n"));
        QCOMPARE(e.code, Errc::OutOfRange);
    }

    // ---- target.h import

    void headerWithMacrosCastsAndArithmetic() {
        const auto r = importHeader(kF407Header);
        VERIFY_OK(r);
        QVERIFY(r->layout.boardRef.empty()); // a target.h does not name its target
        QCOMPARE(*r->layout.board.devices[0].cpuBase, quint64(0x08000000));
        QCOMPARE(partitionsOf(r->layout),
                 std::string("boot@flash0+131072/131072:slot0 update@flash0+262144/131072:slot1 "
                             "swap@flash0+393216/131072:swap "));
        QCOMPARE(*r->layout.bootloader.setting("WOLFBOOT_SECTOR_SIZE"), std::string("0x20000"));
    }

    void headerOnABoard() {
        const auto r = importHeader(kF407Header, "stm32f4_disco");
        VERIFY_OK(r);
        QCOMPARE(r->layout.boardRef, std::string("stm32f4_disco"));
        // The same layout as the .config gives, but for the name and the kept variables.
        Layout fromConfig = importConfig(kF407Config)->layout;
        fromConfig.name = r->layout.name;
        fromConfig.properties.clear();
        QVERIFY(r->layout == fromConfig);
    }

    void headerInTheStyleOfWolfBootsDefault() {
        // wolfBoot's own include/target.h: #ifndef defaults and an #ifdef EXT_FLASH branch.
        const char* text = R"(#ifndef H_TARGETS_TARGET_
#define H_TARGETS_TARGET_
#ifndef WOLFBOOT_SECTOR_SIZE
    #define WOLFBOOT_SECTOR_SIZE                 0x20000
#endif
#ifndef WOLFBOOT_PARTITION_BOOT_ADDRESS
    #define WOLFBOOT_PARTITION_BOOT_ADDRESS      0x20000
#endif
#ifdef EXT_FLASH
    #define WOLFBOOT_PARTITION_SIZE              0x80000
    #define WOLFBOOT_PARTITION_UPDATE_ADDRESS    0x00000
    #define WOLFBOOT_PARTITION_SWAP_ADDRESS      0x80000
#else
    #define WOLFBOOT_PARTITION_SIZE              0x20000
    #define WOLFBOOT_PARTITION_UPDATE_ADDRESS    0x40000
    #define WOLFBOOT_PARTITION_SWAP_ADDRESS      0x60000
#endif
#endif /* !H_TARGETS_TARGET_ */
)";
        const auto r = importHeader(text);
        VERIFY_OK(r);
        QCOMPARE(partitionsOf(r->layout),
                 std::string("boot@flash0+131072/131072:slot0 update@flash0+262144/131072:slot1 "
                             "swap@flash0+393216/131072:swap "));
    }

    void headerWhoseErrorFiresIsReadWithAWarning() {
        // An #error that fires stops a build; the import reads the layout and says why.
        const char* text = "#define KB(x) ((x) * 1024)\n#define WOLFBOOT_SECTOR_SIZE KB(4)\n"
                           "#define WOLFBOOT_PARTITION_SIZE KB(192)\n"
                           "#define WOLFBOOT_PARTITION_BOOT_ADDRESS 0x10000\n"
                           "#define WOLFBOOT_PARTITION_UPDATE_ADDRESS 0x40000\n"
                           "#if (WOLFBOOT_PARTITION_SIZE % \\\n     0x20000) != 0\n"
                           "    #error \"partitions must be a multiple of 128 KiB\"\n#endif\n";
        const auto r = importHeader(text);
        VERIFY_OK(r);
        QCOMPARE(r->layout.partitions.at(0).size, std::uint64_t(0x30000)); // KB(192): function-like macros
        const auto warning = std::find_if(r->notes.begin(), r->notes.end(), [](const Diagnostic& d) {
            return d.rule == "import.wolfboot-header-directive";
        });
        QVERIFY(warning != r->notes.end());
        QCOMPARE(warning->severity, Severity::Warning);
        QCOMPARE(warning->message,
                 std::string("target.h:8: #error \"partitions must be a multiple of 128 KiB\""));
    }

    void headerExternalFlashMacros() {
        const char* text =
            "#define EXT_FLASH 1\n#define PART_UPDATE_EXT\n#define WOLFBOOT_SECTOR_SIZE 0x1000\n"
            "#define WOLFBOOT_PARTITION_SIZE 0x40000\n#define WOLFBOOT_PARTITION_BOOT_ADDRESS 0x20000\n"
            "#define WOLFBOOT_PARTITION_UPDATE_ADDRESS 0x0\n"
            "#define WOLFBOOT_PARTITION_SWAP_ADDRESS 0x60000\n";
        const auto r = importHeader(text);
        VERIFY_OK(r);
        // PART_UPDATE_EXT names the external one; SWAP (no PART_SWAP_EXT) stays on the internal flash.
        QCOMPARE(partitionsOf(r->layout),
                 std::string("boot@flash0+131072/262144:slot0 update@ext_flash+0/262144:slot1 "
                             "swap@flash0+393216/4096:swap "));
        // EXT_FLASH alone stands for PART_UPDATE_EXT and PART_SWAP_EXT, as the build defines them together.
        std::string extOnly = text;
        extOnly.replace(extOnly.find("#define PART_UPDATE_EXT\n"), 24, "");
        const auto both = importHeader(extOnly);
        VERIFY_OK(both);
        QCOMPARE(both->layout.partitions[2].device, std::string("ext_flash"));
    }

    void headerOlderSpellingWithBootloader() {
        const char* text = R"(/* wolfBoot flash layout */
#define FLASH_AREA_BOOTLOADER_OFFSET    0x00000000
#define FLASH_AREA_BOOTLOADER_SIZE      0x00020000
#define FLASH_AREA_IMAGE_0_OFFSET       0x00020000
#define FLASH_AREA_IMAGE_0_SIZE         0x00060000
#define FLASH_AREA_IMAGE_1_OFFSET       (FLASH_AREA_IMAGE_0_OFFSET + FLASH_AREA_IMAGE_0_SIZE)
#define FLASH_AREA_IMAGE_1_SIZE         0x00060000
#define FLASH_AREA_IMAGE_SCRATCH_OFFSET 0x000E0000
#define FLASH_AREA_IMAGE_SCRATCH_SIZE   0x00020000
)";
        QVERIFY(format("wolfboot-target-h").importer->sniff(text, "target.h") >= 60);
        const auto r = importHeader(text, "stm32f4_disco");
        VERIFY_OK(r);
        QCOMPARE(partitionsOf(r->layout),
                 std::string("wolfboot@flash0+0/131072:boot(ro) boot@flash0+131072/393216:slot0 "
                             "update@flash0+524288/393216:slot1 swap@flash0+917504/131072:swap "));
    }

    // ---- target.h errors

    void headerWithoutPartitionMacros() {
        const Error e = configError(importHeader("#define LED 13\n"));
        QCOMPARE(e.code, Errc::Schema);
        QVERIFY(e.message.find("not a wolfBoot target.h") != std::string::npos);
    }

    void headerValueThatIsNotAConstant() {
        const Error e =
            configError(importHeader("#define WOLFBOOT_PARTITION_SIZE 0x20000\n"
                                     "#define WOLFBOOT_PARTITION_BOOT_ADDRESS (FLASH_BASE + 0x20000)\n"));
        QCOMPARE(e.code, Errc::Parse);
        QCOMPARE(e.where.line, 2);
        QCOMPARE(e.field, std::string("WOLFBOOT_PARTITION_BOOT_ADDRESS"));
        QVERIFY(e.message.find("FLASH_BASE is not defined") != std::string::npos);
    }

    void headerAddressWithoutSize() {
        const Error e = configError(importHeader("#define WOLFBOOT_PARTITION_BOOT_ADDRESS 0x20000\n"));
        QCOMPARE(e.code, Errc::Schema);
        QCOMPARE(e.where.line, 1);
        QVERIFY(e.message.find("WOLFBOOT_PARTITION_SIZE is not defined") != std::string::npos);
        const Error half = configError(
            importHeader(std::string(kF407Header) + "#define FLASH_AREA_BOOTLOADER_SIZE 0x20000\n"));
        QCOMPARE(half.field, std::string("FLASH_AREA_BOOTLOADER_SIZE"));
        QVERIFY(half.message.find("FLASH_AREA_BOOTLOADER_OFFSET is not defined") != std::string::npos);
    }

    void headerUnbalancedConditional() {
        const Error e = configError(importHeader("#ifdef X\n#define WOLFBOOT_PARTITION_SIZE 1\n"));
        QCOMPARE(e.code, Errc::Parse);
        QCOMPARE(e.where.line, 1);
    }

    void headerPartitionsThatOverlap() {
        const Error e = configError(importHeader("#define WOLFBOOT_PARTITION_SIZE 0x20000\n"
                                                 "#define WOLFBOOT_PARTITION_BOOT_ADDRESS 0x20000\n"
                                                 "#define WOLFBOOT_PARTITION_UPDATE_ADDRESS 0x30000\n"));
        QCOMPARE(e.code, Errc::Schema);
        QCOMPARE(e.where.line, 3);
    }

    // ---- export

    void headerExportCompilesAndItsAssertsBite() {
        const QString gcc = QStandardPaths::findExecutable(QStringLiteral("gcc"));
        if (gcc.isEmpty())
            QSKIP("gcc is not installed");
        const auto layout = importConfig(kF407Config);
        const auto files = format("wolfboot-target-h").exporter->write(layout->layout, "target.h", {});
        VERIFY_OK(files);
        const std::string& text = files->front().text;
        QVERIFY(text.find("#ifndef H_TARGETS_TARGET_") != std::string::npos);
        QVERIFY(text.find("_Static_assert") != std::string::npos);
        QVERIFY(text.find("128 KiB") != std::string::npos);

        QTemporaryDir dir;
        const auto compiles = [&](const std::string& header) {
            const QString path = dir.filePath(QStringLiteral("target.h"));
            QFile f(path);
            if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate))
                return false;
            f.write(header.data(), qint64(header.size()));
            f.close();
            QProcess p;
            p.start(gcc, {QStringLiteral("-fsyntax-only"), QStringLiteral("-std=c11"),
                          QStringLiteral("-Wall"), QStringLiteral("-Wextra"), QStringLiteral("-pedantic"),
                          QStringLiteral("-Werror"), QStringLiteral("-x"), QStringLiteral("c"), path});
            return p.waitForFinished(30000) && p.exitStatus() == QProcess::NormalExit && p.exitCode() == 0;
        };
        QVERIFY(compiles(text));
        // Hand-edit UPDATE into BOOT, then off its sector: the asserts stop the build.
        std::string overlapping = text;
        overlapping.replace(overlapping.find("0x08040000"), 10, "0x08030000");
        QVERIFY(!compiles(overlapping));
        std::string misaligned = text;
        misaligned.replace(misaligned.find("0x08060000"), 10, "0x08061000");
        QVERIFY(!compiles(misaligned));
    }

    void headerRoundTrip() {
        const auto first = importHeader(kF407Header);
        const auto files = format("wolfboot-target-h").exporter->write(first->layout, "target.h", {});
        VERIFY_OK(files);
        const auto again = importHeader(files->front().text);
        VERIFY_OK(again);
        QVERIFY(again->layout == first->layout);
    }

    void headerRoundTripKeepsExternalFlashAndDualBank() {
        const auto first =
            importConfig("TARGET=nrf5340\nEXT_FLASH=1\nWOLFBOOT_SECTOR_SIZE=0x1000\n"
                         "WOLFBOOT_PARTITION_SIZE=0xC0000\nWOLFBOOT_PARTITION_BOOT_ADDRESS=0x20000\n"
                         "WOLFBOOT_PARTITION_UPDATE_ADDRESS=0x0\n"
                         "WOLFBOOT_PARTITION_SWAP_ADDRESS=0xFFFFFFFF\n");
        VERIFY_OK(first);
        const auto files = format("wolfboot-target-h").exporter->write(first->layout, "target.h", {});
        VERIFY_OK(files);
        QVERIFY(files->front().text.find("#define PART_UPDATE_EXT") != std::string::npos);
        const auto again = importHeader(files->front().text, "nrf5340dk_nrf5340");
        VERIFY_OK(again);
        QCOMPARE(partitionsOf(again->layout), partitionsOf(first->layout));
        QCOMPARE(*findProperty(again->layout.properties, "wolfboot.config.WOLFBOOT_PARTITION_SWAP_ADDRESS"),
                 std::string("0xffffffff"));
    }

    void configRoundTrip() {
        const auto first = importConfig(kF407Config);
        const auto files = format("wolfboot-config").exporter->write(first->layout, "out.config", {});
        VERIFY_OK(files);
        QCOMPARE(files->front().path, std::filesystem::path("out.config"));
        QVERIFY(files->front().text.find("CFLAGS_EXTRA?=-DA -DB\n") != std::string::npos);
        const auto again = importConfig(files->front().text);
        VERIFY_OK(again);
        QVERIFY(again->layout == first->layout);
    }

    void configExportEscapesAndSetsTheSwitches() {
        Layout l = importConfig("UART_FLASH=1\nNO_XIP=1\nX=a\\#b\nWOLFBOOT_SECTOR_SIZE=0x1000\n"
                                "WOLFBOOT_PARTITION_SIZE=0x10000\nWOLFBOOT_PARTITION_BOOT_ADDRESS=0x0\n"
                                "WOLFBOOT_PARTITION_UPDATE_ADDRESS=0x10000\n")
                       ->layout;
        const auto files = format("wolfboot-config").exporter->write(l, "o.config", {});
        VERIFY_OK(files);
        const std::string& t = files->front().text;
        QVERIFY(t.find("X?=a\\#b\n") != std::string::npos);
        QVERIFY(t.find("EXT_FLASH?=1\n") != std::string::npos);
        QVERIFY(importConfig(t)->layout == l);
        // Moved to memory-mapped flash while the kept UART_FLASH=1 says external: not expressible.
        for (Partition& p : l.partitions)
            p.device = "flash0";
        l.board.devices = {inferDevice("flash0", FlashKind::Internal, 0, l.partitions)};
        const auto refused = format("wolfboot-config").exporter->write(l, "o.config", {});
        QVERIFY(!refused.ok());
        QVERIFY(refused.error().message.find("UART") != std::string::npos ||
                refused.error().message.find("external") != std::string::npos);
    }

    void headerAndConfigConvertIntoEachOther() {
        const auto fromConfig = importConfig(kF407Config);
        const auto header = format("wolfboot-target-h").exporter->write(fromConfig->layout, "target.h", {});
        const auto viaHeader = importHeader(header->front().text, "stm32f4_disco");
        VERIFY_OK(viaHeader);
        QCOMPARE(partitionsOf(viaHeader->layout), partitionsOf(fromConfig->layout));
        const auto config = format("wolfboot-config").exporter->write(viaHeader->layout, "x.config", {});
        const auto viaConfig = importConfig(config->front().text, "stm32f4_disco");
        VERIFY_OK(viaConfig);
        QCOMPARE(partitionsOf(viaConfig->layout), partitionsOf(fromConfig->layout));
    }

    void configWithoutPartitionsExportsItsVariables() {
        const auto r = importConfig("ARCH=x86_64\nTARGET=x86_64_efi\nWOLFBOOT_SECTOR_SIZE=0x1000\n");
        VERIFY_OK(r);
        const auto files = format("wolfboot-config").exporter->write(r->layout, "x.config", {});
        VERIFY_OK(files);
        QVERIFY(importConfig(files->front().text)->layout == r->layout);
        // target.h has no such form.
        QCOMPARE(format("wolfboot-target-h").exporter->write(r->layout, "target.h", {}).error().code,
                 Errc::Schema);
    }

    void configRoundTripKeepsTheExternalFlashSwitches() {
        // BOOT and UPDATE external, SWAP internal: EXT_FLASH, NO_XIP and NO_SWAP_EXT must come back out.
        const auto first =
            importConfig("UART_FLASH=1\nNO_XIP=1\nNO_SWAP_EXT=1\nWOLFBOOT_SECTOR_SIZE=0x1000\n"
                         "WOLFBOOT_PARTITION_SIZE=0x10000\nWOLFBOOT_PARTITION_BOOT_ADDRESS=0x0\n"
                         "WOLFBOOT_PARTITION_UPDATE_ADDRESS=0x10000\n"
                         "WOLFBOOT_PARTITION_SWAP_ADDRESS=0x8000\n");
        VERIFY_OK(first);
        Layout l = first->layout;
        // Without the kept switches the exporter sets them itself.
        std::erase_if(l.properties, [](const auto& p) { return p.first != "wolfboot.config.UART_FLASH"; });
        const auto files = format("wolfboot-config").exporter->write(l, "o.config", {});
        VERIFY_OK(files);
        QVERIFY(files->front().text.find("NO_XIP?=1") != std::string::npos);
        QVERIFY(files->front().text.find("NO_SWAP_EXT?=1") != std::string::npos);
        const auto again = importConfig(files->front().text);
        VERIFY_OK(again);
        QCOMPARE(partitionsOf(again->layout), partitionsOf(l));
    }

    void configExportRefusesPartitionsUnderNoPartitions() {
        Layout l = importConfig(kF407Config)->layout;
        flashplan::setProperty(l.properties, "wolfboot.config.WOLFBOOT_NO_PARTITIONS", "1");
        const auto r = format("wolfboot-config").exporter->write(l, "o.config", {});
        QVERIFY(!r.ok());
        QVERIFY(r.error().message.find("WOLFBOOT_NO_PARTITIONS") != std::string::npos);
    }

    void configExportNamesTheTargetItDoesNotKnow() {
        const Layout zephyr = *ExampleLayouts::load("zephyr-flash-map", db_);
        const auto files = format("wolfboot-config").exporter->write(zephyr, "o.config", {});
        VERIFY_OK(files);
        QVERIFY(files->front().text.find("TARGET=nrf52") != std::string::npos);
        const auto back = importConfig(files->front().text, "nrf52840dk_nrf52840");
        VERIFY_OK(back);
        QCOMPARE(back->layout.partitions.size(), std::size_t(3)); // boot, update, and the scratch as swap
    }

    void zephyrLayoutConvertsWithScratchAsSwap() {
        const Layout zephyr = *ExampleLayouts::load("zephyr-flash-map", db_);
        const auto files = format("wolfboot-target-h").exporter->write(zephyr, "target.h", {});
        VERIFY_OK(files);
        const std::string& t = files->front().text;
        QVERIFY(t.find("WOLFBOOT_PARTITION_BOOT_ADDRESS   0x00020000") != std::string::npos);
        QVERIFY(t.find("WOLFBOOT_PARTITION_UPDATE_ADDRESS 0x00080000") != std::string::npos);
        QVERIFY(t.find("WOLFBOOT_PARTITION_SWAP_ADDRESS   0x000e0000") != std::string::npos);
        QVERIFY(t.find("scratch area") != std::string::npos);
        QVERIFY(t.find("largest erase sector") != std::string::npos); // 4 KiB, said where it comes from
        QVERIFY(t.find("storage_partition") != std::string::npos);    // named as not exported
        const auto back = importHeader(t, "nrf52840dk_nrf52840");
        VERIFY_OK(back);
        QCOMPARE(back->layout.partitions.size(), std::size_t(4)); // the bootloader, boot, update, swap
        QCOMPARE(back->layout.partitions[3].size, quint64(0x1000));
    }

    void aSwapWinsOverScratchAreas() {
        Layout l = importConfig(kF407Config)->layout;
        for (std::uint64_t offset : {0x80000u, 0xa0000u}) {
            Partition scratch = l.partitions[2];
            scratch.label = "scratch_" + std::to_string(offset);
            scratch.role = PartitionRole::Scratch;
            scratch.offset = offset;
            l.partitions.push_back(scratch);
        }
        const auto files = format("wolfboot-target-h").exporter->write(l, "target.h", {});
        VERIFY_OK(files);
        QVERIFY(files->front().text.find("Not a wolfBoot partition: scratch_524288") != std::string::npos);
    }

    void exportRefusesWhatWolfBootCannotExpress() {
        const Format& header = format("wolfboot-target-h");
        const Layout base = importConfig(kF407Config)->layout;
        const auto refuse = [&](Layout l, const char* expected) {
            const auto r = header.exporter->write(l, "target.h", {});
            QVERIFY2(!r.ok(), expected);
            QCOMPARE(r.error().code, Errc::Schema);
            QVERIFY2(r.error().message.find(expected) != std::string::npos, r.error().message.c_str());
        };
        Layout noSlot0 = base;
        noSlot0.partitions.erase(noSlot0.partitions.begin());
        refuse(noSlot0, "role slot0");
        Layout noSlot1 = base;
        noSlot1.partitions.erase(noSlot1.partitions.begin() + 1);
        refuse(noSlot1, "role slot1");
        Layout sizes = base;
        sizes.partitions[1].size = 0x40000;
        refuse(sizes, "differ in size");
        Layout noSwap = base;
        noSwap.partitions.pop_back();
        refuse(noSwap, "role swap");
        Layout smallSwap = base;
        smallSwap.partitions[2].size = 0x1000;
        refuse(smallSwap, "smaller than WOLFBOOT_SECTOR_SIZE");
        Layout misaligned = base; // each partition half a sector up
        for (Partition& p : misaligned.partitions)
            p.offset += 0x10000;
        refuse(misaligned, "not aligned");
        Layout twoImages = base;
        twoImages.partitions[0].imageIndex = 1;
        refuse(twoImages, "single image");
        Layout overlap = base;
        overlap.partitions[1].offset = 0x30000;
        refuse(overlap, "overlaps");
        Layout twoBoots = base;
        twoBoots.partitions.push_back(twoBoots.partitions[0]);
        twoBoots.partitions.back().label = "boot2";
        refuse(twoBoots, "one BOOT partition");
        Layout twoExternal = base; // UPDATE and SWAP on two different external flashes
        twoExternal.board.devices.push_back(inferDevice("ext_a", FlashKind::Spi, std::nullopt, {}, 0x100000));
        twoExternal.board.devices.push_back(inferDevice("ext_b", FlashKind::Spi, std::nullopt, {}, 0x100000));
        twoExternal.partitions[1].device = "ext_a";
        twoExternal.partitions[1].offset = 0;
        twoExternal.partitions[2].device = "ext_b";
        twoExternal.partitions[2].offset = 0;
        refuse(twoExternal, "one external flash");
        Layout twoScratches = base; // without a swap, which scratch would stand in?
        twoScratches.partitions[2].role = PartitionRole::Scratch;
        twoScratches.partitions.push_back(twoScratches.partitions[2]);
        twoScratches.partitions.back().label = "scratch2";
        twoScratches.partitions.back().offset = 0x80000;
        refuse(twoScratches, "one SWAP partition");
        Layout badSetting = base;
        badSetting.bootloader.settings = {{"WOLFBOOT_SECTOR_SIZE", "big"}};
        refuse(badSetting, "not a sector size");
    }
};

QTEST_APPLESS_MAIN(TestWolfBootFormats)
#include "tst_wolfbootformats.moc"
