// SPDX-License-Identifier: Apache-2.0
// The CLI and the GUI give one answer to each question. One verdict, one reason: for every job kind
// (flash, verify, read, erase) and every case (a clean layout, a layout with an error, a raw image one
// byte too large once the MCUboot trailer is counted, an image that exactly fills the space before the
// trailer, a read-only partition), flashplan-cli (a real process) and the programming panel (real
// widgets) either both run the job on the simulator or both refuse it, with the same "[rule] message"
// reasons. One count: validate, the Diagnostics panel and the status bar count the same findings.
#include "GuiTestSupport.h"

#include "db/ExampleLayouts.h"
#include "io/LayoutFile.h"
#include "program/FlashPayload.h"
#include "programming/ProgrammingPanel.h"
#include "widgets/DiagnosticsPanel.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QProcess>
#include <QSignalSpy>
#include <QTreeWidget>

using namespace guitest;
using programmer::JobReport;

Q_DECLARE_METATYPE(flashplan::programmer::JobReport)

namespace {

/// What one side said: ran (and succeeded), or refused with these reasons.
struct Verdict {
    bool ran = false;
    QStringList reasons; ///< "[rule] message", in order
};

QString writeBytes(const QString& path, qint64 size) {
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly))
        qFatal("cannot write %s", qPrintable(path));
    QByteArray bytes(size, Qt::Uninitialized);
    for (qint64 i = 0; i < size; ++i)
        bytes[i] = char(i * 7 + 1);
    f.write(bytes);
    return path;
}

} // namespace

class TestCliGuiParity : public QObject {
    Q_OBJECT

    QTemporaryDir dir_;

    /// flashplan-cli with --json: its verdict from the last event line.
    Verdict cli(const QString& kind, const QString& layout, const QString& label, const QString& image,
                const QString& simDir) {
        QStringList args{kind, QStringLiteral("--json"), layout, label};
        if (kind == QLatin1String("flash") || kind == QLatin1String("verify"))
            args << image;
        if (kind == QLatin1String("read"))
            args << dir_.filePath(QStringLiteral("read.bin"));
        args << QStringLiteral("--sim-dir") << simDir;
        QProcess p;
        p.start(QStringLiteral(FLASHPLAN_CLI), args);
        if (!p.waitForFinished(60000))
            qFatal("flashplan-cli did not finish");
        const QList<QByteArray> lines = p.readAllStandardOutput().trimmed().split('\n');
        const QJsonObject result = QJsonDocument::fromJson(lines.last()).object();
        Verdict v;
        v.ran = result.value(QStringLiteral("ok")).toBool(); // a verify that finds differences exits 1
        for (const QJsonValue& r : result.value(QStringLiteral("reasons")).toArray())
            v.reasons << QStringLiteral("[%1] %2").arg(r[QStringLiteral("rule")].toString(),
                                                       r[QStringLiteral("message")].toString());
        if (!v.ran && v.reasons.isEmpty())
            qWarning("flashplan-cli %s: exit %d, %s", qPrintable(args.join(' ')), p.exitCode(),
                     p.readAllStandardError().constData());
        return v;
    }

    /// The programming panel on the same file: its verdict from the job it ran or the refusal it showed.
    Verdict gui(const QString& kind, const QString& layout, const QString& label, const QString& image) {
        Window w(QStringLiteral("zephyr-flash-map"));
        if (!w.window->openFile(layout))
            qFatal("cannot open %s", qPrintable(layout));
        ProgrammingPanel* panel = w.window->programmingPanel();
        w.window->showProgrammingPanel();
        const std::size_t index = w.index(label.toUtf8().constData());
        if (!image.isEmpty() && !panel->assignImage(index, image))
            qFatal("the panel took no image");
        QSignalSpy finished(panel, &ProgrammingPanel::jobFinished);
        bool started = false;
        if (kind == QLatin1String("flash"))
            started = panel->flash(index);
        else if (kind == QLatin1String("verify"))
            started = panel->verify(index);
        else if (kind == QLatin1String("erase"))
            started = panel->erase(index);
        else
            started = panel->readBack(index, dir_.filePath(QStringLiteral("gui-read.bin")));
        Verdict v;
        if (started) {
            if (!finished.wait(30000))
                qFatal("the panel's job did not end");
            v.ran = finished.at(0).at(0).value<JobReport>().ok();
            return v;
        }
        // "Refused: flash x; nothing was started." then one "• reason" line each.
        const QStringList lines = panel->resultLabel()->text().split(QLatin1Char('\n'));
        for (const QString& line : lines.mid(1))
            v.reasons << line.mid(2);
        return v;
    }

private slots:
    void oneCountOfFindings() {
        // An ESP-IDF table: a name that DTS and C exports would refuse (a warning), the importer's
        // assumptions and the free space (infos).
        const QString csv = dir_.filePath(QStringLiteral("partitions.csv"));
        QFile f(csv);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("# Name, Type, SubType, Offset, Size, Flags\n"
                "nvs,      data, nvs,     0x9000,  0x6000,\n"
                "phy-init, data, phy,     0xf000,  0x1000,\n"
                "factory,  app,  factory, 0x10000, 1M,\n");
        f.close();
        QProcess p;
        p.start(QStringLiteral(FLASHPLAN_CLI), {QStringLiteral("validate"), QStringLiteral("--json"), csv});
        QVERIFY(p.waitForFinished(30000));
        const QJsonObject v = QJsonDocument::fromJson(p.readAllStandardOutput()).object();
        const QString counted = QStringLiteral("%1 error%2, %3 warning%4, %5 info%6")
                                    .arg(v[QStringLiteral("errors")].toInt())
                                    .arg(v[QStringLiteral("errors")].toInt() == 1 ? "" : "s")
                                    .arg(v[QStringLiteral("warnings")].toInt())
                                    .arg(v[QStringLiteral("warnings")].toInt() == 1 ? "" : "s")
                                    .arg(v[QStringLiteral("infos")].toInt())
                                    .arg(v[QStringLiteral("infos")].toInt() == 1 ? "" : "s");
        QVERIFY2(v[QStringLiteral("warnings")].toInt() > 0 && v[QStringLiteral("infos")].toInt() > 0,
                 qPrintable(counted));

        Window w(QStringLiteral("zephyr-flash-map"));
        QVERIFY(w.window->openFile(csv));
        QCOMPARE(w.window->diagnosticsPanel()->summaryLabel()->text(), counted);
        QCOMPARE(w.window->findingsLabel()->text(),
                 QString(counted).replace(QStringLiteral(", "), QStringLiteral(" · ")));
        QCOMPARE(w.window->diagnosticsPanel()->tree()->topLevelItemCount(),
                 v[QStringLiteral("diagnostics")].toArray().size());
    }

