// SPDX-License-Identifier: Apache-2.0
// ESP-IDF partitions.csv: the table's vocabulary, import (placement as gen_esp32part.py does it, kept
// fields, boards, notes), export, round trips, and one test per kind of bad input.
#include "db/DeviceDatabase.h"
#include "io/Format.h"
#include "io/LayoutFile.h"
#include "io/espidf/EspPartitionTable.h"

#include <QtTest>

using namespace flashplan;

namespace {

const DeviceDatabase& db() {
    static const DeviceDatabase instance = *DeviceDatabase::builtin();
    return instance;
}

const Format& espFormat() {
    return *findFormat("esp-idf-csv");
}

// ESP-IDF's "Factory app, two OTA definitions" with its offsets left out, plus a few rows that exercise
// the rest of the syntax.
const char* const kTwoOta = "# Name,   Type, SubType, Offset,  Size, Flags\n"
                            "nvs,      data, nvs,     ,        0x4000,\n"
                            "otadata,  data, ota,     ,        0x2000\n"
                            "phy_init, data, phy,     ,        0x1000,\n"
                            "\n"
                            "factory,  app,  factory, ,        1M,\n"
                            "ota_0,    app,  ota_0,   ,        1M,\n"
                            "ota_1,    app,  ota_1,   ,        1M,\n"
                            "# data after the apps\n"
                            "storage,  data, spiffs,  ,        0x10000, readonly\n"
                            "keys,     data, nvs_keys, 0x340000, 4K, encrypted:readonly\n";

Result<ImportResult> import(const std::string& text, const std::string& board = {}) {
    ImportOptions o;
    o.db = &db();
    o.boardId = board;
    return espFormat().importer->read(text, "partitions.csv", o);
}

ImportResult importOk(const std::string& text, const std::string& board = {}) {
    auto r = import(text, board);
    if (!r)
        qFatal("import failed: %s", r.error().toString().c_str());
    return std::move(*r);
}

Error importError(const std::string& text) {
    auto r = import(text);
    if (r)
        qFatal("expected an import error");
    return r.error();
}

const Partition& part(const Layout& l, const std::string& label) {
    const int i = l.indexOf(label);
    if (i < 0)
        qFatal("no partition %s", label.c_str());
    return l.partitions[static_cast<std::size_t>(i)];
}

std::string prop(const Partition& p, const std::string& key) {
    const std::string* v = findProperty(p.properties, key);
    return v ? *v : "<none>";
}

Result<std::string> exportText(const Layout& l) {
    auto files = espFormat().exporter->write(l, "out.csv", {});
    if (!files)
        return files.error();
    return files->front().text;
}

std::string exportOk(const Layout& l) {
    auto text = exportText(l);
    if (!text)
        qFatal("export failed: %s", text.error().toString().c_str());
    return *text;
}

std::string exportErrorOf(const Layout& l) {
    auto text = exportText(l);
    if (text)
        qFatal("expected an export error");
    return text.error().message;
}

bool hasNote(const std::vector<Diagnostic>& notes, const std::string& rule, const std::string& text = {}) {
    for (const Diagnostic& d : notes)
        if (d.rule == rule && d.message.find(text) != std::string::npos)
            return true;
    return false;
}

} // namespace

class TestEspCsv : public QObject {
    Q_OBJECT
private slots:
    void numbersAsGenEsp32partReadsThem() {
        QCOMPARE(*esp::parseInt("0x1000"), 0x1000);
        QCOMPARE(*esp::parseInt("24K"), 24 * 1024);
        QCOMPARE(*esp::parseInt("1m"), 1024 * 1024);
        QCOMPARE(*esp::parseInt("0x10K"), 16 * 1024);
        QCOMPARE(*esp::parseInt("4_096"), 4096);
        QCOMPARE(*esp::parseInt("-0x300000"), -0x300000);
        QCOMPARE(*esp::parseInt("0o20"), 16);
        QVERIFY(!esp::parseInt("010").ok()); // Python 3 refuses a leading zero
        QVERIFY(!esp::parseInt("12Q").ok());
        QVERIFY(!esp::parseInt("").ok());
    }

