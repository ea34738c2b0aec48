// SPDX-License-Identifier: Apache-2.0
#include "window/MainWindow.h"

#include "commands/LayoutEdits.h"
#include "db/ExampleLayouts.h"
#include "desktop/AppSettings.h"
#include "desktop/FileFilters.h"
#include "dialogs/KeysDialog.h"
#include "dialogs/NewLayoutDialog.h"
#include "document/LayoutDocument.h"
#include "document/Text.h"
#include "io/LayoutFile.h"
#include "programming/ProgrammingPanel.h"
#include "rules/RulePack.h"
#include "views/flashmap/AddressInfo.h"
#include "views/flashmap/FlashMapScene.h"
#include "views/flashmap/FlashMapView.h"
#include "widgets/DiagnosticsPanel.h"
#include "widgets/PartitionTable.h"
#include "widgets/PropertiesPanel.h"
#include "window/AppIcon.h"
#include "window/DocumentIo.h"

#include <QAction>
#include <QCloseEvent>
#include <QCoreApplication>
#include <QDir>
#include <QDockWidget>
#include <QFileInfo>
#include <QLabel>
#include <QMenuBar>
#include <QSettings>
#include <QStatusBar>
#include <QStyle>
#include <QToolBar>
#include <QUndoStack>

namespace flashplan::gui {

namespace {

/// The error as "file:line: field: reason", naming `path` when the error itself names no file.
QString describe(const Error& error, const QString& path) {
    Error e = error;
    if (e.where.file.empty())
        e.where.file = path.toStdString();
    return q(e.toString());
}

} // namespace

MainWindow::MainWindow(DeviceDatabase db, QWidget* parent)
    : QMainWindow(parent), db_(std::move(db)), prompts_(UserPrompts::interactive()),
      document_(new LayoutDocument(this)), scene_(new FlashMapScene(document_, this)),
      view_(new FlashMapView(scene_, this)) {
    setObjectName(QStringLiteral("MainWindow"));
    setWindowIcon(appIcon());
    setCentralWidget(view_);
    hover_ = new QLabel(this);
    findings_ = new QLabel(this);
    hover_->setObjectName(QStringLiteral("hoverLabel"));
    findings_->setObjectName(QStringLiteral("findingsLabel"));
    statusBar()->addWidget(hover_, 1);
    statusBar()->addPermanentWidget(findings_);
    createDocks();
    createActions();
    connectMap();

    connect(document_, &LayoutDocument::identityChanged, this, &MainWindow::updateTitle);
    connect(document_, &LayoutDocument::diagnosticsChanged, this, &MainWindow::updateFindings);
    connect(document_, &LayoutDocument::layoutReset, view_, &FlashMapView::fitToView);

    resize(1280, 800);
    const QSettings settings(kSettingsOrganization, kSettingsApplication);
    restoreGeometry(settings.value(QStringLiteral("window/geometry")).toByteArray());
    restoreState(settings.value(QStringLiteral("window/state")).toByteArray());
    updateTitle();
    updateFindings();
}

MainWindow::~MainWindow() {
    // The panels and the map talk to the document until they are gone (a table's selection, a field that
    // loses the focus), so they go first; QObject would delete the document first, in creation order.
    document_->disconnect(this);
    qDeleteAll(findChildren<QDockWidget*>(QString(), Qt::FindDirectChildrenOnly));
    delete view_;
    delete scene_;
}

void MainWindow::createDocks() {
    const auto dock = [this](QWidget* content, const QString& title, const QString& name,
                             Qt::DockWidgetArea area) {
        auto* d = new QDockWidget(title, this);
        d->setObjectName(name);
        d->setWidget(content);
        addDockWidget(area, d);
        return d;
    };
    table_ = new PartitionTable(document_, this);
    properties_ = new PropertiesPanel(document_, this);
    diagnostics_ = new DiagnosticsPanel(document_, this);
    programming_ = new ProgrammingPanel(document_, this);
    programming_->setPrompts(&prompts_);
    QDockWidget* tableDock =
        dock(table_, tr("Partitions"), QStringLiteral("PartitionsDock"), Qt::BottomDockWidgetArea);
    QDockWidget* propertiesDock =
        dock(properties_, tr("Properties"), QStringLiteral("PropertiesDock"), Qt::RightDockWidgetArea);
    QDockWidget* diagDock =
        dock(diagnostics_, tr("Diagnostics"), QStringLiteral("DiagnosticsDock"), Qt::BottomDockWidgetArea);
    splitDockWidget(tableDock, diagDock, Qt::Horizontal);
    // Behind the properties, with the height it needs: editing and programming are two moments of the
    // work, and the map stays as large as it was.
    programmingDock_ =
        dock(programming_, tr("Programming"), QStringLiteral("ProgrammingDock"), Qt::RightDockWidgetArea);
    tabifyDockWidget(propertiesDock, programmingDock_);
    propertiesDock->raise();
    resizeDocks({tableDock, diagDock}, {640, 520}, Qt::Horizontal);
    resizeDocks({tableDock}, {200}, Qt::Vertical);
}

void MainWindow::createActions() {
    const auto add = [this](QMenu* menu, const QString& text, const QList<QKeySequence>& keys,
                            const QString& tip, auto slot) {
        QAction* a = menu->addAction(text);
        a->setShortcuts(keys);
        a->setStatusTip(tip);
        connect(a, &QAction::triggered, this, slot);
        return a;
    };
    const auto themed = [this](QAction* a, const char* theme, QStyle::StandardPixmap fallback) {
        a->setIcon(QIcon::fromTheme(QLatin1String(theme), style()->standardIcon(fallback)));
    };

    QMenu* file = menuBar()->addMenu(tr("&File"));
    QAction* newAct =
        add(file, tr("&New from board…"), {QKeySequence::New},
            tr("Design a layout for a board of the device database"), &MainWindow::newFromBoard);
    QAction* openAct = add(file, tr("&Open…"), {QKeySequence::Open},
                           tr("Open a layout or any flash map Flashplan reads"), &MainWindow::openDialog);
    QMenu* examples = file->addMenu(tr("Open &example"));
    for (const std::string& name : ExampleLayouts::names()) {
        const QString n = q(name);
        connect(examples->addAction(n), &QAction::triggered, this, [this, n] { openExample(n); });
    }
    recentMenu_ = file->addMenu(tr("Open &recent"));
    connect(recentMenu_, &QMenu::aboutToShow, this, &MainWindow::fillRecentMenu);
    fillRecentMenu();
    file->addSeparator();
    QAction* saveAct =
        add(file, tr("&Save"), {QKeySequence::Save}, tr("Save the layout (.flashplan)"), &MainWindow::save);
    add(file, tr("Save &as…"), {QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_S)},
        tr("Save the layout to a new file"), &MainWindow::saveAs);
    file->addSeparator();
    // One entry per format of the core's table: formats added there appear here by themselves.
    importMenu_ = file->addMenu(tr("&Import"));
    exportMenu_ = file->addMenu(tr("E&xport"));
    for (const Format& f : allFormats()) {
        const QString name = q(f.name);
        if (f.importer)
            connect(importMenu_->addAction(q(f.title) + QStringLiteral("…")), &QAction::triggered, this,
                    [this, name] { importDialog(name); });
        if (f.exporter)
            connect(exportMenu_->addAction(q(f.title) + QStringLiteral("…")), &QAction::triggered, this,
                    [this, name] { exportDialog(name); });
    }
    examples->menuAction()->setStatusTip(tr("Open one of the example layouts compiled into Flashplan"));
    recentMenu_->menuAction()->setStatusTip(tr("Open a file opened or saved lately"));
    importMenu_->menuAction()->setStatusTip(tr("Read a layout from a file of a chosen format"));
    exportMenu_->menuAction()->setStatusTip(tr("Write the layout in another format (every file it needs)"));
    file->addSeparator();
    add(file, tr("&Quit"), {QKeySequence::Quit}, tr("Close Flashplan"), &QWidget::close);

