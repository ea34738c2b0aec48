// SPDX-License-Identifier: Apache-2.0
// flashplan-cli as a user runs it: a real process, its exit code, its stdout and stderr.
#include "CliRun.h"
#include "FlmBuilder.h"
#include "OverlayFixtures.h"

#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

namespace {

using clirun::cli;
using clirun::Run;

QString writeFile(const QTemporaryDir& dir, const QString& name, const QByteArray& text) {
    const QString path = dir.filePath(name);
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly))
        qFatal("cannot write %s", qPrintable(path));
    f.write(text);
    return path;
}

const QByteArray kOverlapping = R"(<?xml version="1.0"?>
<flashplan-layout schema="1" name="overlap">
  <board ref="stm32f4_disco"/>
  <partition label="slot0_partition" device="flash0" offset="0x20000" size="0x60000" role="slot0"/>
  <partition label="slot1_partition" device="flash0" offset="0x60000" size="0x40000" role="slot1"/>
</flashplan-layout>
)";

/// A pm_static.yml that names no board: its sector map is inferred, a warning, and nothing is wrong.
const QByteArray kWarnsOnly = R"(mcuboot:
  address: 0x0
  size: 0x10000
mcuboot_primary:
  address: 0x10000
  size: 0x70000
mcuboot_secondary:
  address: 0x80000
  size: 0x70000
settings_storage:
  address: 0xf0000
  size: 0x10000
nvs_pad:
  address: 0xf0000
  size: 0x0
)";

} // namespace

class TestCli : public QObject {
    Q_OBJECT
    QTemporaryDir dataHome_; ///< XDG_DATA_HOME of every run: the user's device folder lies under it

private slots:
    void initTestCase() {
        // The runs inherit it: no test reads or writes the real user's device folder.
        QVERIFY(dataHome_.isValid());
        qputenv("XDG_DATA_HOME", dataHome_.path().toUtf8());
    }

    void everyExampleLayoutValidates() {
        const QDir dir(QStringLiteral(FLASHPLAN_LAYOUTS_DIR));
        const QStringList files = dir.entryList({"*.flashplan"}, QDir::Files);
        QVERIFY(files.size() >= 4);
        for (const QString& f : files) {
            const Run r = cli({"validate", dir.filePath(f)});
            QVERIFY2(r.exitCode == 0, qPrintable(f + ": " + r.out + r.err));
            QVERIFY2(r.out.contains("0 errors"), qPrintable(r.out));
        }
    }

    void overlappingSlotsExitOneAndNameBoth() {
        QTemporaryDir dir;
        const QString path = writeFile(dir, "overlap.flashplan", kOverlapping);
        const Run r = cli({"validate", path});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.out.contains("[generic.overlap]") && r.out.contains("slot0_partition") &&
                     r.out.contains("slot1_partition"),
                 qPrintable(r.out));
        QVERIFY(r.out.contains("1 error,"));