    void typesAndSubtypes() {
        QCOMPARE(esp::typeValue("app"), std::optional<unsigned>(0));
        QCOMPARE(esp::typeValue("DATA"), std::optional<unsigned>(1));
        QCOMPARE(esp::typeValue("0x40"), std::optional<unsigned>(0x40));
        QCOMPARE(esp::typeValue("partition_table"), std::optional<unsigned>(3));
        QVERIFY(!esp::typeValue("apps"));
        QVERIFY(!esp::typeValue("0x100"));
        QCOMPARE(esp::subtypeValue(esp::kApp, "ota_15"), std::optional<unsigned>(0x1f));
        QCOMPARE(esp::subtypeValue(esp::kApp, "tee_1"), std::optional<unsigned>(0x31));
        QCOMPARE(esp::subtypeValue(esp::kData, ""), std::optional<unsigned>(0x06));
        QCOMPARE(esp::subtypeValue(esp::kData, "littlefs"), std::optional<unsigned>(0x83));
        QCOMPARE(esp::subtypeValue(0x40, ""), std::optional<unsigned>(0x06));
        QVERIFY(!esp::subtypeValue(esp::kApp, ""));
        QVERIFY(!esp::subtypeValue(esp::kApp, "ota_16"));
        QVERIFY(!esp::subtypeValue(esp::kData, "factory"));
        QCOMPARE(esp::sizeText(0x100000), std::string("1M"));
        QCOMPARE(esp::sizeText(0x6000), std::string("24K"));
        QCOMPARE(esp::sizeText(0x400), std::string("1K"));
        QCOMPARE(esp::sizeText(0x1ff), std::string("0x1ff"));
    }

    void emptyOffsetsArePlacedAsGenEsp32partPlacesThem() {
        const ImportResult r = importOk(kTwoOta);
        const Layout& l = r.layout;
        QCOMPARE(l.partitions.size(), std::size_t(8));
        QCOMPARE(part(l, "nvs").offset, quint64(0x9000));
        QCOMPARE(part(l, "otadata").offset, quint64(0xd000));
        QCOMPARE(part(l, "phy_init").offset, quint64(0xf000));
        QCOMPARE(part(l, "factory").offset, quint64(0x10000)); // apps on 64 KiB
        QCOMPARE(part(l, "ota_0").offset, quint64(0x110000));
        QCOMPARE(part(l, "ota_1").offset, quint64(0x210000));
        QCOMPARE(part(l, "storage").offset, quint64(0x310000));
        QCOMPARE(part(l, "keys").offset, quint64(0x340000));
        QCOMPARE(part(l, "keys").size, quint64(0x1000));
        QVERIFY(hasNote(r.notes, "import.esp-table-offset", "0x8000"));
    }

    void dataAfterAnAppAlignsTo4K() {
        const Layout l = importOk("a, app, factory, 0x10000, 0x1800\nb, data, nvs, , 0x3000\n"
                                  "c, app, ota_0, , 64K\n")
                             .layout;
        QCOMPARE(part(l, "b").offset, quint64(0x12000));
        QCOMPARE(part(l, "c").offset, quint64(0x20000));
    }

    void negativeSizeMeansEndAt() {
        const Layout l = importOk("nvs, data, nvs, , 0x6000\nfactory, app, factory, , -0x200000\n").layout;
        QCOMPARE(part(l, "factory").offset, quint64(0x10000));
        QCOMPARE(part(l, "factory").size, quint64(0x1f0000));
    }

