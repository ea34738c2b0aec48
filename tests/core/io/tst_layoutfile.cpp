// SPDX-License-Identifier: Apache-2.0
#include "db/ExampleLayouts.h"
#include "io/LayoutFile.h"
#include "io/TextFile.h"

#include <QTemporaryDir>
#include <QtTest>

using namespace flashplan;

namespace {

const DeviceDatabase& db() {
    static const DeviceDatabase instance = *DeviceDatabase::builtin();
    return instance;
}

const char* const kValid = R"(<?xml version="1.0" encoding="UTF-8"?>
<flashplan-layout schema="1" name="test">
  <board ref="nrf52840dk_nrf52840"/>
  <bootloader kind="mcuboot" mode="swap-using-scratch">
    <setting name="BOOT_MAX_IMG_SECTORS" value="256"/>
  </bootloader>
  <partition label="boot_partition" device="flash0" offset="0x0" size="64K" role="boot" read-only="true"/>
  <partition label="slot0_partition" device="flash0" offset="0x10000" size="0x70000" role="slot0" image="app.signed.bin"/>
  <partition label="slot1_partition" device="mx25r64" offset="0" size="0x70000" role="slot1" image-index="1"/>
</flashplan-layout>
)";

Error parseError(const std::string& text) {
    const auto r = LayoutFile::parse(text, "bad.flashplan", db());
    if (r.ok())
        qFatal("expected a parse error");
    return r.error();
}

std::string replaceOnce(std::string s, const std::string& from, const std::string& to) {
    const auto pos = s.find(from);
    if (pos == std::string::npos)
        qFatal("'%s' not in the text", from.c_str());
    return s.replace(pos, from.size(), to);
}

} // namespace

class TestLayoutFile : public QObject {
    Q_OBJECT
private slots:
    void readsEveryField() {
        const auto r = LayoutFile::parse(kValid, "test.flashplan", db());
        QVERIFY2(r.ok(), r.ok() ? "" : r.error().toString().c_str());
        const Layout& l = *r;
        QCOMPARE(l.name, std::string("test"));
        QCOMPARE(l.boardRef, std::string("nrf52840dk_nrf52840"));
        QCOMPARE(l.board.devices.size(), std::size_t(2));
        QCOMPARE(l.bootloader.kind, std::string("mcuboot"));
        QCOMPARE(l.bootloader.mode, std::string("swap-using-scratch"));
        QCOMPARE(*l.bootloader.setting("BOOT_MAX_IMG_SECTORS"), std::string("256"));
        QCOMPARE(l.partitions.size(), std::size_t(3));
        QCOMPARE(l.partitions[0].size, quint64(0x10000));
        QVERIFY(l.partitions[0].readOnly);
        QCOMPARE(l.partitions[0].role, PartitionRole::Boot);
        QCOMPARE(l.partitions[1].image, std::string("app.signed.bin"));
        QCOMPARE(l.partitions[2].device, std::string("mx25r64"));
        QCOMPARE(l.partitions[2].imageIndex, 1);
    }

    void boardsResolveThroughAnyCatalog() {
        // io knows boards only as a BoardCatalog; the device database is one, a test can bring its own.
        struct OneBoard : BoardCatalog {
            Board board = *db().find("nrf52840dk_nrf52840");
            OneBoard() { board.id = "mine"; }
            const Board* find(std::string_view id) const override {
                return id == board.id ? &board : nullptr;
            }
        } mine;
        const std::string text = replaceOnce(kValid, "ref=\"nrf52840dk_nrf52840\"", "ref=\"mine\"");
        const auto r = LayoutFile::parse(text, "mine.flashplan", mine);
        QVERIFY2(r.ok(), r.ok() ? "" : r.error().toString().c_str());
        QCOMPARE(r->boardRef, std::string("mine"));
        QCOMPARE(r->board.devices.size(), std::size_t(2));
        QVERIFY(!LayoutFile::parse(kValid, "theirs.flashplan", mine).ok());
    }

