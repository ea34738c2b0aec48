// SPDX-License-Identifier: Apache-2.0
// Flashplan's devicetree reading and writing judged by the real tools: exported overlays compiled by
// dtc and read back with libfdt, and the preprocessor compared with cpp. Test code only: the product
// never runs dtc or cpp. Skips when they are not installed.
#include "DtbSupport.h"
#include "DtsTestSupport.h"
#include "OverlayFixtures.h"
#include "io/dts/DtsExporter.h"
#include "io/dts/DtsKeys.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

using namespace flashplan;

namespace {

// Zephyr's dts/common/mem.h defines these; cpp gets them from this file, Flashplan has them built in.
const char* const kMemH = "#define DT_SIZE_K(x) ((x) * 1024)\n#define DT_SIZE_M(x) (DT_SIZE_K(x) * 1024)\n";

bool writeFile(const QString& path, const std::string& text) {
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile f(path);
    return f.open(QIODevice::WriteOnly) &&
           f.write(text.data(), static_cast<qint64>(text.size())) == qint64(text.size());
}

/// `cpp` as Zephyr runs it on devicetree files; empty (with `errors`) when it fails.
QByteArray runCpp(const QString& file, const QStringList& includeDirs, QString* errors) {
    QStringList args{"-x", "assembler-with-cpp", "-nostdinc", "-undef", "-D__DTS__", "-P", "-E"};
    for (const QString& dir : includeDirs)
        args << "-isystem" << dir;
    args << file;
    QProcess p;
    p.start(QStandardPaths::findExecutable("cpp"), args);
    if (!p.waitForFinished(30000) || p.exitCode() != 0) {
        *errors = QString::fromUtf8(p.readAllStandardError());
        return {};
    }
    return p.readAllStandardOutput();
}

/// The DTB partition that stands for `p`: the one with its label, or for a partition without one the
/// unlabelled one at its offset. Not by position: dtc keeps a deleted node that is defined again at its
/// old place (Zephyr's dtlib, and Flashplan, put it last), so an overlay's order is not the DTB's.
const dtb::Partition* counterpart(const Partition& p, const std::vector<dtb::Partition>& got) {
    const bool unlabeled = findProperty(p.properties, dts::key::kUnlabeled) != nullptr;
    for (const dtb::Partition& g : got) {
        const bool hasLabel = std::find(g.labels.begin(), g.labels.end(), p.label) != g.labels.end();
        if (unlabeled ? (g.labels.empty() && g.offset == p.offset) : hasLabel)
            return &g;
    }
    return nullptr;
}

/// The partitions of `device` under `parent` in the layout against those the DTB has there.
void compareTable(const Layout& l, const std::string& parent, const std::string& device,
                  const std::vector<dtb::Partition>& got) {
    std::size_t count = 0;
    for (const Partition& p : l.partitions) {
        if (p.device != device || p.parent != parent)
            continue;
        ++count;
        const dtb::Partition* g = counterpart(p, got);
        QVERIFY2(g, p.label.c_str());
        QCOMPARE(g->offset, p.offset);
        QCOMPARE(g->size, p.size);
        QCOMPARE(g->readOnly, p.readOnly);
        const std::string* lp = findProperty(p.properties, dts::key::kLabelProperty);
        QCOMPARE(g->labelProperty.has_value(), lp != nullptr);
        if (lp)
            QCOMPARE(*g->labelProperty, *lp);
        compareTable(l, p.label, device, g->children);
    }
    QCOMPARE(got.size(), count);
}

/// Every partition table and partition chosen entry of `layout` against the DTB dtc compiled.
void compareWithDtb(const Layout& layout, const dtb::Reader& dtb) {
    QVERIFY(dtb.ok());
    const auto tables = dtb.tables();
    std::vector<std::string> devices;
    for (const Partition& p : layout.partitions)
        if (std::find(devices.begin(), devices.end(), p.device) == devices.end())
            devices.push_back(p.device);
    QCOMPARE(tables.size(), devices.size());
    for (const dtb::Table& t : tables) {
        // The flash node of a table is the one its device's label names.
        const std::vector<std::string> labels = dtb.labelsOf(t.flashPath);
        const auto device = std::find_if(devices.begin(), devices.end(), [&](const std::string& d) {
            return std::find(labels.begin(), labels.end(), d) != labels.end();
        });
        QVERIFY2(device != devices.end(), t.flashPath.c_str());
        compareTable(layout, "", *device, t.partitions);
    }
    for (const auto& [key, label] : layout.properties) {
        if (!key.starts_with(dts::key::kChosenPrefix))
            continue;
        const auto chosen = dtb.chosen();
        const auto it = chosen.find(key.substr(dts::key::kChosenPrefix.size()));
        QVERIFY(it != chosen.end());
        const auto labels = dtb.labelsOf(it->second);
        QVERIFY(std::find(labels.begin(), labels.end(), label) != labels.end());
    }
}

} // namespace