    void fieldsAsWrittenAreKept() {
        const Layout l = importOk(kTwoOta).layout;
        const Partition& nvs = part(l, "nvs");
        QCOMPARE(prop(nvs, "esp-idf.type"), std::string("data"));
        QCOMPARE(prop(nvs, "esp-idf.subtype"), std::string("nvs"));
        QCOMPARE(prop(nvs, "esp-idf.offset-auto"), std::string("true"));
        QCOMPARE(prop(nvs, "esp-idf.flags"), std::string("<none>"));
        const Partition& keys = part(l, "keys");
        QCOMPARE(prop(keys, "esp-idf.offset-auto"), std::string("<none>"));
        QCOMPARE(prop(keys, "esp-idf.flags"), std::string("encrypted:readonly"));
        QVERIFY(keys.readOnly);
        QVERIFY(part(l, "storage").readOnly);
        QVERIFY(!nvs.readOnly);
        const Layout numeric = importOk("raw, 0x40, 0x01, 0x10000, 4K\n").layout;
        QCOMPARE(prop(numeric.partitions[0], "esp-idf.type"), std::string("0x40"));
        QCOMPARE(prop(numeric.partitions[0], "esp-idf.subtype"), std::string("0x01"));
    }

    void roles() {
        const Layout l = importOk(kTwoOta).layout;
        QCOMPARE(part(l, "ota_0").role, PartitionRole::Slot0);
        QCOMPARE(part(l, "ota_1").role, PartitionRole::Slot1);
        QCOMPARE(part(l, "factory").role, PartitionRole::Custom);
        QCOMPARE(part(l, "nvs").role, PartitionRole::Storage);
        QCOMPARE(part(l, "storage").role, PartitionRole::Storage);
        QCOMPARE(part(l, "keys").role, PartitionRole::Reserved);
        QCOMPARE(part(l, "otadata").role, PartitionRole::Custom);
    }

    void commentsBlanksBomCrlfAndMissingFields() {
        const Layout l = importOk("\xEF\xBB\xBF# comment\r\n\r\n  nvs , data , nvs , 0x9000 , 0x6000 \r\n"
                                  "fac,app,factory,0x10000,1M,,\r\n")
                             .layout;
        QCOMPARE(l.partitions.size(), std::size_t(2));
        QCOMPARE(part(l, "nvs").offset, quint64(0x9000));
        QCOMPARE(part(l, "fac").size, quint64(0x100000));
    }

    void tableAndBootloaderRows() {
        const char* text = "bootloader,      bootloader,      primary,  N/A, N/A,\n"
                           "partition_table, partition_table, primary,  N/A, N/A,\n"
                           "nvs,             data,            nvs,      ,    0x4000,\n"
                           "recovery,        bootloader,      recovery, N/A, N/A,\n"
                           "factory,         app,             factory,  0x100000, 1M,\n";
        const ImportResult r = importOk(text);
        const Layout& l = r.layout;
        QCOMPARE(l.partitions.size(), std::size_t(3));
        QCOMPARE(part(l, "partition_table").offset, quint64(0x8000));
        QCOMPARE(part(l, "partition_table").size, quint64(0x1000));
        QCOMPARE(part(l, "partition_table").role, PartitionRole::Reserved);
        QCOMPARE(part(l, "nvs").offset, quint64(0x9000)); // the primary table row takes no part in placing
        QCOMPARE(*findProperty(l.properties, "esp-idf.row.0"),
                 std::string("bootloader,bootloader,primary,N/A,N/A,"));
        QCOMPARE(*findProperty(l.properties, "esp-idf.row.3"),
                 std::string("recovery,bootloader,recovery,N/A,N/A,"));
        QVERIFY(hasNote(r.notes, "import.esp-bootloader-row", "partitions.csv:4: recovery"));
        const std::string out = exportOk(l);
        QVERIFY(out.find("bootloader,      bootloader,      primary,  N/A,      N/A,\n"
                         "partition_table, partition_table, primary,  N/A,      N/A,\n") !=
                std::string::npos);
        const auto back = import(out);
        QVERIFY2(back.ok(), back.ok() ? "" : back.error().toString().c_str());
        QVERIFY(back->layout == l);
    }

