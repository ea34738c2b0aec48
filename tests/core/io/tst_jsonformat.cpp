// SPDX-License-Identifier: Apache-2.0
#include "db/ExampleLayouts.h"
#include "io/Format.h"
#include "io/json/JsonFormat.h"

#include <QtTest>

#include <nlohmann/json.hpp>

using namespace flashplan;

namespace {

const DeviceDatabase& db() {
    static const DeviceDatabase instance = *DeviceDatabase::builtin();
    return instance;
}

Result<ImportResult> readJson(const std::string& text) {
    ImportOptions o;
    o.db = &db();
    return JsonImporter().read(text, "layout.json", o);
}

std::string writeJson(const Layout& l) {
    return JsonExporter().write(l, "layout.json", {})->front().text;
}

const char* const kHandWritten = R"({
  "schema": "flashplan-layout/1",
  "layout": {
    "name": "hand written",
    "board_ref": "stm32f4_disco",
    "partitions": [
      {"label": "boot", "device": "flash0", "offset": "0x20000", "size": "128K", "role": "slot0"},
      {"label": "update", "device": "flash0", "offset": 262144, "size": 131072, "role": "slot1",
       "properties": {"z.last": "1", "a.first": "2"}}
    ]
  }
})";

} // namespace

class TestJsonFormat : public QObject {
    Q_OBJECT
private slots:
    void everyExampleRoundTrips() {
        for (const std::string& name : ExampleLayouts::names()) {
            const Layout l = *ExampleLayouts::load(name, db());
            const auto back = readJson(writeJson(l));
            QVERIFY2(back.ok(), back.ok() ? "" : back.error().toString().c_str());
            QVERIFY2(back->layout == l, name.c_str());
        }
    }

    void inlineBoardsParentsAndPropertiesRoundTrip() {
        Layout l = *ExampleLayouts::load("nrf52840-mcuboot-external", db());
        l.boardRef.clear();
        l.board.id = "custom";
        l.board.devices[0].eraseRequired = false;
        l.board.devices[0].eraseValue = 0;
        l.partitions[1].parent = "boot_partition";
        flashplan::setProperty(l.partitions[1].properties, "zz.second", "b");
        flashplan::setProperty(l.partitions[1].properties, "aa.first",
                               "a"); // insertion order, not alphabetical, is kept
        flashplan::setProperty(l.properties, "zephyr.chosen.zephyr,code-partition", "slot0_partition");
        l.bootloader.settings = {{"BOOT_MAX_IMG_SECTORS", "256"}, {"A", "1"}};
        l.board.programmer.openocdTransport = "swd";
        l.board.programmer.probeSerial = "FPSWD-A";
        const auto back = readJson(writeJson(l));
        QVERIFY2(back.ok(), back.ok() ? "" : back.error().toString().c_str());
        QVERIFY(back->layout == l);
    }

    void handWrittenNumbersMayBeStrings() {
        const auto r = readJson(kHandWritten);
        QVERIFY2(r.ok(), r.ok() ? "" : r.error().toString().c_str());
        QCOMPARE(r->layout.partitions[0].offset, quint64(0x20000));
        QCOMPARE(r->layout.partitions[0].size, quint64(0x20000));
        QCOMPARE(r->layout.partitions[1].properties.front().first, std::string("z.last"));
        QCOMPARE(r->layout.board.devices.size(), std::size_t(1));
    }

    void takesTheCliImportDocumentToo() {
        const Layout l = *ExampleLayouts::load("spark-core", db());
        const std::string cli =
            R"({"schema": "flashplan-cli/1", "source": "x", "format": "flashplan", "layout": )" +
            nlohmann::ordered_json::parse(writeJson(l))["layout"].dump() + "}";
        const auto r = readJson(cli);
        QVERIFY2(r.ok(), r.ok() ? "" : r.error().toString().c_str());
        QVERIFY(r->layout == l);
    }

    void errors_data() {
        QTest::addColumn<QString>("from");
        QTest::addColumn<QString>("to");
        QTest::addColumn<QString>("field");
        QTest::addColumn<QString>("says");
        QTest::newRow("missing size") << R"("size": "128K", )"
                                      << ""
                                      << "layout.partitions[0].size"
                                      << "required";
        QTest::newRow("bad number") << R"("size": "128K")"
                                    << R"("size": "12Q")"
                                    << "layout.partitions[0].size"
                                    << "not a number";
        QTest::newRow("negative") << R"("offset": 262144)"
                                  << R"("offset": -1)"
                                  << "layout.partitions[1].offset"
                                  << "non-negative";
        QTest::newRow("bad role") << R"("role": "slot1")"
                                  << R"("role": "slot9")"
                                  << "layout.partitions[1].role"
                                  << "not a role";
        QTest::newRow("unknown board") << "stm32f4_disco"
                                       << "stm32f9"
                                       << "layout.board_ref"
                                       << "not in the device";
        QTest::newRow("wrong schema") << "flashplan-layout/1"
                                      << "flashplan-layout/9"
                                      << "schema"
                                      << "not a schema";
        QTest::newRow("partitions not array") << R"("partitions": [)"
                                              << R"("partitions": {"x": [)"
                                              << "layout.partitions"
                                              << "expected an array";
    }
    void errors() {
        QFETCH(QString, from);
        QFETCH(QString, to);
        QFETCH(QString, field);
        QFETCH(QString, says);
        std::string text = kHandWritten;
        const auto pos = text.find(from.toStdString());
        QVERIFY(pos != std::string::npos);
        text.replace(pos, static_cast<std::size_t>(from.size()), to.toStdString());
        if (from.startsWith(R"("partitions": [)"))
            text.replace(text.rfind(']'), 1, "]}");
        const auto r = readJson(text);
        QVERIFY(!r.ok());
        QCOMPARE(r.error().where.file, std::string("layout.json"));
        QCOMPARE(QString::fromStdString(r.error().field), field);
        QVERIFY2(QString::fromStdString(r.error().message).contains(says), r.error().toString().c_str());
    }

    void syntaxErrorsNameTheLine() {
        std::string text = kHandWritten;
        text.replace(text.find("\"role\": \"slot0\"}"), 16, "\"role\": \"slot0\"");
        const auto r = readJson(text);
        QVERIFY(!r.ok());
        QCOMPARE(r.error().code, Errc::Parse);
        QCOMPARE(r.error().where.line, 8); // where the parser meets the next "{" instead of a key
    }

    void sniffing() {
        const Format* json = findFormat("json");
        QVERIFY(json);
        QCOMPARE(json->importer->sniff(kHandWritten, "x.txt"), 95);
        QCOMPARE(json->importer->sniff("/dts-v1/;", "x.json"), 0);
        QCOMPARE((*detectFormat(kHandWritten, "x"))->name, std::string_view("json"));
    }
};

QTEST_APPLESS_MAIN(TestJsonFormat)
#include "tst_jsonformat.moc"