class TestDtsTools : public QObject {
    Q_OBJECT

    QTemporaryDir tmp_;

    /// `text` through cpp, with an include folder holding mem.h.
    QByteArray preprocessed(const std::string& text) {
        const QString dir = tmp_.path() + "/cpp";
        if (!writeFile(dir + "/include/mem.h", kMemH) || !writeFile(dir + "/board.dts", text))
            qFatal("cannot write into %s", qPrintable(dir));
        QString errors;
        const QByteArray out = runCpp(dir + "/board.dts", {dir + "/include"}, &errors);
        if (out.isEmpty())
            qFatal("cpp failed: %s", qPrintable(errors));
        return out;
    }

private slots:
    void initTestCase() {
        if (dtb::dtcProgram().isEmpty() || QStandardPaths::findExecutable("cpp").isEmpty())
            QSKIP("dtc or cpp is not installed (Debian: device-tree-compiler, cpp)");
        QVERIFY(tmp_.isValid());
    }

    void exportedOverlaysCompileWithDtc_data() {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("style");
        QTest::newRow("board") << dtstest::kBoard << "classic";
        QTest::newRow("board, mapped") << dtstest::kBoard << "mapped";
        QTest::newRow("nested") << dtstest::kNested << "classic";
        QTest::newRow("nested, mapped") << dtstest::kNested << "mapped";
        QTest::newRow("mapped") << dtstest::kMapped << "mapped";
        QTest::newRow("mapped, classic") << dtstest::kMapped << "classic";
        QTest::newRow("two cells") << dtstest::kTwoCells << "classic";
    }
    void exportedOverlaysCompileWithDtc() {
        QFETCH(QString, text);
        QFETCH(QString, style);
        const auto imported = dtstest::importDts(text.toStdString());
        QVERIFY(imported.ok());
        Layout layout = imported->layout;
        if (QString(QTest::currentDataTag()) == "two cells") // and above 4 GiB, which needs two cells
            layout.partitions[1].offset = 0x100000000;
        ExportOptions o;
        o.dtsStyle = style.toStdString();
        const auto overlay = writeDtsOverlay(layout, o);
        QVERIFY(overlay.ok());

        QString errors;
        const QByteArray blob = dtb::compile(
            preprocessed(text.toStdString()) + "\n" + QByteArray::fromStdString(*overlay), &errors);
        QVERIFY2(!blob.isEmpty(), qPrintable(errors + "\n" + QString::fromStdString(*overlay)));
        compareWithDtb(layout, dtb::Reader(blob));
    }

    /// A board file and two overlays (OverlayFixtures.h), read as Zephyr's build reads them
    /// (ImportOptions::overlays), against dtc's tree of the same files preprocessed as one text: the first
    /// overlay deletes a node the board defines and adds one with the board's macro, the second changes a
    /// partition through its label, adds read-only and moves a chosen entry. Later files win, as in dtc.
    void boardAndOverlaysReadAsDtcReadsThem() {
        const QString dir = tmp_.path() + "/overlays";
        const std::string board = overlays::kBoard;
        QVERIFY(writeFile(dir + "/board.dts", board) &&
                writeFile(dir + "/storage.overlay", overlays::kStorage) &&
                writeFile(dir + "/slot.overlay", overlays::kSlot));

        ImportOptions options;
        options.overlays = {(dir + "/storage.overlay").toStdString(), (dir + "/slot.overlay").toStdString()};
        const auto ours = dtstest::importDts(board, (dir + "/board.dts").toStdString(), options);
        QVERIFY2(ours.ok(), ours.ok() ? "" : ours.error().toString().c_str());
        const Layout& l = ours->layout;
        // What the overlays changed is there (and compareWithDtb checks the rest against dtc).
        QVERIFY(l.indexOf("storage_partition") < 0);
        QCOMPARE(l.partitions[static_cast<std::size_t>(l.indexOf("lfs_partition"))].size,
                 std::uint64_t(0x10000));
        const Partition& slot1 = l.partitions[static_cast<std::size_t>(l.indexOf("slot1_partition"))];
        QCOMPARE(slot1.size, std::uint64_t(0x60000));
        QVERIFY(slot1.readOnly);
        QCOMPARE(*findProperty(l.properties, std::string(dts::key::kChosenPrefix) + "zephyr,code-partition"),
                 std::string("slot1_partition"));

        QString errors;
        const QByteArray blob =
            dtb::compile(preprocessed(board + "\n" + overlays::kStorage + "\n" + overlays::kSlot), &errors);
        QVERIFY2(!blob.isEmpty(), qPrintable(errors));
        compareWithDtb(l, dtb::Reader(blob));

        // An error in an overlay names the overlay's line, not the board's.
        QVERIFY(writeFile(dir + "/broken.overlay",
                          "\n&flash0 { partitions { x: partition@0 { reg = <0 ; }; }; };\n"));
        options.overlays = {(dir + "/broken.overlay").toStdString()};
        const auto broken = dtstest::importDts(board, (dir + "/board.dts").toStdString(), options);
        QVERIFY(!broken.ok());
        QCOMPARE(broken.error().where.file, (dir + "/broken.overlay").toStdString());
        QCOMPARE(broken.error().where.line, 2);
    }

