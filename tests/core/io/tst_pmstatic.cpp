// SPDX-License-Identifier: Apache-2.0
// The nRF Partition Manager's pm_static.yml: import (regions, containers, kept keys, boards, notes), export,
// round trips, and one test per kind of bad input.
#include "db/ExampleLayouts.h"
#include "io/Format.h"
#include "io/LayoutFile.h"
#include "io/nordic/PmYaml.h"

#include <QtTest>

using namespace flashplan;

namespace {

const DeviceDatabase& db() {
    static const DeviceDatabase instance = *DeviceDatabase::builtin();
    return instance;
}

const Format& pmFormat() {
    return *findFormat("pm-static-yml");
}

// Shaped like the Partition Manager's own output for an nRF5340 with external flash: sorted keys, anchors,
// hex, a container inside a container, and regions beyond flash.
const char* const kSample = R"(mcuboot:
  address: 0x0
  end_address: 0x10000
  region: flash_primary
  size: 0x10000
mcuboot_pad:
  address: 0x10000
  size: 0x200
app:
  address: 0x10200
  size: 0xdde00
mcuboot_primary:
  address: 0x10000
  orig_span: &id001
  - mcuboot_pad
  - mcuboot_primary_app
  region: flash_primary
  sharers: 0x1
  size: 0xde000
  span: *id001
mcuboot_primary_app:
  address: 0x10200
  orig_span: &id002
  - app
  size: 0xdde00
  span: *id002
settings_storage:
  address: 0xf8000
  placement:
    align: {start: 0x1000}
    before: [end]
  region: flash_primary
  size: 0x8000
mcuboot_secondary:
  address: 0x0
  device: MX25R64
  region: external_flash
  share_size: [mcuboot_primary]
  size: 0xde000
pcd_sram:
  address: 0x20000000
  region: sram_primary
  size: 0x2000
)";

ImportOptions options(const std::string& board = {}) {
    ImportOptions o;
    o.db = &db();
    o.boardId = board;
    return o;
}

Result<ImportResult> import(const std::string& text, const std::string& board = {},
                            const std::string& fileName = "pm_static.yml") {
    return pmFormat().importer->read(text, fileName, options(board));
}

ImportResult importOk(const std::string& text, const std::string& board = {}) {
    auto r = import(text, board);
    if (!r)
        qFatal("import failed: %s", r.error().toString().c_str());
    return std::move(*r);
}

Error importError(const std::string& text, const std::string& board = {}) {
    auto r = import(text, board);
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

std::string exportText(const Layout& l) {
    auto files = pmFormat().exporter->write(l, "out.yml", {});
    if (!files)
        qFatal("export failed: %s", files.error().toString().c_str());
    return files->front().text;
}

bool hasNote(const std::vector<Diagnostic>& notes, const std::string& rule, const std::string& text = {}) {
    for (const Diagnostic& d : notes)
        if (d.rule == rule && d.message.find(text) != std::string::npos)
            return true;
    return false;
}

} // namespace

class TestPmStatic : public QObject {
    Q_OBJECT
private slots:
    void readsPartitionsInFileOrder() {
        const Layout l = importOk(kSample).layout;
        QCOMPARE(l.partitions.size(), std::size_t(8));
        QCOMPARE(l.partitions[0].label, std::string("mcuboot"));
        QCOMPARE(l.partitions[2].label, std::string("app"));
        QCOMPARE(l.partitions[7].label, std::string("pcd_sram"));
        QCOMPARE(part(l, "app").offset, quint64(0x10200));
        QCOMPARE(part(l, "app").size, quint64(0xdde00));
        QCOMPARE(l.name, std::string("pm_static"));
    }

    void regionsBecomeInferredDevices() {
        const ImportResult r = importOk(kSample);
        const Layout& l = r.layout;
        QVERIFY(l.boardRef.empty());
        QCOMPARE(l.board.devices.size(), std::size_t(3));
        const FlashDevice& flash = *l.board.device("flash_primary");
        QCOMPARE(flash.kind, FlashKind::Internal);
        QCOMPARE(flash.cpuBase, std::optional<std::uint64_t>(0));
        QCOMPARE(flash.size(), quint64(0x100000));
        // mcuboot_pad (0x200) is nested, so it does not shrink the sector guess.
        QCOMPARE(flash.sectors.runs().front().size, quint64(0x2000));
        QCOMPARE(l.board.device("external_flash")->kind, FlashKind::Spi);
        QVERIFY(!l.board.device("external_flash")->cpuBase);
        // RAM starts where the file's lowest RAM partition starts; offsets are relative to it.
        QCOMPARE(l.board.device("sram_primary")->cpuBase, std::optional<std::uint64_t>(0x20000000));
        QCOMPARE(part(l, "pcd_sram").offset, quint64(0));
        QCOMPARE(part(l, "mcuboot_secondary").device, std::string("external_flash"));
        QCOMPARE(*findProperty(l.properties, "pm.region.sram_primary"), std::string("sram_primary"));
        QVERIFY(hasNote(r.notes, "import.inferred-geometry", "flash_primary"));
        QVERIFY(hasNote(r.notes, "import.inferred-geometry", "sram_primary"));
    }

