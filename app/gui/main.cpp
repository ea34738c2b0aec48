// SPDX-License-Identifier: Apache-2.0
// flashplan: the layout editor. With no argument it opens the built-in default example; with one, a layout
// or any flash map Flashplan imports (or the name of an example). --measure-startup prints the time from
// process start to the first painted frame of the map, and quits.
#include "StartupClock.h"
#include "db/ExampleLayouts.h"
#include "db/UserDeviceFolder.h"
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
    QApplication::setDesktopFileName(QStringLiteral("flashplan"));
    QApplication::setWindowIcon(flashplan::gui::appIcon());

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Flash partition layouts over real sector maps"));
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addPositionalArgument(
        QStringLiteral("file"),
        QStringLiteral("A .flashplan layout, any flash map Flashplan imports, or the name "
                       "of an example layout. Default: the built-in example."),
        QStringLiteral("[file]"));
    const QCommandLineOption measure(
        QStringLiteral("measure-startup"),
        QStringLiteral("Print the seconds from process start to the first painted "
                       "frame, then quit."));
    parser.addOption(measure);
    parser.process(app);

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
    window.show();
    return app.exec();
}
