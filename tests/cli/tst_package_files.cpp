// SPDX-License-Identifier: Apache-2.0
// What the package is made of that the programs write themselves: flashplan-cli's manual page and bash
// completion (from the same strings as its --help), the udev rules (from the device database and the probe
// table), flashplan's manual page, and the window screenshot `flashplan --screenshot` saves.
#include "CliRun.h"

#include <QImage>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

namespace {

using clirun::cli;
using clirun::Run;

/// The command names of `flashplan-cli --help`: the lines indented by two spaces under "Commands:".
QStringList helpCommands() {
    const QStringList lines = cli({"--help"}).out.split(QLatin1Char('\n'));
    QStringList names;
    bool in = false;
    for (const QString& line : lines) {
        if (line == QLatin1String("Commands:")) {
            in = true;
            continue;
        }
        if (in && line.isEmpty())
            break;
        if (in && line.startsWith(QLatin1String("  ")) && !line.startsWith(QLatin1String("    ")))
            names << line.trimmed().section(QLatin1Char(' '), 0, 0);
    }
    return names;
}

/// Runs bash with the completion script loaded and asks it to complete `words` (the last one is the word
/// under the cursor); returns what it offers.
QStringList complete(const QString& script, const QStringList& words) {
    QStringList quoted;
    for (const QString& w : words)
        quoted << QLatin1Char('\'') + w + QLatin1Char('\'');
    const QString program = QStringLiteral("compgen() { builtin compgen \"$@\"; }\n") + script +
                            QStringLiteral("\nCOMP_WORDS=(%1); COMP_CWORD=%2; _flashplan_cli; "
                                           "printf '%s\\n' \"${COMPREPLY[@]}\"\n")
                                .arg(quoted.join(QLatin1Char(' ')))
                                .arg(words.size() - 1);
    QProcess bash;
    bash.start(QStringLiteral("bash"), {QStringLiteral("-c"), program});
    if (!bash.waitForFinished(10000))
        return {QStringLiteral("<bash did not finish>")};
    return QString::fromUtf8(bash.readAllStandardOutput()).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
}

} // namespace

class TestPackageFiles : public QObject {
    Q_OBJECT
private slots:
    void theManualPageSaysWhatTheHelpSays() {
        const Run r = cli({"--man"});
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.out.startsWith(QLatin1String(".TH \"FLASHPLAN\\-CLI\" \"1\"")),
                 qPrintable(r.out.left(200)));
        const QStringList commands = helpCommands();
        QVERIFY(commands.size() >= 10);
        for (const QString& c : commands)
            QVERIFY2(r.out.contains(QStringLiteral("\n.B ") + QString(c).replace(QLatin1Char('-'), "\\-")),
                     qPrintable(c));
        // An option and its help as --help prints them, escaped for roff.
        QVERIFY(cli({"validate", "--help"}).out.contains(QLatin1String("--strict")));
        QVERIFY(r.out.contains(QLatin1String(".B \\-\\-strict")));
        // No line may start a request by accident: every line is a request we wrote or plain text.
        for (const QString& line : r.out.split(QLatin1Char('\n')))
            QVERIFY2(!line.startsWith(QLatin1Char('\'')), qPrintable(line));
    }

    void bashCompletesCommandsOptionsAndFormats() {
        const Run r = cli({"--bash-completion"});
        QCOMPARE(r.exitCode, 0);
        QVERIFY(r.out.contains(QLatin1String("complete -o filenames -F _flashplan_cli flashplan-cli")));
        QCOMPARE(complete(r.out, {"flashplan-cli", "vali"}), QStringList{"validate"});
        QVERIFY(complete(r.out, {"flashplan-cli", "flash", "--full"}).contains(QStringLiteral("--full")));
        QVERIFY(!complete(r.out, {"flashplan-cli", "info", "--ful"}).contains(QStringLiteral("--full")));
        QCOMPARE(complete(r.out, {"flashplan-cli", "convert", "--to", "wolfboot-t"}),
                 QStringList{"wolfboot-target-h"});
        QVERIFY(
            complete(r.out, {"flashplan-cli", "flash", "--backend", ""}).contains(QStringLiteral("openocd")));
    }

    void udevRulesTagDfuDevicesAndProbesForTheSeat() {
        const Run r = cli({"--udev-rules"});
        QCOMPARE(r.exitCode, 0);
        // Any DFU interface, the database's DFU IDs (ST's bootloader for the STM32 boards), the probes.
        QVERIFY(r.out.contains(QLatin1String("ENV{ID_USB_INTERFACES}==\"*:fe0102:*\", TAG+=\"uaccess\"")));
        QVERIFY(r.out.contains(QLatin1String("ATTR{idVendor}==\"0483\", ATTR{idProduct}==\"df11\"")));
        QVERIFY(r.out.contains(QLatin1String("ATTR{idVendor}==\"0483\", ATTR{idProduct}==\"3748\"")));
        QVERIFY(r.out.contains(QLatin1String("ATTR{idVendor}==\"1366\", TAG+=\"uaccess\"")));
        QVERIFY(r.out.contains(QLatin1String("ATTRS{product}==\"*CMSIS-DAP*\"")));
        // Every rule line tags for the seat (or jumps past the rules on removal).
        for (const QString& line : r.out.split(QLatin1Char('\n'))) {
            if (line.isEmpty() || line.startsWith(QLatin1Char('#')) ||
                line.startsWith(QLatin1String("LABEL=")) ||
                line.startsWith(QLatin1String("ACTION==\"remove\"")))
                continue;
            QVERIFY2(line.endsWith(QLatin1String("TAG+=\"uaccess\"")), qPrintable(line));
        }
    }

    void theEditorWritesItsManualPageAndAScreenshot() {
        QTemporaryDir dir;
        QProcess gui;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
        gui.setProcessEnvironment(env);
        gui.start(QStringLiteral(FLASHPLAN_GUI), {QStringLiteral("--man")});
        QVERIFY(gui.waitForFinished(30000));
        QCOMPARE(gui.exitCode(), 0);
        const QString page = QString::fromUtf8(gui.readAllStandardOutput());
        QVERIFY2(page.startsWith(QLatin1String(".TH \"FLASHPLAN\" \"1\"")), qPrintable(page.left(200)));
        QVERIFY(page.contains(QLatin1String("\\-\\-screenshot")));

        const QString png = dir.filePath(QStringLiteral("window.png"));
        gui.start(QStringLiteral(FLASHPLAN_GUI), {QStringLiteral("--screenshot"), png});
        QVERIFY(gui.waitForFinished(60000));
        QCOMPARE(gui.exitCode(), 0);
        const QImage shot(png);
        QVERIFY(!shot.isNull());
        QVERIFY(shot.width() >= 400 && shot.height() >= 300);
        // A folder that does not exist: the editor says so and exits 2.
        gui.start(QStringLiteral(FLASHPLAN_GUI),
                  {QStringLiteral("--screenshot"), dir.filePath("no/such/x.png")});
        QVERIFY(gui.waitForFinished(60000));
        QCOMPARE(gui.exitCode(), 2);
        QVERIFY(QString::fromUtf8(gui.readAllStandardError())
                    .contains(QLatin1String("cannot write the screenshot")));
    }
};

QTEST_GUILESS_MAIN(TestPackageFiles)
#include "tst_package_files.moc"