    void projectDefinedSubtypeIsKeptWithANote() {
        const ImportResult r = importOk("fctry, app, factory, , 1M\nmy_app1, app, my_app1, , 256K\n");
        QCOMPARE(part(r.layout, "my_app1").offset, quint64(0x110000));
        QCOMPARE(prop(part(r.layout, "my_app1"), "esp-idf.subtype"), std::string("my_app1"));
        QVERIFY(hasNote(r.notes, "import.esp-custom-subtype", "my_app1"));
    }

    void outOfOrderRowsAreNoted() {
        const ImportResult r = importOk("a, data, nvs, 0x20000, 0x4000\nb, data, nvs, 0x10000, 0x4000\n");
        QVERIFY(hasNote(r.notes, "import.esp-row-order", "b starts at 0x10000"));
        QVERIFY(hasNote(importOk("a, data, nvs, 0x1000, 0x4000\n").notes, "import.esp-row-order",
                        "partition table"));
    }

    void longNamesAreNoted() {
        QVERIFY(
            hasNote(importOk("a_very_long_name_here, data, nvs, , 0x4000\n").notes, "import.esp-long-name"));
    }

    void inferredFlash() {
        const ImportResult r = importOk(kTwoOta);
        const FlashDevice& d = r.layout.board.devices.front();
        QCOMPARE(r.layout.board.devices.size(), std::size_t(1));
        QCOMPARE(d.id, std::string("flash0"));
        QCOMPARE(d.kind, FlashKind::Spi);
        QCOMPARE(d.size(), quint64(4 * 1024 * 1024)); // ends at 0x341000: the 4 MiB flash holds it
        QCOMPARE(d.sectors.runs().front().size, quint64(0x1000));
        QVERIFY(hasNote(r.notes, "import.inferred-geometry"));
        QCOMPARE(importOk("nvs, data, nvs, , 0x4000\n").layout.board.devices.front().size(),
                 quint64(1024 * 1024));
    }

    void boardPlacesTheTableOnItsFlash() {
        const ImportResult r = importOk(kTwoOta, "esp32_devkitc_wroom");
        QCOMPARE(r.layout.boardRef, std::string("esp32_devkitc_wroom"));
        QCOMPARE(part(r.layout, "nvs").device, std::string("flash0"));
        QVERIFY(!hasNote(r.notes, "import.inferred-geometry"));
        // A board with internal and external flash: the table goes on the external one.
        const ImportResult two = importOk(kTwoOta, "nrf52840dk_nrf52840");
        QCOMPARE(part(two.layout, "nvs").device, std::string("mx25r64"));
        QVERIFY(hasNote(two.notes, "import.esp-device", "mx25r64"));
    }

    // Bad input: one test per case, each an Error with file, line and field, never a half import.
    void badSize() {
        const Error e = importError("nvs, data, nvs, , 0x6000\nfactory, app, factory, , 12Q\n");
        QCOMPARE(e.code, Errc::Parse);
        QCOMPARE(e.where.file, std::string("partitions.csv"));
        QCOMPARE(e.where.line, 2);
        QCOMPARE(e.field, std::string("size"));
        QVERIFY(e.message.find("factory: size '12Q'") != std::string::npos);
    }

    void emptySize() {
        const Error e = importError("nvs, data, nvs, 0x9000\n");
        QCOMPARE(e.field, std::string("size"));
        QVERIFY(e.message.find("empty") != std::string::npos);
    }

    void unknownType() {
        const Error e = importError("# table\nnvs, daat, nvs, , 0x6000\n");
        QCOMPARE(e.where.line, 2);
        QCOMPARE(e.field, std::string("type"));
        QVERIFY(e.message.find("unknown type 'daat'") != std::string::npos);
    }

    void unknownSubtype() {
        const Error e = importError("x, bootloader, secondary, N/A, N/A\n");
        QCOMPARE(e.field, std::string("subtype"));
    }