    void preprocessorAgreesWithCpp() {
        // A raw board split over files, with the constructs board files use.
        const QString dir = tmp_.path() + "/raw";
        QVERIFY(writeFile(dir + "/include/mem.h", kMemH));
        QVERIFY(
            writeFile(dir + "/include/acme/soc.dtsi",
                      "#include <mem.h>\n#define FLASH_BASE 0x08000000\n"
                      "/ { #address-cells = <1>; #size-cells = <1>;\n"
                      " soc { #address-cells = <1>; #size-cells = <1>; ranges;\n"
                      "  flash0: flash@8000000 { compatible = \"soc-nv-flash\";\n"
                      "   reg = <FLASH_BASE DT_SIZE_K(FLASH_KB)>; erase-block-size = <ERASE>; }; }; };\n"));
        QVERIFY(writeFile(dir + "/boards/acme/parts/layout.dtsi",
                          "#define PART(name, off, sz) name##_partition: partition@off { label = #name; \\\n"
                          "\treg = <0x##off sz>; }\n"
                          "&flash0 { partitions { compatible = \"fixed-partitions\";\n"
                          " #address-cells = <1>; #size-cells = <1>;\n"
                          " PART(boot, 0, DT_SIZE_K(32));\n"
                          "#if defined(WITH_SCRATCH) && FLASH_KB > 256\n"
                          " PART(scratch, 8000, DT_SIZE_K(32));\n"
                          "#elif FLASH_KB >= 128\n"
                          " PART(storage, 8000, (FLASH_KB - 32) * 1024);\n"
                          "#else\n#error too small\n#endif\n"
                          " }; };\n"));
        const std::string board =
            "/dts-v1/;\n#define FLASH_KB 512\n#define ERASE 2048\n#define WITH_SCRATCH\n"
            "#include <acme/soc.dtsi>\n#include \"parts/layout.dtsi\"\n"
            "#undef WITH_SCRATCH\n/ { model = \"acme\"; chosen {\n"
            "  zephyr,code-partition = &scratch_partition; }; };\n";
        QVERIFY(writeFile(dir + "/boards/acme/acme.dts", board));

        QString errors;
        const QByteArray byCpp = runCpp(dir + "/boards/acme/acme.dts", {dir + "/include"}, &errors);
        QVERIFY2(!byCpp.isEmpty(), qPrintable(errors));
        const auto fromCpp = dtstest::importDts(byCpp.toStdString(), "acme.dts");
        QVERIFY2(fromCpp.ok(), fromCpp.ok() ? "" : fromCpp.error().toString().c_str());

        ImportOptions options;
        options.includeDirs = {(dir + "/include").toStdString()};
        const auto ours = dtstest::importDts(board, (dir + "/boards/acme/acme.dts").toStdString(), options);
        QVERIFY2(ours.ok(), ours.ok() ? "" : ours.error().toString().c_str());
        QVERIFY(ours->layout == fromCpp->layout);
        QCOMPARE(ours->layout.partitions.size(), std::size_t(2));
        QCOMPARE(ours->layout.partitions[1].label, std::string("scratch_partition"));
        QCOMPARE(*findProperty(ours->layout.partitions[1].properties, dts::key::kLabelProperty),
                 std::string("scratch"));
    }
};

QTEST_MAIN(TestDtsTools)
#include "tst_dtstools.moc"
