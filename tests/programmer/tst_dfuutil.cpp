// SPDX-License-Identifier: Apache-2.0
// Flashplan and the real dfu-util on the same emulated devices: what one writes, the other reads back
// identically. Skipped when dfu-util is not installed.
#include "DfuTestSupport.h"
#include "Jobs.h"
#include "UmockdevDfuBus.h"
#include "backends/dfu/DfuBackend.h"

#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>

using namespace flashplan;
using namespace flashplan::emu;
using namespace flashplan::programmer;
using namespace flashplan::testing;

namespace {

struct Run {
    int exitCode = -1;
    QString output;
};

/// dfu-util with `args`, in the testbed the process runs in (UMOCKDEV_DIR and the preload are inherited).
Run dfuUtil(const QStringList& args) {
    QProcess p;
    p.setProcessChannelMode(QProcess::MergedChannels);
    p.start(QStringLiteral("dfu-util"), args);
    if (!p.waitForFinished(30000)) {
        p.kill();
        p.waitForFinished();
    }
    return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, QString::fromUtf8(p.readAll())};
}

QByteArray bytes(const std::vector<std::uint8_t>& v) {
    return QByteArray(reinterpret_cast<const char*>(v.data()), qsizetype(v.size()));
}

void writeFile(const QString& path, const std::vector<std::uint8_t>& v) {
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(bytes(v));
}

QByteArray readFile(const QString& path) {
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

JobReport flashSlot(const Layout& layout, const std::string& label, const std::vector<std::uint8_t>& image) {
    DfuBackend backend;
    JobContext ctx;
    FlashRequest r;
    r.layout = &layout;
    r.partition = static_cast<std::size_t>(layout.indexOf(label));
    r.offset = layout.partitions[r.partition].offset;
    r.data = image;
    return flashPartition(backend, r, ctx);
}

JobReport readSlot(const Layout& layout, const std::string& label) {
    DfuBackend backend;
    JobContext ctx;
    return readPartition(backend, layout, static_cast<std::size_t>(layout.indexOf(label)), ctx);
}

} // namespace

class TestDfuUtil : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() {
        if (QStandardPaths::findExecutable(QStringLiteral("dfu-util")).isEmpty())
            QSKIP("dfu-util is not installed");
    }

    void flashplanWritesDfuUtilReads_data() {
        QTest::addColumn<QString>("kind");
        QTest::newRow("stm32f4") << "stm32f4";
        QTest::newRow("spark spi flash") << "spark";
        QTest::newRow("plain") << "plain";
    }
    void flashplanWritesDfuUtilReads() {
        QFETCH(QString, kind);
        UmockdevDfuBus bus;
        QTemporaryDir dir;
        const QString out = dir.filePath("upload.bin");
        const auto image = randomBytes(40000, 21);
        QStringList args;
        if (kind == "stm32f4") {
            bus.plug(stm32f4Bootloader());
            const JobReport r = flashSlot(f4Layout(), "slot0_partition", image);
            QVERIFY2(r.ok(), r.error ? r.error->toString().c_str() : "");
            args = {"-d", "0483:df11", "-a", "0", "-s", "0x08008000:40000", "-U", out};
        } else if (kind == "spark") {
            bus.plug(sparkCore());
            const JobReport r = flashSlot(sparkLayout(), "slot1_partition", image);
            QVERIFY2(r.ok(), r.error ? r.error->toString().c_str() : "");
            args = {"-d", "1d50:607f", "-a", "1", "-s", "0x00010000:40000", "-U", out};
        } else {
            bus.plug(plainDfu());
            const JobReport r = flashSlot(plainLayout(), "image_partition", image);
            QVERIFY2(r.ok(), r.error ? r.error->toString().c_str() : "");
            args = {"-d", "1209:0001", "-a", "0", "-U", out};
        }
        const Run run = dfuUtil(args);
        QVERIFY2(run.exitCode == 0, qPrintable(run.output));
        const QByteArray uploaded = readFile(out);
        // A plain DFU upload returns the whole memory: the image, then the erased rest of its sectors.
        QVERIFY2(uploaded.left(qsizetype(image.size())) == bytes(image), qPrintable(run.output));
        if (kind != "plain")
            QCOMPARE(uploaded.size(), qsizetype(image.size()));
    }

    void dfuUtilWritesFlashplanReads_data() { flashplanWritesDfuUtilReads_data(); }
    void dfuUtilWritesFlashplanReads() {
        QFETCH(QString, kind);
        UmockdevDfuBus bus;
        QTemporaryDir dir;
        const QString in = dir.filePath("download.bin");
        const auto image = randomBytes(40000, 22);
        writeFile(in, image);
        Layout layout;
        std::string label;
        EmulatedDfuDevice* device = nullptr;
        QStringList args;
        if (kind == "stm32f4") {
            device = &bus.plug(stm32f4Bootloader());
            layout = f4Layout();
            label = "slot0_partition";
            args = {"-d", "0483:df11", "-a", "0", "-s", "0x08008000", "-D", in};
        } else if (kind == "spark") {
            device = &bus.plug(sparkCore());
            layout = sparkLayout();
            label = "slot1_partition";
            args = {"-d", "1d50:607f", "-a", "1", "-s", "0x00010000", "-D", in};
        } else {
            device = &bus.plug(plainDfu());
            layout = plainLayout();
            label = "image_partition";
            args = {"-d", "1209:0001", "-a", "0", "-D", in};
        }
        const Run run = dfuUtil(args);
        QVERIFY2(run.exitCode == 0, qPrintable(run.output));
        QVERIFY(device->counters().dataBlocks > 0);
        const JobReport r = readSlot(layout, label);
        QVERIFY2(r.ok(), r.error ? r.error->toString().c_str() : "");
        QVERIFY(std::equal(image.begin(), image.end(), r.data.begin()));
    }
};

FLASHPLAN_UMOCKDEV_TEST_MAIN(TestDfuUtil)
#include "tst_dfuutil.moc"