        const Run j = cli({"validate", "--json", path});
        QCOMPARE(j.exitCode, 1);
        const QJsonObject o = j.json();
        QCOMPARE(o["schema"].toString(), QString("flashplan-cli/1"));
        QCOMPARE(o["valid"].toBool(), false);
        QCOMPARE(o["errors"].toInt(), 1);
        const QJsonObject d = o["diagnostics"].toArray()[0].toObject();
        QCOMPARE(d["rule"].toString(), QString("generic.overlap"));
        QCOMPARE(d["partitions"].toArray(), (QJsonArray{"slot0_partition", "slot1_partition"}));
        QCOMPARE(d["partition_indexes"].toArray(), (QJsonArray{0, 1}));
    }

    void aPartitionPastTheEndCountsInTheFreeSpace() {
        QTemporaryDir dir;
        QByteArray text = kOverlapping;
        text.replace("stm32f4_disco", "nrf52840dk_nrf52840"); // flash0: 1 MiB
        text.replace(
            R"(<partition label="slot0_partition" device="flash0" offset="0x20000" size="0x60000" role="slot0"/>
)",
            "");
        text.replace(R"(offset="0x60000" size="0x40000")", R"(offset="0xf8000" size="0x10000")");
        const Run r = cli({"validate", writeFile(dir, "past.flashplan", text)});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.out.contains("[generic.outside-device] slot1_partition"), qPrintable(r.out));
        QVERIFY2(r.out.contains("flash0: 0x0..0xf8000 (992 KiB) is free before slot1_partition") &&
                     !r.out.contains("flash0: no partitions"),
                 qPrintable(r.out));
    }

    void truncatedXmlExitsTwoAndNamesTheLine() {
        QTemporaryDir dir;
        const QString path = writeFile(dir, "truncated.flashplan",
                                       kOverlapping.left(kOverlapping.indexOf("<partition label=\"slot1")));
        const Run r = cli({"validate", path});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(path + ":5:"), qPrintable(r.err));
        QVERIFY(r.out.isEmpty());

        const Run j = cli({"--json", "validate", path});
        QCOMPARE(j.exitCode, 2);
        const QJsonObject e = j.json()["error"].toObject();
        QCOMPARE(e["file"].toString(), path);
        QCOMPARE(e["line"].toInt(), 5);
        QCOMPARE(e["code"].toString(), QString("parse error"));
    }

    void aBadFieldNamesLineAndField() {
        QTemporaryDir dir;
        QByteArray text = kOverlapping;
        text.replace("size=\"0x40000\"", "size=\"0x4OOOO\"");
        const Run r = cli({"validate", writeFile(dir, "bad.flashplan", text)});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains("bad.flashplan:5:") && r.err.contains(": size: "), qPrintable(r.err));
    }

    void usageErrorsExitTwo() {
        QCOMPARE(cli({"validate"}).exitCode, 2);
        QCOMPARE(cli({"frobnicate"}).exitCode, 2);
        QCOMPARE(cli({"validate", "/no/such/file.flashplan"}).exitCode, 2);
        QCOMPARE(cli({"--no-such-option", "devices"}).exitCode, 2);
        QCOMPARE(cli({}).exitCode, 2);
        QCOMPARE(cli({"--help"}).exitCode, 0);
        QVERIFY(cli({"--help"}).out.contains("validate <layout>"));
    }

    void devicesListsTheDatabase() {
        const Run r = cli({"devices"});
        QCOMPARE(r.exitCode, 0);
        QVERIFY(r.out.contains("stm32f4_disco") && r.out.contains("4x16K, 1x64K, 7x128K"));

        const Run j = cli({"devices", "--json"});
        QCOMPARE(j.exitCode, 0);
        const QJsonArray boards = j.json()["boards"].toArray();
        QVERIFY(boards.size() >= 15);
        for (const auto& b : boards) {
            const QJsonObject board = b.toObject();
            QVERIFY(!board["id"].toString().isEmpty());
            const QJsonArray devices = board["devices"].toArray();
            QVERIFY(!devices.isEmpty());
            for (const auto& d : devices) {
                const QJsonObject dev = d.toObject();
                qint64 sum = 0;
                for (const auto& run : dev["sectors"].toArray())
                    sum += run.toObject()["count"].toInteger() * run.toObject()["size"].toInteger();
                QCOMPARE(sum, dev["size"].toInteger());
            }
        }
    }

    void infoShowsTheDefaultLayoutABoardAndAFile() {
        const Run def = cli({"info"});
        QCOMPARE(def.exitCode, 0);
        QVERIFY2(def.out.contains("Zephyr flash_map example") && def.out.contains("scratch_partition"),
                 qPrintable(def.out));

        const Run board = cli({"info", "stm32f4_disco"});
        QCOMPARE(board.exitCode, 0);
        QVERIFY2(board.out.contains("5-11") && board.out.contains("0x08020000") &&
                     board.out.contains("7 x 128 KiB"),
                 qPrintable(board.out));

        const Run j =
            cli({"info", "--json", QStringLiteral(FLASHPLAN_LAYOUTS_DIR) + "/wolfboot-stm32f407.flashplan"});
        QCOMPARE(j.exitCode, 0);
        const QJsonObject layout = j.json()["layout"].toObject();
        QCOMPARE(j.json()["kind"].toString(), QString("layout"));
        const QJsonObject update = layout["partitions"].toArray()[2].toObject();
        QCOMPARE(update["label"].toString(), QString("update"));
        QCOMPARE(update["cpu_address"].toInteger(), qint64(0x08040000));
        QCOMPARE(update["sectors"].toObject()["first"].toInt(), 6);
        QCOMPARE(update["sectors"].toObject()["count"].toInt(), 1);

        QCOMPARE(cli({"info", "no_such_board"}).exitCode, 2);
    }

    void infoShowsTheSettingsOfTheProfilesBootloader() {
        const Run mcuboot = cli({"info", "nrf52840-mcuboot-external"});
        QVERIFY2(mcuboot.out.contains("Bootloader: mcuboot, swap-using-move (BOOT_MAX_IMG_SECTORS=256)"),
                 qPrintable(mcuboot.out));
        // The layout keeps MCUboot's setting, which wolfBoot never reads: not shown under wolfBoot.
        const Run wolf = cli({"info", "nrf52840-mcuboot-external", "--profile", "wolfboot"});
        QCOMPARE(wolf.exitCode, 0);
        QVERIFY2(wolf.out.contains("Bootloader: wolfboot") && !wolf.out.contains("BOOT_MAX_IMG_SECTORS"),
                 qPrintable(wolf.out));
        // wolfBoot's own, as its .config would give them for these partitions.
        const Run zephyr = cli({"info", "zephyr-flash-map", "--profile", "wolfboot"});
        QVERIFY2(zephyr.out.contains(
                     "Bootloader: wolfboot (WOLFBOOT_SECTOR_SIZE=0x1000, "
                     "WOLFBOOT_PARTITION_SIZE=0x60000, WOLFBOOT_PARTITION_BOOT_ADDRESS=0x00020000, "
                     "WOLFBOOT_PARTITION_UPDATE_ADDRESS=0x00080000, "
                     "WOLFBOOT_PARTITION_SWAP_ADDRESS=0x000e0000)"),
                 qPrintable(zephyr.out));
        const QJsonObject settings =
            cli({"info", "--json", "wolfboot-stm32f407"}).json()["build_settings"].toObject();
        QCOMPARE(settings["WOLFBOOT_SECTOR_SIZE"].toString(), QString("0x20000"));
        QCOMPARE(settings["WOLFBOOT_PARTITION_SWAP_ADDRESS"].toString(), QString("0x08060000"));
        QVERIFY(cli({"info", "--json", "nrf52840-mcuboot-external", "--profile", "wolfboot"})
                    .json()["build_settings"]
                    .toObject()
                    .isEmpty());
    }

    void importShowsAnyFormatAsJson() {
        const QString wolf = QStringLiteral(FLASHPLAN_LAYOUTS_DIR) + "/wolfboot-stm32f407.flashplan";
        const Run r = cli({"import", "--json", wolf});
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(r.json()["format"].toString(), QString("flashplan"));
        QCOMPARE(r.json()["layout"].toObject()["partitions"].toArray().size(), 4);
        QVERIFY(r.json()["notes"].toArray().isEmpty());
        const Run human = cli({"import", wolf});
        QCOMPARE(human.exitCode, 0);
        QVERIFY2(human.out.contains("Format: flashplan") && human.out.contains("update"),
                 qPrintable(human.out));
    }

    void convertRoundTripsThroughJson() {
        QTemporaryDir dir;
        const QString json = dir.filePath("layout.json");
        const Run r = cli({"convert", "nrf52840-mcuboot-external", json}); // format from the extension
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.out.contains("wrote " + json + " (json)"), qPrintable(r.out));
        const QJsonObject a =
            cli({"import", "--json", "nrf52840-mcuboot-external"}).json()["layout"].toObject();
        const Run back = cli({"import", "--json", json});
        QCOMPARE(back.json()["format"].toString(), QString("json"));
        QCOMPARE(back.json()["layout"].toObject(), a);
    }

    void convertWritesBothFilesOfACFlashMap() {
        QTemporaryDir dir;
        const Run r = cli({"convert", "--json", "spark-core", dir.filePath("map.c"), "--to", "c-flash-map"});
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(r.json()["files"].toArray(), (QJsonArray{dir.filePath("map.c"), dir.filePath("map.h")}));
        QCOMPARE(r.json()["to"].toString(), QString("c-flash-map"));
        QVERIFY(QFile::exists(dir.filePath("map.h")));
    }

    void convertWritesALayoutWithErrorsAndExitsZero() {
        QTemporaryDir dir;
        const QString in = writeFile(dir, "overlap.flashplan", kOverlapping);
        // The conversion is the job: done, exit 0; the findings on stderr, stdout says what was written.
        const Run r = cli({"convert", in, dir.filePath("o.json")});
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.out.contains("wrote ") && !r.out.contains("generic.overlap"), qPrintable(r.out));
        QVERIFY2(r.err.contains("error: [generic.overlap]") && r.err.contains("1 error, 0 warnings"),
                 qPrintable(r.err));
        QVERIFY(QFile::exists(dir.filePath("o.json")));

        const Run j = cli({"convert", "--json", in, dir.filePath("j.json")});
        QCOMPARE(j.exitCode, 0);
        QCOMPARE(j.json()["valid"].toBool(), false);
        QCOMPARE(j.json()["errors"].toInt(), 1);
        QCOMPARE(j.json()["diagnostics"].toArray()[0].toObject()["rule"].toString(),
                 QString("generic.overlap"));

        // --strict: the errors fail, and the file is written all the same.
        QFile::remove(dir.filePath("o.json"));
        QCOMPARE(cli({"convert", "--strict", in, dir.filePath("o.json")}).exitCode, 1);
        QVERIFY(QFile::exists(dir.filePath("o.json")));
        QCOMPARE(cli({"export", "--strict", in, dir.filePath("o.json")}).exitCode, 1);
    }

    void importExitsZeroOnceReadAndStrictFailsOnFindings() {
        QTemporaryDir dir;
        const QString overlap = writeFile(dir, "overlap.flashplan", kOverlapping);
        const Run r = cli({"import", overlap});
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.out.contains("slot1_partition") && !r.out.contains("generic.overlap"), qPrintable(r.out));
        QVERIFY2(r.err.contains("error: [generic.overlap]"), qPrintable(r.err));
        const Run j = cli({"import", "--json", overlap});
        QCOMPARE(j.exitCode, 0);
        QCOMPARE(j.json()["errors"].toInt(), 1);
        QCOMPARE(j.json()["valid"].toBool(), false);
        QCOMPARE(cli({"import", "--strict", overlap}).exitCode, 1);

        // A file with a warning and no error: --strict fails on the warning, for every command that
        // takes it, as validate --strict does.
        const QString pm = writeFile(dir, "pm_static.yml", kWarnsOnly);
        const QJsonObject v = cli({"validate", "--json", pm}).json();
        QVERIFY2(v["errors"].toInt() == 0 && v["warnings"].toInt() > 0,
                 qPrintable(QJsonDocument(v).toJson()));
        for (const QStringList& command : {QStringList{"validate", pm}, QStringList{"import", pm},
                                           QStringList{"convert", pm, dir.filePath("pm.json")}}) {
            QCOMPARE(cli(command).exitCode, 0);
            QCOMPARE(cli(QStringList(command) << "--strict").exitCode, 1);
        }
        QVERIFY(cli({"convert", "--help"}).out.contains("--strict"));
    }

    void convertUsageErrors() {
        QTemporaryDir dir;
        const Run noFormat = cli({"convert", "spark-core", dir.filePath("out.txt")});
        QCOMPARE(noFormat.exitCode, 2);
        QVERIFY2(noFormat.err.contains("--to"), qPrintable(noFormat.err));
        const Run unknown = cli({"convert", "spark-core", dir.filePath("out.x"), "--to", "word"});
        QCOMPARE(unknown.exitCode, 2);
        QVERIFY2(unknown.err.contains("not a format Flashplan writes"), qPrintable(unknown.err));
        QCOMPARE(cli({"convert", "spark-core"}).exitCode, 2);
        QCOMPARE(cli({"convert", "spark-core", dir.filePath("o.json"), "--dts-style", "fancy"}).exitCode, 2);
        const Run badFrom = cli(
            {"import", "--from", "word", QStringLiteral(FLASHPLAN_LAYOUTS_DIR) + "/spark-core.flashplan"});
        QCOMPARE(badFrom.exitCode, 2);
        QVERIFY(!QFile::exists(dir.filePath("out.txt")) && !QFile::exists(dir.filePath("out.x")));
    }

    void boardFileAndOverlaysReadInOrder() {
        QTemporaryDir dir;
        const QString board = writeFile(dir, "board.dts", overlays::kBoard);
        const QString storage = writeFile(dir, "storage.overlay", overlays::kStorage);
        const QString slot = writeFile(dir, "slot.overlay", overlays::kSlot);
        const auto labels = [](const QJsonObject& layout) {
            QStringList out;
            for (const auto& p : layout["partitions"].toArray())
                out << p.toObject()["label"].toString() + "@" +
                           QString::number(p.toObject()["size"].toInteger(), 16);
            return out;
        };
        const Run r = cli({"import", "--json", board, storage, slot});
        QVERIFY2(r.exitCode == 0, qPrintable(r.out + r.err));
        QCOMPARE(labels(r.json()["layout"].toObject()),
                 (QStringList{"boot_partition@10000", "slot0_partition@70000", "slot1_partition@60000",
                              "lfs_partition@10000"}));
        // In order: the later file wins.
        const QString undo =
            writeFile(dir, "undo.overlay", "&slot1_partition { reg = <0x80000 0x70000>; };\n");
        QVERIFY(cli({"import", "--json", board, slot, undo}).out.contains("\"size\": 458752")); // 0x70000

        // convert and validate take them the same way.
        const QString out = dir.filePath("out.json");
        QCOMPARE(cli({"convert", board, storage, slot, out}).exitCode, 0);
        QCOMPARE(labels(cli({"import", "--json", out}).json()["layout"].toObject()),
                 labels(r.json()["layout"].toObject()));
        QCOMPARE(cli({"validate", board, storage, slot}).exitCode, 0);

        // An error in an overlay names the overlay and its line; overlays after a format that is read on
        // its own, or after an example, are refused.
        const QString broken = writeFile(dir, "broken.overlay",
                                         "\n&flash0 { partitions { x: partition@0 { reg = <0 ; }; }; };\n");
        const Run b = cli({"import", board, broken});
        QCOMPARE(b.exitCode, 2);
        QVERIFY2(b.err.contains(broken + ":2:"), qPrintable(b.err));
        const Run pm = cli({"import", writeFile(dir, "pm_static.yml", kWarnsOnly), storage});
        QCOMPARE(pm.exitCode, 2);
        QVERIFY2(pm.err.contains("overlays apply to a devicetree board file"), qPrintable(pm.err));
        QCOMPARE(cli({"import", "spark-core", storage}).exitCode, 2);
    }

    void unrecognisedInputNamesTheFile() {
        QTemporaryDir dir;
        const QString path = writeFile(dir, "notes.txt", "just some notes\n");
        const Run r = cli({"import", path});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(path) && r.err.contains("--from"), qPrintable(r.err));
    }

    void validateFixRepairsAndRewritesTheFile() {
        QTemporaryDir dir;
        QByteArray text = kOverlapping;
        text.replace("offset=\"0x60000\" size=\"0x40000\"",
                     "offset=\"0x81000\" size=\"0x40000\""); // 4K into sector 8
        const QString path = writeFile(dir, "misaligned.flashplan", text);
        QCOMPARE(cli({"validate", path}).exitCode, 1);
        const Run r = cli({"validate", "--fix", path});
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.out.contains("fixed: [generic.sector-alignment]") && r.out.contains("wrote " + path),
                 qPrintable(r.out));
        QCOMPARE(cli({"validate", path}).exitCode, 0);
        QVERIFY(cli({"import", "--json", path}).out.contains("\"offset\": 524288")); // 0x80000
    }

    void validateFixNeedsAnOutputForExamplesAndOtherFormats() {
        const Run r = cli({"validate", "--fix", "spark-core"});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains("--output"), qPrintable(r.err));
        QTemporaryDir dir;
        const Run out = cli({"validate", "--fix", "--json", "spark-core", "-o", dir.filePath("fixed.json")});
        QCOMPARE(out.exitCode, 0);
        QCOMPARE(out.json()["files"].toArray(), QJsonArray{dir.filePath("fixed.json")});
        QVERIFY(out.json()["fixed"].toArray().isEmpty());
    }

    void profileAndSettingsOverrideTheLayout() {
        const Run r = cli({"import", "--json", "wolfboot-stm32f407", "--profile", "mcuboot-swap-scratch",
                           "--set", "BOOT_MAX_IMG_SECTORS=256"});
        QCOMPARE(r.exitCode, 0);
        const QJsonObject bl = r.json()["layout"].toObject()["bootloader"].toObject();
        QCOMPARE(bl["kind"].toString(), QString("mcuboot"));
        QCOMPARE(bl["mode"].toString(), QString("swap-using-scratch"));
        QCOMPARE(bl["settings"].toObject()["BOOT_MAX_IMG_SECTORS"].toString(), QString("256"));
        QCOMPARE(cli({"validate", "spark-core", "--profile", "mcuboot-sideways"}).exitCode, 2);
        QCOMPARE(cli({"validate", "spark-core", "--set", "NOEQUALS"}).exitCode, 2);
    }

    void newDesignsAValidLayoutAndWritesIt() {
        QTemporaryDir dir;
        const QString out = dir.filePath("designed.flashplan");
        const Run r = cli(
            {"new", "stm32f4_disco", "--profile", "wolfboot", "--storage-size", "16K", "-o", out, "--json"});
        QCOMPARE(r.exitCode, 0);
        QVERIFY(r.json()["application_space"].toInteger() > 0);
        QCOMPARE(r.json()["files"].toArray(), QJsonArray{out});
        const Run v = cli({"validate", "--strict", out});
        QVERIFY2(v.exitCode == 0, qPrintable(v.out));
        const Run human = cli({"new", "nrf52840dk_nrf52840", "--profile", "mcuboot-swap-move", "--external"});
        QCOMPARE(human.exitCode, 0);
        QVERIFY2(human.out.contains("slot1_partition") && human.out.contains("mx25r64") &&
                     human.out.contains("Application space: 0x"),
                 qPrintable(human.out));
        QCOMPARE(cli({"new", "no_such_board"}).exitCode, 2);
        QCOMPARE(cli({"new", "stm32f4_disco", "--storage-size", "lots"}).exitCode, 2);
        const Run impossible = cli({"new", "stm32f4_disco", "--external"});
        QCOMPARE(impossible.exitCode, 2);
        QVERIFY2(impossible.err.contains("no external flash"), qPrintable(impossible.err));
    }

    void theZephyrExampleSuitsMcubootSwapScratchAndASmallScratchIsCaught() {
        const QString zephyr = QStringLiteral(FLASHPLAN_LAYOUTS_DIR) + "/zephyr-flash-map.flashplan";
        const Run clean = cli({"validate", "--strict", zephyr, "--profile", "mcuboot-swap-scratch"});
        QVERIFY2(clean.exitCode == 0, qPrintable(clean.out));
        // The F407 map: slots of 2 x 128 KiB sectors and a 64 KiB scratch, smaller than the largest sector.
        QTemporaryDir dir;
        const QString f407 = writeFile(dir, "f407.flashplan", R"(<?xml version="1.0"?>
<flashplan-layout schema="1" name="f407">
  <board ref="stm32f4_disco"/>
  <bootloader kind="mcuboot" mode="swap-using-scratch"/>
  <partition label="boot_partition" device="flash0" offset="0x0" size="0x10000" role="boot" read-only="true"/>
  <partition label="scratch_partition" device="flash0" offset="0x10000" size="0x10000" role="scratch"/>
  <partition label="slot0_partition" device="flash0" offset="0x20000" size="0x40000" role="slot0"/>
  <partition label="slot1_partition" device="flash0" offset="0x60000" size="0x40000" role="slot1"/>
</flashplan-layout>
)");
        const Run r = cli({"validate", "--json", f407});
        QCOMPARE(r.exitCode, 1);
        bool found = false;
        for (const auto& v : r.json()["diagnostics"].toArray()) {
            const QJsonObject d = v.toObject();
            if (d["rule"].toString() == "mcuboot.scratch-size") {
                found = true;
                QVERIFY(d["fix"].isObject());
                QVERIFY2(d["message"].toString().contains("scratch_partition"),
                         qPrintable(d["message"].toString()));
            }
        }
        QVERIFY2(found, qPrintable(r.out));
        QCOMPARE(cli({"validate", "--fix", f407}).exitCode, 0);
    }

    void extraDeviceFoldersAreLoaded() {
        QTemporaryDir dir;
        writeFile(dir, "mine.xml", R"(<flashplan-devices schema="1">
  <board id="my_board"><flash id="flash0" kind="internal" size="64K"><sectors count="16" size="4K"/></flash></board>
</flashplan-devices>)");
        const Run r = cli({"--devices", dir.path(), "info", "my_board"});
        QCOMPARE(r.exitCode, 0);
        QVERIFY(r.out.contains("16 sectors"));

        writeFile(dir, "zbroken.xml", "<flashplan-devices schema=\"1\">\n  <board id=\"x\">\n");
        const Run bad = cli({"--devices", dir.path(), "devices"});
        QCOMPARE(bad.exitCode, 2);
        QVERIFY2(bad.err.contains("zbroken.xml:2:") && bad.err.contains("not well-formed"),
                 qPrintable(bad.err));
    }

    void devicesImportWritesTheUserFolderThatDevicesAndInfoRead() {
        QTemporaryDir dir;
        const QDir pack(dir.filePath("Test.Pack.1.2.3"));
        flm::writeFile(pack, "Test.Pack.pdsc", flm::pdsc(R"(
    <family Dfamily="F4" Dvendor="Acme:1">
      <device Dname="ACME405">
        <memory name="Flash" access="rx" start="0x08000000" size="0x100000" default="1" startup="1"/>
        <algorithm name="Flash/F4_1024.FLM" start="0x08000000" size="0x100000" default="1"/>
        <algorithm name="Flash/F4_OPT.FLM" start="0x1FFFC000" size="0x10" default="0"/>
      </device>
    </family>
)"));
        flm::Device flash;
        flash.size = 0x100000;
        flash.sectors = {{0x4000, 0x0}, {0x10000, 0x10000}, {0x20000, 0x20000}};
        flm::writeFile(pack, "Flash/F4_1024.FLM", flm::build(flash));

        QVERIFY(!cli({"info", "ACME405"}).out.contains("ACME405")); // not known before
        const Run r = cli({"devices", "import", pack.path()});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY2(r.out.contains("wrote 1 board of Test Pack 1.2.3"), qPrintable(r.out));
        QVERIFY2(r.err.contains("[cmsis.not-flash]"), qPrintable(r.err));
        QVERIFY(QFile::exists(dataHome_.filePath("flashplan/devices/Test.Pack.xml")));

        // Loaded at start from the user's folder, with no --devices.
        const Run list = cli({"devices"});
        QVERIFY2(list.out.contains("ACME405") && list.out.contains("(4x16K, 1x64K, 7x128K)"),
                 qPrintable(list.out));
        const Run info = cli({"info", "ACME405"});
        QCOMPARE(info.exitCode, 0);
        QVERIFY2(info.out.contains("write block unknown") && info.out.contains("Flash/F4_1024.FLM") &&
                     info.out.contains("7 x 128 KiB"),
                 qPrintable(info.out));
        const Run json = cli({"info", "ACME405", "--json"});
        QCOMPARE(json.json()["board"].toObject()["source"].toObject()["pack"].toString(), QString("Pack"));
        // Importing again replaces the pack's file instead of clashing with it.
        QCOMPARE(cli({"devices", "import", pack.filePath("Test.Pack.pdsc")}).exitCode, 0);
        // A layout on the part warns that its write block is unknown.
        const QString layout = dir.filePath("acme.flashplan");
        QCOMPARE(cli({"new", "ACME405", "-o", layout}).exitCode, 0);
        const Run v = cli({"validate", layout});
        QVERIFY2(v.out.contains("[generic.write-block-unknown]"), qPrintable(v.out));
        QFile::remove(dataHome_.filePath("flashplan/devices/Test.Pack.xml"));
    }

    void devicesImportOfAPackAsksToUnzipItFirst() {
        QTemporaryDir dir;
        const QString packFile = writeFile(dir, "Keil.X_DFP.1.0.0.pack", "PK\x03\x04");
        const Run r = cli({"devices", "import", packFile});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains("Keil.X_DFP.1.0.0.pack") && r.err.contains("unzip it first"),
                 qPrintable(r.err));
        const Run broken = cli({"devices", "import", dir.path()}); // a folder without a .pdsc
        QCOMPARE(broken.exitCode, 2);
        QVERIFY2(broken.err.contains("no .pdsc file"), qPrintable(broken.err));
    }

    void aBadFileInTheUserFolderIsSkippedWithAWarning() {
        const QDir folder(dataHome_.filePath("flashplan/devices"));
        flm::writeFile(folder, "broken.xml", "<flashplan-devices schema=\"1\">\n  <board id=\"x\">\n");
        const Run r = cli({"info", "stm32f4_disco"});
        QFile::remove(folder.filePath("broken.xml"));
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.err.contains("warning") && r.err.contains("broken.xml:2:"), qPrintable(r.err));
    }

    void aLayoutOnAUserBoardReopensWithoutItsFolder() {
        QTemporaryDir dir;
        writeFile(dir, "mine.xml", R"(<flashplan-devices schema="1">
  <board id="my_board"><flash id="flash0" kind="internal" size="1M" base="0x08000000"><sectors count="256" size="4K"/></flash></board>
</flashplan-devices>)");
        const QString out = dir.filePath("f.flashplan");
        QCOMPARE(cli({"new", "--devices", dir.path(), "my_board", "-o", out}).exitCode, 0);
        // Opened without --devices: the board was written inline.
        const Run reopened = cli({"validate", out});
        QVERIFY2(reopened.exitCode == 0, qPrintable(reopened.err));
        // A compiled-in board stays a reference.
        const QString builtin = dir.filePath("g.flashplan");
        QCOMPARE(cli({"new", "stm32f4_disco", "-o", builtin}).exitCode, 0);
        QFile f(builtin);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QVERIFY(f.readAll().contains(R"(<board ref="stm32f4_disco" />)"));
    }

    // ---- one help and one output contract per command ----

    void eachCommandHasItsOwnHelp() {
        const Run all = cli({"--help"});
        QCOMPARE(all.exitCode, 0);
        QCOMPARE(all.out.count("Usage:"), 1);
        const Run flash = cli({"flash", "--help"});
        QCOMPARE(flash.exitCode, 0);
        QVERIFY2(flash.out.startsWith("Usage: flashplan-cli flash <layout> <partition> <image> [options]") &&
                     flash.out.contains("--backend <name>") && flash.out.contains("--full") &&
                     flash.out.contains("Example:\n  flashplan-cli flash "),
                 qPrintable(flash.out));
        for (const char* foreign : {"--dts-style", "--storage-size", "--fix", "--trailer-reserve"})
            QVERIFY2(!flash.out.contains(foreign), foreign);
        const Run image = cli({"image", "-h"});
        QVERIFY(image.out.contains("--trailer-reserve") && !image.out.contains("--backend"));
        const Run inspect = cli({"inspect", "--help"});
        QVERIFY2(inspect.out.startsWith("Usage: flashplan-cli inspect <layout> [options]") &&
                     inspect.out.contains("--key") && inspect.out.contains("--no-hash") &&
                     inspect.out.contains("--backend <name>") && !inspect.out.contains("--full") &&
                     !inspect.out.contains("--mcuboot"),
                 qPrintable(inspect.out));
    }

    void anOptionOfAnotherCommandIsRefusedWithTheCommandsUsage() {
        const Run r = cli({"flash", "zephyr-flash-map", "slot1_partition", "x.bin", "--dts-style", "mapped"});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains("flash does not take --dts-style") &&
                     r.err.contains("Usage: flashplan-cli flash <layout> <partition> <image> [options]"),
                 qPrintable(r.err));
        const Run export_ = cli({"export", "x"});
        QCOMPARE(export_.exitCode, 2);
        QVERIFY2(export_.err.contains("export takes") && !export_.err.contains("convert takes"),
                 qPrintable(export_.err));
    }

    void settingsAreCheckedBeforeAnyWork() {
        const Run unknown = cli({"validate", "zephyr-flash-map", "--set", "FOO=1"});
        QCOMPARE(unknown.exitCode, 2);
        QVERIFY2(unknown.err.contains("--set FOO: not a bootloader setting") &&
                     unknown.err.contains("BOOT_MAX_IMG_SECTORS"),
                 qPrintable(unknown.err));
        QVERIFY(unknown.out.isEmpty());
        // Not a number: refused before the rules ran with the default (no diagnostics printed).
        const Run notNumber = cli({"validate", "zephyr-flash-map", "--set", "BOOT_MAX_IMG_SECTORS=abc"});
        QCOMPARE(notNumber.exitCode, 2);
        QVERIFY2(notNumber.err.contains("BOOT_MAX_IMG_SECTORS=abc: not a number"), qPrintable(notNumber.err));
        QVERIFY2(notNumber.out.isEmpty(), qPrintable(notNumber.out));
        // Known, but not read by this layout's bootloader.
        const Run otherKind = cli({"validate", "wolfboot-stm32f407", "--set", "BOOT_MAX_IMG_SECTORS=256"});
        QCOMPARE(otherKind.exitCode, 2);
        QVERIFY2(otherKind.err.contains("not a setting of wolfboot layouts (known: WOLFBOOT_SECTOR_SIZE"),
                 qPrintable(otherKind.err));
        QCOMPARE(cli({"validate", "zephyr-flash-map", "--set", "BOOT_MAX_IMG_SECTORS=256"}).exitCode, 0);
    }

    void anUnwritableOutputIsRefusedBeforeAnyWork() {
        QTemporaryDir sim;
        const Run r = cli({"read", "zephyr-flash-map", "storage_partition", "/no/such/folder/out.bin",
                           "--sim-dir", sim.path()});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains("cannot write /no/such/folder/out.bin: no folder"), qPrintable(r.err));
        QVERIFY(QDir(sim.path()).isEmpty()); // nothing connected, nothing read
        const Run convert = cli({"convert", "zephyr-flash-map", sim.path()});
        QCOMPARE(convert.exitCode, 2);
        QVERIFY2(convert.err.contains("it is a folder") ||
                     convert.err.contains("cannot tell the output format"),
                 qPrintable(convert.err));
    }

    void jsonErrorsAreOneEventLine() {
        QTemporaryDir sim;
        for (const QStringList& args :
             {QStringList{"read", "--json", "zephyr-flash-map", "nowhere", "out.bin", "--sim-dir",
                          sim.path()},
              QStringList{"read", "--json", "zephyr-flash-map", "storage_partition", "/no/dir/out.bin"},
              QStringList{"validate", "--json", "/no/such/file.flashplan"},
              QStringList{"flash", "--json", "zephyr-flash-map", "--dts-style", "mapped"}}) {
            const Run r = cli(args);
            QCOMPARE(r.exitCode, 2);
            const QStringList lines = r.out.split('\n', Qt::SkipEmptyParts);
            QCOMPARE(lines.size(), 1);
            const QJsonObject e = QJsonDocument::fromJson(lines[0].toUtf8()).object();
            QCOMPARE(e["event"].toString(), QString("error"));
            QCOMPARE(e["schema"].toString(), QString("flashplan-cli/1"));
            QVERIFY(!e["error"].toObject()["message"].toString().isEmpty());
        }
    }
};

QTEST_GUILESS_MAIN(TestCli)
#include "tst_cli.moc"