    void networkCoreFlashKeepsItsBase() {
        const Layout l = importOk("b0n:\n  address: 0x1000000\n  size: 0x8800\napp:\n  address: 0x1008800\n"
                                  "  size: 0x37800\n")
                             .layout;
        QCOMPARE(l.board.device("flash_primary")->cpuBase, std::optional<std::uint64_t>(0x1000000));
        QCOMPARE(part(l, "app").offset, quint64(0x8800));
    }

    void keysWithoutFieldsAreKeptInOrder() {
        const Layout l = importOk(kSample).layout;
        const Partition& primary = part(l, "mcuboot_primary");
        QCOMPARE(prop(primary, "pm.keys"), std::string("address orig_span region sharers size span"));
        QCOMPARE(prop(primary, "pm.span"), std::string("[mcuboot_pad, mcuboot_primary_app]"));
        QCOMPARE(prop(primary, "pm.orig_span"), std::string("[mcuboot_pad, mcuboot_primary_app]"));
        QCOMPARE(prop(primary, "pm.sharers"), std::string("0x1"));
        QCOMPARE(prop(part(l, "settings_storage"), "pm.placement"),
                 std::string("{align: {start: 0x1000}, before: [end]}"));
        QCOMPARE(prop(part(l, "mcuboot_secondary"), "pm.device"), std::string("MX25R64"));
        QCOMPARE(prop(part(l, "mcuboot_secondary"), "pm.share_size"), std::string("[mcuboot_primary]"));
        QCOMPARE(primary.properties.front().first, std::string("pm.keys"));
        // A consistent end_address needs no property: the export recomputes it.
        QCOMPARE(prop(part(l, "mcuboot"), "pm.end_address"), std::string("<none>"));
    }

    void rolesComeFromNames() {
        const Layout l = importOk(kSample).layout;
        QCOMPARE(part(l, "mcuboot").role, PartitionRole::Boot);
        QCOMPARE(part(l, "mcuboot_primary").role, PartitionRole::Slot0);
        QCOMPARE(part(l, "mcuboot_secondary").role, PartitionRole::Slot1);
        QCOMPARE(part(l, "settings_storage").role, PartitionRole::Storage);
        QCOMPARE(part(l, "app").role, PartitionRole::Custom);
    }

    void spannedPartitionsGetTheSmallestContainer() {
        const Layout l = importOk(kSample).layout;
        QCOMPARE(part(l, "mcuboot_pad").parent, std::string("mcuboot_primary"));
        QCOMPARE(part(l, "mcuboot_primary_app").parent, std::string("mcuboot_primary"));
        QCOMPARE(part(l, "app").parent, std::string("mcuboot_primary_app"));
        QCOMPARE(part(l, "mcuboot").parent, std::string());
        QCOMPARE(part(l, "mcuboot_primary").parent, std::string());
    }

    void alikeContainersNestInFileOrderAndInsideCounts() {
        const Layout l = importOk("outer:\n  address: 0x0\n  size: 0x2000\n  span: [a, b]\n"
                                  "twin:\n  address: 0x0\n  size: 0x2000\n  span: [b, a]\n"
                                  "a:\n  address: 0x0\n  size: 0x1000\n"
                                  "b:\n  address: 0x1000\n  size: 0x1000\n"
                                  "box:\n  address: 0x2000\n  size: 0x2000\n  span: []\n"
                                  "c:\n  address: 0x2000\n  size: 0x1000\n  inside: [box]\n")
                             .layout;
        QCOMPARE(part(l, "outer").parent, std::string());
        QCOMPARE(part(l, "twin").parent, std::string("outer"));
        QCOMPARE(part(l, "a").parent, std::string("twin"));
        QCOMPARE(part(l, "c").parent, std::string("box"));
    }