    void appWithoutSubtype() {
        QCOMPARE(importError("factory, app, , , 1M\n").field, std::string("subtype"));
    }

    void tooManyColumns() {
        const Error e = importError("nvs, data, nvs, 0x9000, 0x6000, , extra\n");
        QCOMPARE(e.where.line, 1);
        QVERIFY(e.message.find("too many columns") != std::string::npos);
    }

    void unknownFlag() {
        const Error e = importError("nvs, data, nvs, , 0x6000, secret\n");
        QCOMPARE(e.field, std::string("flags"));
        QVERIFY(e.message.find("secret") != std::string::npos);
    }

    void badOffset() {
        QCOMPARE(importError("nvs, data, nvs, 0x9g00, 0x6000\n").field, std::string("offset"));
        QCOMPARE(importError("nvs, data, nvs, -0x9000, 0x6000\n").field, std::string("offset"));
    }

    void missingName() { QCOMPARE(importError(", data, nvs, , 0x6000\n").field, std::string("name")); }

    void environmentVariable() {
        const Error e = importError("nvs, data, nvs, $NVS_OFFSET, 0x6000\n");
        QVERIFY(e.message.find("$NVS_OFFSET") != std::string::npos);
    }

    void emptyOffsetAfterABootloaderRow() {
        const Error e = importError("rec, bootloader, recovery, N/A, N/A\nnvs, data, nvs, , 0x6000\n");
        QCOMPARE(e.where.line, 2);
        QVERIFY(e.message.find("rec") != std::string::npos);
    }

    void negativeSizeBeforeTheOffset() {
        QCOMPARE(importError("nvs, data, nvs, 0x10000, -0x9000\n").field, std::string("size"));
    }

    void pastFourGiB() {
        QCOMPARE(importError("big, data, fat, 0x10000, 0xffffffff\n").code, Errc::OutOfRange);
    }

    void exportAlignsColumnsAndKeepsEmptyOffsets() {
        const std::string out = exportOk(importOk(kTwoOta).layout);
        QCOMPARE(out, std::string("# ESP-IDF Partition Table, written by Flashplan\n"
                                  "# Name,   Type, SubType,  Offset,   Size, Flags\n"
                                  "nvs,      data, nvs,      ,         16K,\n"
                                  "otadata,  data, ota,      ,         8K,\n"
                                  "phy_init, data, phy,      ,         4K,\n"
                                  "factory,  app,  factory,  ,         1M,\n"
                                  "ota_0,    app,  ota_0,    ,         1M,\n"
                                  "ota_1,    app,  ota_1,    ,         1M,\n"
                                  "storage,  data, spiffs,   ,         64K,  readonly\n"
                                  "keys,     data, nvs_keys, 0x340000, 4K,   encrypted:readonly\n"));
    }

    void exportWritesMovedOffsetsAndChangedFlags() {
        Layout l = importOk(kTwoOta).layout;
        l.partitions[static_cast<std::size_t>(l.indexOf("storage"))].offset =
            0x320000; // not where it would go
        l.partitions[static_cast<std::size_t>(l.indexOf("keys"))].readOnly = false;
        const std::string out = exportOk(l);
        QVERIFY(out.find("ota_1,    app,  ota_1,    ,         1M,\n") != std::string::npos);
        QVERIFY(out.find("storage,  data, spiffs,   0x320000, 64K,  readonly\n") != std::string::npos);
        QVERIFY(out.find("keys,     data, nvs_keys, 0x340000, 4K,   encrypted\n") != std::string::npos);
    }

    void roundTripGivesTheSameLayout() {
        for (const std::string board : {"", "esp32_devkitc_wroom"}) {
            const Layout a = importOk(kTwoOta, board).layout;
            ImportOptions o;
            o.db = &db();
            o.boardId = board;
            const auto b = espFormat().importer->read(exportOk(a), "partitions.csv", o);
            QVERIFY2(b.ok(), b.ok() ? "" : b.error().toString().c_str());
            QVERIFY(a == b->layout);
        }
    }