    QMenu* edit = menuBar()->addMenu(tr("&Edit"));
    QAction* undo = document_->undoStack()->createUndoAction(this, tr("&Undo"));
    undo->setShortcuts({QKeySequence(Qt::CTRL | Qt::Key_Z)});
    undo->setStatusTip(tr("Undo the last edit"));
    QAction* redo = document_->undoStack()->createRedoAction(this, tr("&Redo"));
    redo->setShortcuts({QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Z), QKeySequence(Qt::CTRL | Qt::Key_Y)});
    redo->setStatusTip(tr("Redo the edit undone last"));
    edit->addAction(undo);
    edit->addAction(redo);
    edit->addSeparator();
    add(edit, tr("&Delete partition"), {QKeySequence(Qt::Key_Delete)}, tr("Delete the selected partitions"),
        [this] { edits::deletePartitions(*document_, document_->selection()); });
    add(edit, tr("Select &all"), {QKeySequence::SelectAll}, tr("Select every partition"), [this] {
        std::vector<std::size_t> all(document_->layout().partitions.size());
        for (std::size_t i = 0; i < all.size(); ++i)
            all[i] = i;
        document_->setSelection(std::move(all));
    });
    add(edit, tr("&Fix all"), {}, tr("Apply every obvious repair the rules offer (one undo step)"),
        [this] { edits::applyAllFixes(*document_); });

    QMenu* viewMenu = menuBar()->addMenu(tr("&View"));
    QAction* zoomIn =
        add(viewMenu, tr("Zoom &in"), {QKeySequence::ZoomIn, QKeySequence(Qt::CTRL | Qt::Key_Equal)},
            tr("Zoom in around the centre"), [this] { view_->zoomIn(); });
    QAction* zoomOut = add(viewMenu, tr("Zoom &out"), {QKeySequence::ZoomOut},
                           tr("Zoom out around the centre"), [this] { view_->zoomOut(); });
    QAction* fit = add(viewMenu, tr("&Fit to window"), {QKeySequence(Qt::CTRL | Qt::Key_0)},
                       tr("Show whole devices"), [this] { view_->fitToView(); });
    viewMenu->addSeparator();
    for (QDockWidget* d : findChildren<QDockWidget*>()) {
        d->toggleViewAction()->setStatusTip(tr("Show or hide the %1 panel").arg(d->windowTitle()));
        viewMenu->addAction(d->toggleViewAction());
    }

    QMenu* program = menuBar()->addMenu(tr("&Program"));
    add(program, tr("&Programming panel"), {QKeySequence(Qt::Key_F8)},
        tr("Show the panel that flashes images into partitions"), &MainWindow::showProgrammingPanel);
    add(program, tr("&Flash the selected partition"), {QKeySequence(Qt::SHIFT | Qt::Key_F8)},
        tr("Flash the selected partition's image with the panel's backend"), [this] {
            showProgrammingPanel();
            for (const std::size_t i : document_->selection())
                if (programming_->flashButton(i)) {
                    programming_->flash(i);
                    return;
                }
            notify(tr("Select a partition that takes an image first"), 8000);
        });
    add(program, tr("&Cancel the job"), {}, tr("Stop the running programming job"),
        [this] { programming_->cancel(); });

    QMenu* help = menuBar()->addMenu(tr("&Help"));
    add(help, tr("&Keys and mouse"), {QKeySequence::HelpContents, QKeySequence(Qt::Key_F1)},
        tr("Every key, mouse gesture and command"), &MainWindow::showKeys);
    add(help, tr("&About Flashplan"), {}, tr("Version and licence"), [this] {
        QMessageBox::about(
            this, tr("About Flashplan"),
            tr("<b>Flashplan %1</b><p>Flash partition layouts over real sector maps, checked by "
               "rule packs for Zephyr, MCUboot and wolfBoot.</p><p>Apache-2.0</p>")
                .arg(QCoreApplication::applicationVersion()));
    });

    themed(newAct, "document-new", QStyle::SP_FileIcon);
    themed(openAct, "document-open", QStyle::SP_DialogOpenButton);
    themed(saveAct, "document-save", QStyle::SP_DialogSaveButton);
    themed(undo, "edit-undo", QStyle::SP_ArrowBack);
    themed(redo, "edit-redo", QStyle::SP_ArrowForward);
    zoomIn->setIcon(QIcon::fromTheme(QStringLiteral("zoom-in")));
    zoomOut->setIcon(QIcon::fromTheme(QStringLiteral("zoom-out")));
    fit->setIcon(QIcon::fromTheme(QStringLiteral("zoom-fit-best")));

    QToolBar* bar = addToolBar(tr("Main"));
    bar->setObjectName(QStringLiteral("MainToolBar"));
    bar->addActions({newAct, openAct, saveAct});
    bar->addSeparator();
    bar->addActions({undo, redo});
    bar->addSeparator();
    bar->addActions({zoomIn, zoomOut, fit});
}