    void initTestCase() {
        isolateSettings();
        qRegisterMetaType<JobReport>();
        QVERIFY(dir_.isValid());
    }

    void sameVerdictSameReason_data() {
        QTest::addColumn<QString>("kind");
        QTest::addColumn<QString>("layoutCase");
        QTest::addColumn<QString>("label");
        QTest::addColumn<QString>("imageCase");
        QTest::addColumn<bool>("runs");
        // zephyr-flash-map: MCUboot swap using scratch; slot1 0x80000..0xe0000, boot_partition read-only.
        for (const char* kind : {"flash", "verify", "read", "erase"}) {
            const bool withImage = kind == std::string("flash") || kind == std::string("verify");
            const QString image = withImage ? QStringLiteral("fills") : QString();
            const bool writes = kind == std::string("flash") || kind == std::string("erase");
            QTest::addRow("%s, clean layout", kind) << kind << "clean"
                                                    << "slot1_partition" << image << true;
            QTest::addRow("%s, layout with an error", kind) << kind << "broken"
                                                            << "slot1_partition" << image << !writes;
            QTest::addRow("%s, read-only partition", kind)
                << kind << "clean"
                << "boot_partition" << (withImage ? QStringLiteral("small") : QString()) << !writes;
            if (withImage) {
                QTest::addRow("%s, one byte too large after the trailer", kind) << kind << "clean"
                                                                                << "slot1_partition"
                                                                                << "too-large" << false;
                QTest::addRow("%s, exactly filling the space before the trailer", kind) << kind << "clean"
                                                                                        << "slot1_partition"
                                                                                        << "fills" << true;
            }
        }
    }

    void sameVerdictSameReason() {
        QFETCH(QString, kind);
        QFETCH(QString, layoutCase);
        QFETCH(QString, label);
        QFETCH(QString, imageCase);
        QFETCH(bool, runs);

        auto db = DeviceDatabase::builtin();
        QVERIFY(db);
        auto layout = ExampleLayouts::load("zephyr-flash-map", *db);
        QVERIFY(layout);
        if (layoutCase == QLatin1String("broken")) // storage grows into slot0: an overlap, an error
            layout->partitions[static_cast<std::size_t>(layout->indexOf("storage_partition"))].size = 0x4000;
        const QString file = dir_.filePath(layoutCase + QStringLiteral(".flashplan"));
        QVERIFY(LayoutFile::save(file.toStdString(), *layout));

        const auto slot1 = static_cast<std::size_t>(layout->indexOf("slot1_partition"));
        const std::uint64_t space = layout->partitions[slot1].size - bootloaderReserve(*layout, slot1);
        QString image;
        if (imageCase == QLatin1String("fills"))
            image = writeBytes(dir_.filePath(QStringLiteral("fills.bin")), qint64(space));
        else if (imageCase == QLatin1String("too-large"))
            image = writeBytes(dir_.filePath(QStringLiteral("too-large.bin")), qint64(space + 1));
        else if (imageCase == QLatin1String("small"))
            image = writeBytes(dir_.filePath(QStringLiteral("small.bin")), 0x100);

        QTemporaryDir cliSim, guiSim;
        const Verdict fromCli = cli(kind, file, label, image, cliSim.path());
        qputenv("FLASHPLAN_SIM_DIR", guiSim.path().toUtf8());
        const Verdict fromGui = gui(kind, file, label, image);

        QCOMPARE(fromCli.ran, runs);
        QCOMPARE(fromGui.ran, runs);
        QVERIFY2(fromGui.reasons == fromCli.reasons,
                 qPrintable(fromGui.reasons.join(QLatin1Char('\n')) + QStringLiteral("\n--- cli:\n") +
                            fromCli.reasons.join(QLatin1Char('\n'))));
        QCOMPARE(fromCli.reasons.isEmpty(), runs);
        if (imageCase == QLatin1String("too-large"))
            QVERIFY2(fromCli.reasons.join(' ').contains(QStringLiteral("bootloader's trailer")),
                     qPrintable(fromCli.reasons.join('\n')));
    }
};

QTEST_MAIN(TestCliGuiParity)
#include "tst_cli_gui_parity.moc"
