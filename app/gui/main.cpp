// SPDX-License-Identifier: Apache-2.0
// flashplan: the layout editor. With no argument it opens the built-in default example; with one, a layout
// or any flash map Flashplan imports (or the name of an example). --measure-startup prints the time from
// process start to the first painted frame of the map, and quits.
#include "StartupClock.h"
#include "db/ExampleLayouts.h"
#include "db/UserDeviceFolder.h"
#include "util/ManPage.h"
#include "views/flashmap/FlashMapView.h"
#include "window/AppIcon.h"
#include "window/MainWindow.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QMessageBox>
#include <QTimer>

#include <cstdio>
#include <cstdlib>
#include <sys/resource.h>

int main(int argc, char* argv[]) {
    QElapsedTimer sinceMain;
    sinceMain.start();
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("flashplan"));
    QApplication::setApplicationDisplayName(QStringLiteral("Flashplan"));
    QApplication::setOrganizationName(QStringLiteral("Flashplan"));
    QApplication::setApplicationVersion(QStringLiteral(FLASHPLAN_VERSION));
    QApplication::setDesktopFileName(QStringLiteral("dev.flashplan.Flashplan"));
    QApplication::setWindowIcon(flashplan::gui::appIcon());

    // The help's strings, which the manual page (--man, for the package) prints too.
    const QString description = QStringLiteral("Flash partition layouts over real sector maps");
    const QString fileHelp =
        QStringLiteral("A .flashplan layout, any flash map Flashplan imports, or the name "
                       "of an example layout. Default: the built-in example.");
    const QString measureHelp = QStringLiteral("Print the seconds from process start to the first painted "
                                               "frame, then quit.");
    QCommandLineParser parser;
    parser.setApplicationDescription(description);
    const QCommandLineOption help = parser.addHelpOption();
    const QCommandLineOption version = parser.addVersionOption();
    parser.addPositionalArgument(QStringLiteral("file"), fileHelp, QStringLiteral("[file]"));
    const QCommandLineOption measure(QStringLiteral("measure-startup"), measureHelp);
    parser.addOption(measure);
    const QString screenshotHelp =
        QStringLiteral("Save a PNG of the window once the map is painted, then quit "
                       "(exit 2 when it cannot be written).");
    const QCommandLineOption screenshot(QStringLiteral("screenshot"), screenshotHelp, QStringLiteral("png"));
    parser.addOption(screenshot);
    QCommandLineOption man(QStringLiteral("man"), QStringLiteral("Print the manual page (roff)."));
    man.setFlags(QCommandLineOption::HiddenFromHelp);
    parser.addOption(man);
    parser.process(app);
    if (parser.isSet(man)) {
        flashplan::ManPage page;
        page.name = "flashplan";
        page.version = "flashplan " FLASHPLAN_VERSION;
        page.summary = "the Flashplan flash layout editor";
        page.synopsis = {"flashplan [options] [file]"};
        page.description =
            description.toStdString() +
            ": the editor draws a microcontroller's flash as its real sector map, " +
            "lays out partitions on it by drag and drop while the rule packs check every move, imports and " +
            "exports the layouts of Zephyr, MCUboot, wolfBoot, nRF Connect SDK and ESP-IDF, and programs " +
            "images into the slots over SWD (OpenOCD) or USB DFU.";
        const auto names = [](const QCommandLineOption& o) {
            QStringList out;
            for (const QString& n : o.names())
                out << (n.size() == 1 ? QStringLiteral("-") : QStringLiteral("--")) + n;
            return out.join(QStringLiteral(", ")).toStdString();
        };
        page.sections.push_back({"Options",
                                 {},
                                 {{"file", fileHelp.toStdString()},
                                  {names(help), help.description().toStdString()},
                                  {names(version), version.description().toStdString()},
                                  {names(measure), measure.description().toStdString()},
                                  {names(screenshot) + " <png>", screenshot.description().toStdString()}}});
        page.sections.push_back({"See also", "flashplan-cli(1)", {}});
        std::fputs(flashplan::toRoff(page).c_str(), stdout);
        return 0;
    }

    auto db = flashplan::DeviceDatabase::builtin();
    if (!db) {
        QMessageBox::critical(
            nullptr, QStringLiteral("Flashplan"),
            QString::fromStdString("The built-in device database is broken: " + db.error().toString()));
        return 2;
    }
    // The boards `flashplan-cli devices import` wrote; a bad file is named and skipped, the rest load.
    const std::vector<flashplan::Error> userErrors = flashplan::addUserDevices(
        *db, flashplan::userDeviceFolder(std::getenv("XDG_DATA_HOME"), std::getenv("HOME")));
    flashplan::gui::MainWindow window(std::move(*db));
    const QStringList args = parser.positionalArguments();
    if (args.isEmpty() || !window.openArgument(args.front()))
        window.openExample(
            QString::fromUtf8(flashplan::ExampleLayouts::kDefault.data(),
                              static_cast<qsizetype>(flashplan::ExampleLayouts::kDefault.size())));

    if (!userErrors.empty()) {
        QString text;
        for (const flashplan::Error& e : userErrors)
            text += QString::fromStdString(e.toString()) + QLatin1Char('\n');
        std::fputs(qPrintable(QStringLiteral("flashplan: skipped in the device folder:\n") + text), stderr);
        // Not modal: the editor is usable meanwhile, and a timed start is not held up.
        auto* box = new QMessageBox(QMessageBox::Warning, QStringLiteral("Flashplan"),
                                    QStringLiteral("Some files of your device folder were skipped:\n") + text,
                                    QMessageBox::Ok, &window);
        box->setAttribute(Qt::WA_DeleteOnClose);
        if (!parser.isSet(measure))
            QTimer::singleShot(0, box, [box] { box->open(); });
    }
    if (parser.isSet(measure)) {
        QObject::connect(window.mapView(), &flashplan::gui::FlashMapView::firstFrame, &app, [&] {
            const auto sinceStart = flashplan::gui::secondsSinceProcessStart();
            rusage usage{};
            getrusage(RUSAGE_SELF, &usage);
            std::printf("first frame: %.3f s after process start, %.3f s after main(), peak memory %.1f MB\n",
                        sinceStart ? *sinceStart : -1.0, static_cast<double>(sinceMain.nsecsElapsed()) * 1e-9,
                        static_cast<double>(usage.ru_maxrss) / 1024.0);
            std::fflush(stdout);
            QTimer::singleShot(0, &app, &QApplication::quit);
        });
    }
    if (parser.isSet(screenshot)) {
        const QString file = parser.value(screenshot);
        QObject::connect(window.mapView(), &flashplan::gui::FlashMapView::firstFrame, &app, [&window, file] {
            // After this frame's events, so the panels beside the map are laid out and painted too.
            QTimer::singleShot(0, &window, [&window, file] {
                if (!window.grab().save(file, "PNG")) {
                    std::fprintf(stderr, "flashplan: cannot write the screenshot %s\n", qPrintable(file));
                    QApplication::exit(2);
                    return;
                }
                QApplication::quit();
            });
        });
    }
    window.show();
    return app.exec();
}