QList<QAction*> MainWindow::commands() const {
    QList<QAction*> out;
    for (QAction* menu : menuBar()->actions())
        if (menu->menu())
            for (QAction* a : menu->menu()->actions())
                if (!a->isSeparator())
                    out << a; // submenus too (Open example, Import...): their entries are data, not commands
    return out;
}

void MainWindow::connectMap() {
    connect(scene_, &FlashMapScene::moveRequested, this,
            [this](std::size_t i, const std::string& device, quint64 offset) {
                edits::movePartition(*document_, i, device, offset);
            });
    connect(scene_, &FlashMapScene::resizeRequested, this,
            [this](std::size_t i, quint64 offset, quint64 size) {
                edits::resizePartition(*document_, i, offset, size);
            });
    connect(scene_, &FlashMapScene::createRequested, this,
            [this](const std::string& device, quint64 offset, quint64 size) {
                edits::createPartition(*document_, device, offset, size);
            });
    connect(scene_, &FlashMapScene::editRefused, this,
            [this](const QString& why) { notify(tr("Refused: %1").arg(why), 10000); });
    connect(scene_, &FlashMapScene::dragFeedback, this, [this](QString text) {
        if (!text.isEmpty())
            hover_->setText(text.replace('\n', QStringLiteral(" · ")));
    });
    connect(view_, &FlashMapView::imageDropped, this, [this](std::size_t i, const QString& path) {
        showProgrammingPanel();
        if (auto r = programming_->assignImage(i, path); !r)
            notify(tr("Refused: %1").arg(q(r.error().message)), 10000);
    });
    connect(view_, &FlashMapView::hoverAddress, this, &MainWindow::showHover);
    connect(view_, &FlashMapView::hoverCleared, hover_, &QLabel::clear);
    connect(view_, &FlashMapView::nudgeRequested, this,
            [this](int steps) { edits::nudgePartitions(*document_, document_->selection(), steps); });
    connect(diagnostics_, &DiagnosticsPanel::partitionsActivated, this,
            [this](const std::vector<std::size_t>& p) {
                if (!p.empty())
                    view_->ensurePartitionVisible(p.front());
            });
    // A partition picked in the table brings it into view on the map (never one picked on the map itself:
    // the view must not scroll under the cursor of a drag that is starting).
    connect(table_, &PartitionTable::partitionsActivated, this, [this](const std::vector<std::size_t>& p) {
        if (!p.empty())
            view_->ensurePartitionVisible(p.front());
    });
}