    void crossingContainersAndSpansOutsideRangeAreNoted() {
        const ImportResult r = importOk("left:\n  address: 0x0\n  size: 0x3000\n  span: [a, b]\n"
                                        "right:\n  address: 0x1000\n  size: 0x3000\n  span: [b, c]\n"
                                        "a:\n  address: 0x0\n  size: 0x1000\n"
                                        "b:\n  address: 0x1000\n  size: 0x1000\n"
                                        "c:\n  address: 0x2000\n  size: 0x2000\n"
                                        "far:\n  address: 0x8000\n  size: 0x1000\n"
                                        "box:\n  address: 0x4000\n  size: 0x1000\n  span: [far]\n");
        QVERIFY(hasNote(r.notes, "import.pm-crossing-containers", "left"));
        QVERIFY(hasNote(r.notes, "import.pm-span-outside", "far"));
        QCOMPARE(part(r.layout, "far").parent, std::string());
    }

    void flowStyleHexAndOctal() {
        const Layout l = importOk("a: {address: 4096, size: 0x1000, region: flash_primary}\n"
                                  "b: {address: 0x2_000, size: 010000}\n")
                             .layout;
        QCOMPARE(part(l, "a").offset, quint64(0x1000));
        QCOMPARE(part(l, "b").offset, quint64(0x2000));
        QCOMPARE(part(l, "b").size, quint64(010000)); // YAML 1.1: a leading 0 is octal, as PyYAML reads it
    }

    void endAddressThatDisagreesIsKeptAndNoted() {
        const ImportResult r = importOk("app:\n  address: 0x1000\n  end_address: 0xDD000\n  size: 0xD7000\n");
        const Partition& app = part(r.layout, "app");
        QCOMPARE(app.size, quint64(0xd7000));
        QCOMPARE(prop(app, "pm.end_address"), std::string("0xDD000"));
        QVERIFY(hasNote(r.notes, "import.pm-end-address", "pm_static.yml:3: app: end_address 0xdd000"));
        QVERIFY(exportText(r.layout).find("end_address: 0xDD000") != std::string::npos);
    }

    void boardMapsRegionsOntoItsDevices() {
        const ImportResult r = importOk(kSample, "nrf5340dk_nrf5340");
        const Layout& l = r.layout;
        QCOMPARE(part(l, "app").device, std::string("flash0"));
        QCOMPARE(part(l, "mcuboot_secondary").device, std::string("mx25r64"));
        // The board has no RAM device: it is inferred and added, so the board is kept inline.
        QCOMPARE(part(l, "pcd_sram").device, std::string("sram_primary"));
        QVERIFY(l.boardRef.empty());
        QCOMPARE(l.board.id, std::string("nrf5340dk_nrf5340"));
        QCOMPARE(l.board.devices.size(), std::size_t(4));
        QVERIFY(hasNote(r.notes, "import.inferred-geometry",
                        "board nrf5340dk_nrf5340 has no device for region "
                        "sram_primary"));
        QCOMPARE(*findProperty(l.properties, "pm.region.mx25r64"), std::string("external_flash"));
    }

    void boardWithOnlyItsOwnRegionsKeepsItsReference() {
        const ImportResult r =
            importOk("mcuboot:\n  address: 0x0\n  size: 0xc000\napp:\n  address: 0xc000\n  size: 0x74000\n",
                     "nrf52840dk_nrf52840");
        QCOMPARE(r.layout.boardRef, std::string("nrf52840dk_nrf52840"));
        QVERIFY(r.notes.empty());
    }

    void boardPicksTheInternalFlashThatHoldsTheAddresses() {
        const Layout l = importOk("b0n:\n  address: 0x1000000\n  size: 0x8800\n", "nrf5340dk_nrf5340").layout;
        QCOMPARE(part(l, "b0n").device, std::string("flash1"));
        QCOMPARE(part(l, "b0n").offset, quint64(0));
    }

    void boardWithoutExternalFlashIsAnError() {
        const Error e = importError(kSample, "nrf52dk_nrf52832");
        QCOMPARE(e.code, Errc::NotFound);
        QCOMPARE(e.where.file, std::string("pm_static.yml"));
        QCOMPARE(e.where.line, 34);
        QVERIFY(
            e.message.find("no external flash for region external_flash (partitions mcuboot_secondary)") !=
            std::string::npos);
    }

    void unknownBoardIsAnError() { QCOMPARE(importError(kSample, "no_such_board").code, Errc::NotFound); }