    void bootloaderWordsFlashplanDoesNotKnowSurviveARoundTrip() {
        // Kept as written, so that a newer file's bootloader is not lost; the rules say what they make of it.
        const std::string text = replaceOnce(kValid, "kind=\"mcuboot\" mode=\"swap-using-scratch\"",
                                             "kind=\"mcuboot\" mode=\"swap-using-magic\"");
        const Layout a = *LayoutFile::parse(text, "a", db());
        QCOMPARE(a.bootloader.mode, std::string("swap-using-magic"));
        QCOMPARE(a.bootloader.upgradeMode(), std::nullopt);
        const std::string saved = LayoutFile::serialize(a);
        QVERIFY(saved.find("mode=\"swap-using-magic\"") != std::string::npos);
        QVERIFY(*LayoutFile::parse(saved, "b", db()) == a);
    }

    void roundTripsThroughText() {
        const Layout a = *LayoutFile::parse(kValid, "a", db());
        const std::string text = LayoutFile::serialize(a);
        const auto b = LayoutFile::parse(text, "b", db());
        QVERIFY2(b.ok(), b.ok() ? "" : b.error().toString().c_str());
        QVERIFY(a == *b);
        QVERIFY(text.find("<board ref=\"nrf52840dk_nrf52840\"") != std::string::npos);
        QVERIFY(text.find("offset=\"0x10000\"") != std::string::npos);
    }

    void parentsAndPropertiesRoundTrip() {
        Layout a = *LayoutFile::parse(kValid, "a", db());
        a.partitions[1].parent = "boot_partition";
        flashplan::setProperty(a.partitions[1].properties, "esp-idf.type", "app");
        flashplan::setProperty(a.partitions[1].properties, "dts.label-property", "image-0 <&\"quoted\">");
        flashplan::setProperty(a.properties, "zephyr.chosen.zephyr,code-partition", "slot0_partition");
        const std::string text = LayoutFile::serialize(a);
        const auto b = LayoutFile::parse(text, "b", db());
        QVERIFY2(b.ok(), b.ok() ? "" : b.error().toString().c_str());
        QVERIFY(a == *b);
        QCOMPARE(*findProperty(b->partitions[1].properties, "dts.label-property"),
                 std::string("image-0 <&\"quoted\">"));
        // A property given twice is refused, not silently merged.
        const std::string twice = replaceOnce(text, "<property name=\"esp-idf.type\" value=\"app\" />",
                                              "<property name=\"esp-idf.type\" value=\"app\" /><property "
                                              "name=\"esp-idf.type\" value=\"data\" />");
        QCOMPARE(LayoutFile::parse(twice, "c", db()).error().field, std::string("name"));
    }

    void thePlatformAndAnInferredGeometryRoundTripAsSchema2() {
        Layout a = *LayoutFile::parse(kValid, "a", db());
        // Without schema 2's additions a file stays readable by a Flashplan that reads schema 1.
        QVERIFY(LayoutFile::serialize(a).find(R"(schema="1")") != std::string::npos);
        a.platform = Platform::PartitionManager;
        a.boardRef.clear();
        a.board.devices[0].geometryInferred = true;
        const std::string text = LayoutFile::serialize(a);
        QVERIFY2(text.find(R"(schema="2" name="test" platform="partition-manager")") != std::string::npos,
                 text.c_str());
        QVERIFY2(text.find(R"(geometry="inferred")") != std::string::npos, text.c_str());
        const auto b = LayoutFile::parse(text, "b", db());
        QVERIFY2(b.ok(), b.ok() ? "" : b.error().toString().c_str());
        QVERIFY(*b == a);
        std::string wrong = text;
        wrong.replace(wrong.find("partition-manager"), 17, "zephyr-pm");
        QCOMPARE(LayoutFile::parse(wrong, "c", db()).error().field, std::string("platform"));
    }