void MainWindow::showProgrammingPanel() {
    programmingDock_->show();
    programmingDock_->raise();
}

void MainWindow::showHover(const std::string& device, quint64 offset) {
    const FlashDevice* d = document_->layout().board.device(device);
    if (!d || !scene_->dragText().isEmpty())
        return;
    QString text = describeAddress(*d, offset);
    // The innermost partition there, if any: nested ones come after their parents in depth.
    for (const Partition& p : document_->layout().partitions)
        if (p.device == device && offset >= p.offset && offset < p.end())
            text += QStringLiteral(" · %1").arg(q(p.label));
    hover_->setText(text);
}

void MainWindow::updateTitle() {
    setWindowTitle(QStringLiteral("%1[*] — Flashplan").arg(document_->displayName()));
    setWindowModified(document_->isModified());
}

void MainWindow::updateFindings() {
    const DiagnosticCounts n = countSeverities(document_->diagnostics());
    findings_->setText(countsText(n, QStringLiteral(" · ")));
    findings_->setStyleSheet(n.errors ? QStringLiteral("color: #d03030; font-weight: bold") : QString());
}

void MainWindow::notify(const QString& text, int milliseconds) {
    // A message shown before the window is would not hide the status bar's own labels when it appears.
    if (isVisible())
        statusBar()->showMessage(text, milliseconds);
}

