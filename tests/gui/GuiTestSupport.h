// SPDX-License-Identifier: Apache-2.0
#pragma once
// Shared by the GUI suites: a throwaway settings folder, prompts that answer without a dialog, a main
// window on an example, and points of the map in viewport coordinates for QTest's mouse functions.

#include "db/DeviceDatabase.h"
#include "document/LayoutDocument.h"
#include "views/flashmap/FlashMapScene.h"
#include "views/flashmap/FlashMapView.h"
#include "views/flashmap/PartitionItem.h"
#include "window/MainWindow.h"

#include <QScrollBar>
#include <QSettings>
#include <QTemporaryDir>
#include <QtTest>

#include <memory>

namespace guitest {

using namespace flashplan;
using namespace flashplan::gui;

/// Points QSettings (and XDG_CONFIG_HOME) at a folder that lives as long as the test process, so no test
/// reads or writes the user's Flashplan settings. Call before the first window is made.
inline QString isolateSettings() {
    static QTemporaryDir dir;
    qputenv("XDG_CONFIG_HOME", dir.path().toUtf8());
    QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, dir.path());
    QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, dir.path());
    return dir.path();
}

/// Answers for the window's questions, and a record of the errors it showed.
struct Answers {
    QMessageBox::StandardButton saveChanges = QMessageBox::Discard;
    QString savePath;
    QString openPath;
    QStringList errors;
    int saveChangesAsked = 0;
    bool writeReadOnly = false; ///< the answer to "write a read-only partition?"
    QStringList readOnlyAsked;  ///< "partition: job" for each time it was asked

    UserPrompts prompts() {
        UserPrompts p;
        p.askSaveChanges = [this](QWidget*, const QString&) {
            ++saveChangesAsked;
            return saveChanges;
        };
        p.showError = [this](QWidget*, const QString&, const QString& text) { errors << text; };
        p.savePath = [this](QWidget*, const QString&, const QString&, const QString&) { return savePath; };
        p.openPath = [this](QWidget*, const QString&, const QString&) { return openPath; };
        p.confirmWriteReadOnly = [this](QWidget*, const QString& partition, const QString& job) {
            readOnlyAsked << partition + QStringLiteral(": ") + job;
            return writeReadOnly;
        };
        return p;
    }
};

/// A shown main window on an example layout, with scripted prompts.
struct Window {
    Answers answers;
    std::unique_ptr<MainWindow> window;

    explicit Window(const QString& example, QSize size = {1400, 900}) {
        auto db = DeviceDatabase::builtin();
        window = std::make_unique<MainWindow>(std::move(*db));
        window->setPrompts(answers.prompts());
        window->openExample(example);
        window->resize(size);
        window->show();
        if (!QTest::qWaitForWindowExposed(window.get()))
            qWarning("window not exposed");
        QCoreApplication::processEvents();
    }
    ~Window() {
        answers.saveChanges = QMessageBox::Discard;
        window->close();
    }

    LayoutDocument* doc() const { return window->document(); }
    FlashMapView* view() const { return window->mapView(); }
    FlashMapScene* scene() const { return window->mapScene(); }
    QWidget* viewport() const { return window->mapView()->viewport(); }
    const Layout& layout() const { return doc()->layout(); }
    std::size_t index(const char* label) const { return static_cast<std::size_t>(layout().indexOf(label)); }
    PartitionItem* item(const char* label) const { return scene()->partitionItem(index(label)); }

    /// Zooms so that one `sectorSize` sector of `device` is `pixels` tall.
    void zoomSectors(const char* device, std::uint64_t sectorSize, double pixels) const {
        const LaneGeometry* lane = scene()->lane(device);
        view()->setLaneLength(static_cast<double>(lane->size()) / static_cast<double>(sectorSize) * pixels);
        QCoreApplication::processEvents();
    }
    /// Scrolls so that `offset` of `device` is in the middle of the viewport.
    void centreOn(const char* device, std::uint64_t offset) const {
        const LaneGeometry* lane = scene()->lane(device);
        view()->centerOn(lane->bodyRect().center().x(), lane->yOf(offset));
        QCoreApplication::processEvents();
    }
    /// The viewport point at `offset` of `device`, `xFraction` across the partitions column.
    QPoint at(const char* device, std::uint64_t offset, double xFraction = 0.5) const {
        const LaneGeometry* lane = scene()->lane(device);
        const QRectF body = lane->bodyRect();
        return view()->mapFromScene(QPointF(body.left() + body.width() * xFraction, lane->yOf(offset)));
    }
    /// A left-button drag on the viewport, through `steps` intermediate moves.
    void drag(QPoint from, QPoint to, int steps = 8, Qt::KeyboardModifiers modifiers = {}) const {
        QTest::mousePress(viewport(), Qt::LeftButton, modifiers, from);
        for (int i = 1; i <= steps; ++i)
            QTest::mouseMove(viewport(), from + (to - from) * i / steps);
        QTest::mouseRelease(viewport(), Qt::LeftButton, modifiers, to);
        QCoreApplication::processEvents();
    }
};

} // namespace guitest