    // Bad input: one test per case, each an Error with file and line, never a half import.
    void missingAddress() {
        const Error e = importError("a:\n  address: 0x0\n  size: 0x1000\nb:\n  size: 0x1000\n");
        QCOMPARE(e.where.line, 4);
        QCOMPARE(e.field, std::string("address"));
        QVERIFY(e.message.find("b has no address") != std::string::npos);
    }

    void missingSize() {
        const Error e = importError("a:\n  address: 0x0\n");
        QCOMPARE(e.where.line, 1);
        QCOMPARE(e.field, std::string("size"));
    }

    void topLevelNotAMapping() {
        const Error e = importError("- address: 0x0\n  size: 0x1000\n");
        QCOMPARE(e.code, Errc::Schema);
        QCOMPARE(e.where.line, 1);
        QVERIFY(e.message.find("found a list") != std::string::npos);
    }

    void partitionNotAMapping() {
        const Error e = importError("a:\n  address: 0x0\n  size: 0x1000\nb: 0x1000\n");
        QCOMPARE(e.where.line, 4);
        QVERIFY(e.message.find("b must be a mapping") != std::string::npos);
    }

    void brokenDocument() {
        const Error e = importError("a:\n  address: 0x0\n  size: [0x1000\nb:\n  address: 0x1000\n");
        QCOMPARE(e.code, Errc::Parse);
        QCOMPARE(e.where.file, std::string("pm_static.yml"));
        QVERIFY(e.where.line > 0);
    }

    void strayCommaIsAnErrorNotAHang() {
        // yaml-cpp 0.7 loops forever on this in LoadAll(); the importer must stop with an error.
        const Error e = importError("# comment\n,app:\n  address: 0x0\n  size: 0x1000\n");
        QCOMPARE(e.code, Errc::Parse);
        QCOMPARE(e.where.file, std::string("pm_static.yml"));
    }

    void moreThanOneDocument() {
        const Error e =
            importError("a:\n  address: 0x0\n  size: 0x1000\n---\nb:\n  address: 0x0\n  size: 0x10\n");
        QCOMPARE(e.code, Errc::Schema);
        QCOMPARE(e.where.line, 4);
    }

    void notANumber() {
        const Error e = importError("a:\n  address: 0x1G000\n  size: 0x1000\n");
        QCOMPARE(e.code, Errc::Parse);
        QCOMPARE(e.where.line, 2);
        QCOMPARE(e.field, std::string("address"));
    }

    void quotedNumberIsAString() {
        const Error e = importError("a:\n  address: \"0x0\"\n  size: 0x1000\n");
        QVERIFY(e.message.find("string") != std::string::npos);
    }

    void negativeSize() {
        QVERIFY(importError("a:\n  address: 0x0\n  size: -0x1000\n").message.find("negative") !=
                std::string::npos);
    }

    void partitionDefinedTwice() {
        const Error e =
            importError("a:\n  address: 0x0\n  size: 0x1000\na:\n  address: 0x0\n  size: 0x1000\n");
        QCOMPARE(e.where.line, 4);
        QVERIFY(e.message.find("defined twice") != std::string::npos);
    }

    void aliasInsideItselfOrExplodingIsAnError() {
        const Error cycle = importError("a:\n  address: 0x0\n  size: 0x10\n  span: &x [a, *x]\n");
        QCOMPARE(cycle.where.line, 4);
        QCOMPARE(cycle.field, std::string("span"));
        std::string laughs = "a:\n  address: 0x0\n  size: 0x10\n  l0: &l0 [x, x, x, x, x, x, x, x, x, x]\n";
        for (int i = 1; i < 9; ++i) {
            laughs += "  l" + std::to_string(i) + ": &l" + std::to_string(i) + " [";
            for (int j = 0; j < 10; ++j)
                laughs += (j ? ", *l" : "*l") + std::to_string(i - 1);
            laughs += "]\n";
        }
        QVERIFY(importError(laughs).message.find("KiB") != std::string::npos);
    }

    void emptyFile() { QCOMPARE(importError("# nothing here\n").code, Errc::Schema); }