void MainWindow::reportError(const QString& title, const QString& text) {
    notify(text, 15000);
    if (prompts_.showError)
        prompts_.showError(this, title, text);
}

bool MainWindow::maybeSave() {
    if (!document_->isModified())
        return true;
    switch (prompts_.askSaveChanges(this, document_->displayName())) {
    case QMessageBox::Save:
        return save();
    case QMessageBox::Discard:
        return true;
    default:
        return false;
    }
}

bool MainWindow::openExample(const QString& name) {
    if (!maybeSave())
        return false;
    auto layout = ExampleLayouts::load(name.toStdString(), db_);
    if (!layout) {
        reportError(tr("Cannot open the example"), q(layout.error().toString()));
        return false;
    }
    const QString display = name + QStringLiteral(".flashplan");
    suggestedPath_ = QDir::home().filePath(display);
    document_->reset(std::move(*layout), QString(), display);
    notify(tr("Example %1").arg(name), 5000);
    return true;
}

bool MainWindow::openFile(const QString& path, const QString& formatName) {
    const Format* forced = nullptr;
    if (!formatName.isEmpty() && !(forced = findFormat(formatName.toStdString()))) {
        reportError(tr("Cannot open %1").arg(path), tr("no format named %1").arg(formatName));
        return false;
    }
    if (!maybeSave())
        return false;
    auto opened = openLayoutFile(path.toStdString(), db_, forced);
    if (!opened) {
        reportError(tr("Cannot open %1").arg(QFileInfo(path).fileName()), describe(opened.error(), path));
        return false;
    }
    const QFileInfo info(path);
    const bool native = opened->format->name == "flashplan";
    const QString display = native ? info.fileName() : info.completeBaseName() + QStringLiteral(".flashplan");
    suggestedPath_ = info.dir().filePath(display);
    document_->reset(std::move(opened->layout), native ? info.absoluteFilePath() : QString(), display,
                     std::move(opened->notes));
    recent_.add(path);
    notify(native ? tr("Opened %1").arg(path) : tr("Imported %1 (%2)").arg(path, q(opened->format->title)),
           5000);
    return true;
}

bool MainWindow::openArgument(const QString& argument) {
    if (QFileInfo::exists(argument))
        return openFile(argument);
    const QString name = argument.startsWith(QStringLiteral("example:")) ? argument.mid(8) : argument;
    for (const std::string& n : ExampleLayouts::names())
        if (q(n) == name)
            return openExample(name);
    reportError(tr("Cannot open %1").arg(argument),
                tr("%1: no such file, and no example layout of that name").arg(argument));
    return false;
}

bool MainWindow::adoptNewLayout(Layout layout) {
    if (!maybeSave())
        return false;
    const QString display =
        q(layout.boardRef.empty() ? layout.board.id : layout.boardRef) + QStringLiteral(".flashplan");
    suggestedPath_ = QDir::home().filePath(display);
    document_->reset(std::move(layout), QString(), display);
    return true;
}

bool MainWindow::save() {
    if (document_->filePath().isEmpty())
        return saveAs();
    return saveTo(document_->filePath());
}

bool MainWindow::saveAs() {
    QString path = prompts_.savePath(this, tr("Save layout"),
                                     document_->filePath().isEmpty() ? suggestedPath_ : document_->filePath(),
                                     tr("Flashplan layout (*.flashplan)"));
    if (path.isEmpty())
        return false;
    if (QFileInfo(path).suffix().isEmpty())
        path += QStringLiteral(".flashplan");
    return saveTo(path);
}