    void inlineBoardsRoundTrip() {
        Layout a = *LayoutFile::parse(kValid, "a", db());
        a.boardRef.clear(); // written inline from now on
        a.board.id = "my_board";
        a.board.devices[1].cpuBase.reset();
        a.board.devices[0].eraseRequired = false;
        // The probe hints a bench sets in its project: the transport and which probe by serial.
        a.board.programmer.openocdInterface = "interface/cmsis-dap.cfg";
        a.board.programmer.openocdTransport = "swd";
        a.board.programmer.probeSerial = "E6614103E7 <B>";
        const std::string text = LayoutFile::serialize(a);
        QVERIFY2(text.find(R"(transport="swd" serial="E6614103E7 &lt;B>")") != std::string::npos,
                 text.c_str());
        const auto b = LayoutFile::parse(text, "b", db());
        QVERIFY2(b.ok(), b.ok() ? "" : b.error().toString().c_str());
        QVERIFY(a == *b);
    }

    void everyExampleLoadsAndRoundTrips() {
        const auto names = ExampleLayouts::names();
        QVERIFY(names.size() >= 4);
        for (const std::string& name : names) {
            const auto l = ExampleLayouts::load(name, db());
            QVERIFY2(l.ok(), l.ok() ? "" : l.error().toString().c_str());
            QVERIFY(!l->partitions.empty());
            QVERIFY(*LayoutFile::parse(LayoutFile::serialize(*l), name, db()) == *l);
        }
        QCOMPARE(ExampleLayouts::load("nope", db()).error().code, Errc::NotFound);
    }

    void theZephyrExampleIsExactlyTheDocumentedTable() {
        const Layout l = *ExampleLayouts::load(ExampleLayouts::kDefault, db());
        struct Row {
            const char* label;
            std::uint64_t offset, size;
        };
        const Row rows[] = {{"boot_partition", 0x0, 0x10000},
                            {"storage_partition", 0x1e000, 0x2000},
                            {"slot0_partition", 0x20000, 0x60000},
                            {"slot1_partition", 0x80000, 0x60000},
                            {"scratch_partition", 0xe0000, 0x20000}};
        QCOMPARE(l.partitions.size(), std::size_t(5));
        for (std::size_t i = 0; i < 5; ++i) {
            QCOMPARE(l.partitions[i].label, std::string(rows[i].label));
            QCOMPARE(l.partitions[i].offset, quint64(rows[i].offset));
            QCOMPARE(l.partitions[i].size, quint64(rows[i].size));
        }
        QVERIFY(l.partitions[0].readOnly);
        QCOMPARE(l.board.device("flash0")->size(), quint64(0x100000));
    }

    void truncatedFileNamesTheLine() {
        const std::string text(kValid);
        const Error e = parseError(text.substr(0, text.find("<partition label=\"slot1")));
        QCOMPARE(e.code, Errc::Parse);
        QCOMPARE(e.where.file, std::string("bad.flashplan"));
        QCOMPARE(e.where.line, 9); // the file ends on line 9, inside the unclosed document
        QVERIFY2(e.toString().starts_with("bad.flashplan:9:"), e.toString().c_str());
    }