    void exportWritesWhatThePartitionManagerReads() {
        const Layout l = importOk(kSample).layout;
        const std::string text = exportText(l);
        QVERIFY(text.starts_with("#"));
        QVERIFY(text.find(
                    "mcuboot_primary:\n  address: 0x10000\n  orig_span: [mcuboot_pad, mcuboot_primary_app]\n"
                    "  region: flash_primary\n  sharers: 0x1\n  size: 0xde000\n"
                    "  span: [mcuboot_pad, mcuboot_primary_app]\n") != std::string::npos);
        QVERIFY(
            text.find("settings_storage:\n  address: 0xf8000\n  placement:\n    align:\n      start: 0x1000\n"
                      "    before: [end]\n") != std::string::npos);
        QVERIFY(text.find("pcd_sram:\n  address: 0x20000000\n  region: sram_primary\n") != std::string::npos);
        QVERIFY(text.find("mcuboot:\n  address: 0x0\n  end_address: 0x10000\n") != std::string::npos);
        // The written file is YAML with the same values.
        const YAML::Node back = YAML::Load(text);
        QCOMPARE(back["app"]["size"].Scalar(), std::string("0xdde00"));
    }

    void roundTripGivesTheSameLayout() {
        for (const std::string board : {"", "nrf5340dk_nrf5340"}) {
            const Layout a = importOk(kSample, board).layout;
            const auto b = import(exportText(a), board);
            QVERIFY2(b.ok(), b.ok() ? "" : b.error().toString().c_str());
            QVERIFY(a == b->layout);
        }
    }

    void importedLayoutSavesAsFlashplan() {
        const Layout a = importOk(kSample).layout;
        const auto b = LayoutFile::parse(LayoutFile::serialize(a), "a.flashplan", db());
        QVERIFY2(b.ok(), b.ok() ? "" : b.error().toString().c_str());
        QVERIFY(a == *b);
    }

    void exportOfALayoutFromElsewhere() {
        // The example nRF52840 layout: internal flash plus external QSPI slot.
        Layout l = *ExampleLayouts::load("nrf52840-mcuboot-external", db());
        l.partitions[1].parent = l.partitions[0].label; // a nested partition makes its parent a container
        l.partitions[1].offset = l.partitions[0].offset;
        l.partitions[1].size = l.partitions[0].size;
        const std::string text = exportText(l);
        const YAML::Node back = YAML::Load(text);
        // Zephyr's labels become the Partition Manager's names (NCS include/flash_map_pm.h); a name of the
        // layout's own (littlefs_storage) stays.
        const std::map<std::string, std::string> pmNames{{"boot_partition", "mcuboot"},
                                                         {"slot0_partition", "mcuboot_primary"},
                                                         {"storage_partition", "settings_storage"},
                                                         {"slot1_partition", "mcuboot_secondary"},
                                                         {"littlefs_storage", "littlefs_storage"}};
        QCOMPARE(back.size(), pmNames.size());
        QCOMPARE(back["mcuboot"]["span"][0].Scalar(), std::string("mcuboot_primary"));
        for (Partition& p : l.partitions) {
            p.label = pmNames.at(p.label);
            const YAML::Node n = back[p.label];
            QVERIFY2(n.IsMap(), p.label.c_str());
            QCOMPARE(*pm::unsignedValue(n["size"]), p.size);
            QCOMPARE(*pm::unsignedValue(n["end_address"]), *pm::unsignedValue(n["address"]) + p.size);
            const bool external = isExternal(l.deviceOf(p)->kind);
            QCOMPARE(n["region"].Scalar(), std::string(external ? "external_flash" : "flash_primary"));
        }
        // Read back onto the same board, every partition lands where it was.
        const Layout again = importOk(text, l.board.id).layout;
        for (const Partition& p : l.partitions) {
            QCOMPARE(part(again, p.label).device, p.device);
            QCOMPARE(part(again, p.label).offset, p.offset);
        }
    }

    void exportRejectsWhatYamlCannotHold() {
        Layout l = importOk(kSample).layout;
        l.partitions[1].label = l.partitions[0].label;
        const auto dup = pmFormat().exporter->write(l, "o.yml", {});
        QVERIFY(!dup.ok());
        QVERIFY(dup.error().message.find("used twice") != std::string::npos);
        l = importOk(kSample).layout;
        l.partitions[0].device = "nowhere";
        QVERIFY(!pmFormat().exporter->write(l, "o.yml", {}).ok());
    }

    void detectedByContentAndName() {
        QCOMPARE((*detectFormat(kSample, "layout.txt"))->name, std::string_view("pm-static-yml"));
        QCOMPARE((*detectFormat(kSample, "pm_static.yml"))->name, std::string_view("pm-static-yml"));
        QCOMPARE(pmFormat().importer->sniff("nvs, data, nvs, 0x9000, 0x6000,\n", "partitions.csv"), 0);
        QVERIFY(hasExtension(pmFormat(), "pm_static_nrf5340dk.yaml"));
    }
};

QTEST_APPLESS_MAIN(TestPmStatic)
#include "tst_pmstatic.moc"