    void importedLayoutSavesAsFlashplan() {
        const Layout a = importOk(kTwoOta).layout;
        const auto b = LayoutFile::parse(LayoutFile::serialize(a), "a.flashplan", db());
        QVERIFY2(b.ok(), b.ok() ? "" : b.error().toString().c_str());
        QVERIFY(a == *b);
    }

    void exportOfALayoutFromElsewhereUsesRoles() {
        Layout l;
        l.board = *db().find("esp32_devkitc_wroom");
        l.boardRef = l.board.id;
        const auto add = [&](std::string label, std::uint64_t offset, std::uint64_t size,
                             PartitionRole role) {
            Partition p;
            p.label = std::move(label);
            p.device = "flash0";
            p.offset = offset;
            p.size = size;
            p.role = role;
            l.partitions.push_back(p);
        };
        add("storage_partition", 0x9000, 0x6000, PartitionRole::Storage);
        add("slot1_partition", 0x200000, 0x100000, PartitionRole::Slot1); // out of order: sorted on export
        add("slot0_partition", 0x100000, 0x100000, PartitionRole::Slot0);
        add("scratch", 0x300000, 0x1000, PartitionRole::Scratch);
        const std::string out = exportOk(l);
        QVERIFY(out.find("storage_partition, data, nvs,       0x9000,   24K,\n"
                         "slot0_partition,   app,  ota_0,     0x100000, 1M,\n"
                         "slot1_partition,   app,  ota_1,     0x200000, 1M,\n"
                         "scratch,           data, undefined, 0x300000, 4K,\n") != std::string::npos);
    }

    void exportRejectsWhatTheTableCannotHold() {
        const Layout base = importOk(kTwoOta).layout;
        Layout l = base;
        l.partitions[0].offset = 0x8000;
        QVERIFY(exportErrorOf(l).find("below 0x9000") != std::string::npos);
        l = base;
        l.partitions[1].offset = 0xa000; // into nvs
        QVERIFY(exportErrorOf(l).find("overlaps") != std::string::npos);
        l = base;
        l.partitions[static_cast<std::size_t>(l.indexOf("ota_0"))].offset = 0x118000;
        l.partitions[static_cast<std::size_t>(l.indexOf("ota_0"))].size = 0xf8000;
        QVERIFY(exportErrorOf(l).find("multiple of 0x10000") != std::string::npos);
        l = base;
        l.partitions[1].parent = "nvs";
        QVERIFY(exportErrorOf(l).find("no nesting") != std::string::npos);
        l = base;
        l.partitions[1].label = "nvs";
        QVERIFY(exportErrorOf(l).find("used twice") != std::string::npos);
        l = importOk(kTwoOta, "nrf52840dk_nrf52840").layout;
        l.partitions[0].device = "flash0";
        QVERIFY(exportErrorOf(l).find("one flash") != std::string::npos);
        l = base;
        l.partitions[0].label = "a,b";
        QVERIFY(exportErrorOf(l).find("cannot stand") != std::string::npos);
        l = base;
        l.partitions[static_cast<std::size_t>(l.indexOf("otadata"))].size = 0x1000;
        QVERIFY(exportErrorOf(l).find("otadata") != std::string::npos);
    }

    void detectedByContentAndName() {
        QCOMPARE((*detectFormat(kTwoOta, "table.txt"))->name, std::string_view("esp-idf-csv"));
        QCOMPARE(espFormat().importer->sniff("a:\n  address: 0x0\n  size: 0x1000\n", "pm_static.yml"), 0);
        QVERIFY(espFormat().importer->sniff("Name,Address\nfoo,1\n", "people.csv") < 10);
        QVERIFY(hasExtension(espFormat(), "PARTITIONS.CSV"));
    }
};

QTEST_APPLESS_MAIN(TestEspCsv)
#include "tst_espcsv.moc"