bool MainWindow::saveTo(const QString& path) {
    if (auto r = LayoutFile::save(path.toStdString(), document_->layout()); !r) {
        reportError(tr("Cannot save %1").arg(QFileInfo(path).fileName()), describe(r.error(), path));
        return false;
    }
    const QString absolute = QFileInfo(path).absoluteFilePath();
    document_->markSaved(absolute);
    suggestedPath_ = absolute;
    recent_.add(absolute);
    notify(tr("Saved %1").arg(absolute), 5000);
    return true;
}

bool MainWindow::exportTo(const QString& formatName, const QString& path) {
    const Format* format = findFormat(formatName.toStdString());
    if (!format || !format->exporter) {
        reportError(tr("Cannot export"), tr("no format named %1 that Flashplan writes").arg(formatName));
        return false;
    }
    auto written = exportLayoutFiles(document_->layout(), *format, path.toStdString());
    if (!written) {
        reportError(tr("Cannot export %1").arg(QFileInfo(path).fileName()), describe(written.error(), path));
        return false;
    }
    QStringList names;
    for (const auto& f : *written)
        names << QString::fromStdString(f.string());
    notify(tr("Exported %1").arg(names.join(QStringLiteral(", "))), 8000);
    return true;
}

void MainWindow::fillRecentMenu() {
    recentMenu_->clear();
    const QStringList files = recent_.list();
    for (const QString& path : files)
        connect(recentMenu_->addAction(path), &QAction::triggered, this, [this, path] {
            if (!QFileInfo::exists(path)) {
                recent_.remove(path);
                reportError(tr("Cannot open %1").arg(path), tr("%1: the file is gone").arg(path));
                return;
            }
            openFile(path);
        });
    if (files.isEmpty())
        recentMenu_->addAction(tr("(none)"))->setEnabled(false);
    else {
        recentMenu_->addSeparator();
        connect(recentMenu_->addAction(tr("Clear the list")), &QAction::triggered, this,
                [this] { recent_.clear(); });
    }
}

void MainWindow::newFromBoard() {
    NewLayoutDialog dialog(db_, this);
    if (dialog.exec() == QDialog::Accepted && dialog.layout())
        adoptNewLayout(*dialog.layout());
}

void MainWindow::openDialog() {
    const QString path = prompts_.openPath(this, tr("Open a layout"), openFilter());
    if (!path.isEmpty())
        openFile(path);
}

void MainWindow::importDialog(const QString& formatName) {
    const Format* format = findFormat(formatName.toStdString());
    if (!format)
        return;
    const QString path = prompts_.openPath(this, tr("Import %1").arg(q(format->title)),
                                           formatFilter(*format) + QStringLiteral(";;All files (*)"));
    if (!path.isEmpty())
        openFile(path, formatName);
}

void MainWindow::exportDialog(const QString& formatName) {
    const Format* format = findFormat(formatName.toStdString());
    if (!format)
        return;
    const QFileInfo base(suggestedPath_.isEmpty() ? QDir::home().filePath(QStringLiteral("layout"))
                                                  : suggestedPath_);
    const QString ext = q(format->extensions).section(' ', 0, 0);
    const QString path =
        prompts_.savePath(this, tr("Export as %1").arg(q(format->title)),
                          base.dir().filePath(base.completeBaseName() + ext), formatFilter(*format));
    if (!path.isEmpty())
        exportTo(formatName, path);
}

void MainWindow::showKeys() {
    KeysDialog dialog(commands(), this);
    dialog.exec();
}

void MainWindow::closeEvent(QCloseEvent* event) {
    if (!maybeSave()) {
        event->ignore();
        return;
    }
    QSettings settings(kSettingsOrganization, kSettingsApplication);
    settings.setValue(QStringLiteral("window/geometry"), saveGeometry());
    settings.setValue(QStringLiteral("window/state"), saveState());
    event->accept();
}

} // namespace flashplan::gui