    void errorsNameLineAndField_data() {
        QTest::addColumn<QString>("from");
        QTest::addColumn<QString>("to");
        QTest::addColumn<int>("line");
        QTest::addColumn<QString>("field");
        QTest::addColumn<QString>("says");
        QTest::newRow("bad number") << "size=\"0x70000\" role=\"slot0\""
                                    << "size=\"0x7g000\" role=\"slot0\"" << 8 << "size"
                                    << "not a number";
        QTest::newRow("missing offset") << "offset=\"0\" "
                                        << "" << 9 << "offset"
                                        << "required attribute";
        QTest::newRow("unknown role") << "role=\"slot1\""
                                      << "role=\"slot3\"" << 9 << "role"
                                      << "is not a role";
        QTest::newRow("misspelt attribute") << "read-only=\"true\""
                                            << "readonly=\"true\"" << 7 << "readonly"
                                            << "unknown attribute";
        QTest::newRow("bad bool") << "read-only=\"true\""
                                  << "read-only=\"yes\"" << 7 << "read-only"
                                  << "not true or false";
        QTest::newRow("unknown board") << "ref=\"nrf52840dk_nrf52840\""
                                       << "ref=\"nrf99\"" << 3 << "ref"
                                       << "not in the device database";
        QTest::newRow("newer schema") << "schema=\"1\""
                                      << "schema=\"7\"" << 2 << "schema"
                                      << "newer Flashplan";
        QTest::newRow("stray element") << "<board ref"
                                       << "<boards/>\n  <board ref" << 3 << "boards"
                                       << "unexpected element";
        QTest::newRow("duplicate setting")
            << "value=\"256\"/>"
            << "value=\"256\"/><setting name=\"BOOT_MAX_IMG_SECTORS\" value=\"1\"/>" << 5 << "name"
            << "given twice";
        QTest::newRow("offset overflow") << "offset=\"0x10000\""
                                         << "offset=\"0xffffffffffffffff\"" << 8 << "size"
                                         << "64 bits";
    }
    void errorsNameLineAndField() {
        QFETCH(QString, from);
        QFETCH(QString, to);
        QFETCH(int, line);
        QFETCH(QString, field);
        QFETCH(QString, says);
        const Error e = parseError(replaceOnce(kValid, from.toStdString(), to.toStdString()));
        QCOMPARE(e.where.file, std::string("bad.flashplan"));
        QCOMPARE(e.where.line, line);
        QCOMPARE(QString::fromStdString(e.field), field);
        QVERIFY2(QString::fromStdString(e.message).contains(says), e.toString().c_str());
    }

    void notALayoutAtAll() {
        QCOMPARE(parseError("<flashplan-devices schema=\"1\"/>").code, Errc::Schema);
        QCOMPARE(parseError("").code, Errc::Parse);
        QCOMPARE(parseError("<flashplan-layout schema=\"1\"/>").field, std::string("board"));
    }

    void savesAtomicallyAndLeavesNoTemporaryFiles() {
        QTemporaryDir dir;
        const std::filesystem::path path = dir.filePath("x.flashplan").toStdString();
        const Layout l = *LayoutFile::parse(kValid, "a", db());
        QVERIFY(LayoutFile::save(path, l).ok());
        QVERIFY(*LayoutFile::load(path, db()) == l);
        Layout changed = l;
        changed.partitions[0].label = "mcuboot";
        QVERIFY(LayoutFile::save(path, changed).ok());
        QCOMPARE(LayoutFile::load(path, db())->partitions[0].label, std::string("mcuboot"));
        QCOMPARE(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden), QStringList{"x.flashplan"});
    }

    void aFailedSaveLeavesWhatWasThereAndNoTemporaryFile() {
        // The target is a folder: the data is written and flushed, then the rename fails. Works as root too,
        // where permission tricks do not.
        QTemporaryDir dir;
        const QString target = dir.filePath("x.flashplan");
        QVERIFY(QDir().mkdir(target));
        QVERIFY(QFile(target + "/keep").open(QIODevice::WriteOnly));
        const Layout l = *LayoutFile::parse(kValid, "a", db());
        const auto r = LayoutFile::save(target.toStdString(), l);
        QVERIFY(!r.ok());
        QCOMPARE(r.error().code, Errc::Io);
        QCOMPARE(r.error().where.file, target.toStdString());
        QVERIFY(QFileInfo(target + "/keep").exists());
        QCOMPARE(QDir(dir.path()).entryList(QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot),
                 QStringList{"x.flashplan"});
    }

    void missingFileIsAnIoErrorNamingIt() {
        const auto r = LayoutFile::load("/nonexistent/x.flashplan", db());
        QVERIFY(!r.ok());
        QCOMPARE(r.error().code, Errc::Io);
        QCOMPARE(r.error().where.file, std::string("/nonexistent/x.flashplan"));
    }
};

QTEST_APPLESS_MAIN(TestLayoutFile)
#include "tst_layoutfile.moc"
