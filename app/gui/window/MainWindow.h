// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "db/DeviceDatabase.h"
#include "desktop/UserPrompts.h"
#include "model/Layout.h"
#include "window/RecentFiles.h"

#include <QMainWindow>

class QDockWidget;
class QLabel;
class QMenu;

namespace flashplan::gui {

class DiagnosticsPanel;
class FlashMapScene;
class FlashMapView;
class LayoutDocument;
class PartitionTable;
class ProgrammingPanel;
class PropertiesPanel;

/// Flashplan's main window: the flash map in the middle, the partition table, properties and diagnostics
/// in docks, the programming panel (flash images into partitions), the file commands (new from board, open,
/// save, recent, import and export in every format) and undo/redo. It wires the views to the document; the
/// editing itself is in commands/LayoutEdits.
class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(DeviceDatabase db, QWidget* parent = nullptr);
    ~MainWindow() override;

    LayoutDocument* document() const { return document_; }
    FlashMapScene* mapScene() const { return scene_; }
    FlashMapView* mapView() const { return view_; }
    PartitionTable* partitionTable() const { return table_; }
    PropertiesPanel* propertiesPanel() const { return properties_; }
    DiagnosticsPanel* diagnosticsPanel() const { return diagnostics_; }
    /// The status bar's count of the layout's findings.
    QLabel* findingsLabel() const { return findings_; }
    ProgrammingPanel* programmingPanel() const { return programming_; }
    /// Shows the programming panel's dock and brings it to the front of its tab group.
    void showProgrammingPanel();
    QMenu* importMenu() const { return importMenu_; }
    QMenu* exportMenu() const { return exportMenu_; }
    QMenu* recentMenu() const { return recentMenu_; }
    const DeviceDatabase& database() const { return db_; }
    /// Replaces the dialogs (tests answer without a modal loop).
    void setPrompts(UserPrompts prompts) { prompts_ = std::move(prompts); }
    /// Every menu command, for Help → Keys.
    QList<QAction*> commands() const;

    // Each of these asks to save unsaved changes first, and leaves the open layout as it was when the user
    // cancels or the file cannot be read (the error names the file, line and reason).
    bool openExample(const QString& name);
    /// Opens a file in any importable format (`formatName` forces one); .flashplan files are saved back
    /// in place, other formats are saved as a new .flashplan file.
    bool openFile(const QString& path, const QString& formatName = QString());
    /// A command-line argument: a file, else the name of an example layout.
    bool openArgument(const QString& argument);
    /// Takes a designed layout as a new, untitled document.
    bool adoptNewLayout(Layout layout);

    bool save();
    bool saveAs();
    bool saveTo(const QString& path);
    /// Exports in a format; every file the exporter returns is written atomically.
    bool exportTo(const QString& formatName, const QString& path);
    /// Save, Discard or Cancel when there are unsaved changes; true when it is fine to go on.
    bool maybeSave();

protected:
    void closeEvent(QCloseEvent* event) override;

private:
    void createActions();
    void createDocks();
    void connectMap();
    void updateTitle();
    void updateFindings();
    void showHover(const std::string& device, quint64 offset);
    void fillRecentMenu();
    void newFromBoard();
    void openDialog();
    void importDialog(const QString& formatName);
    void exportDialog(const QString& formatName);
    void showKeys();
    void reportError(const QString& title, const QString& text);
    void notify(const QString& text, int milliseconds);

    DeviceDatabase db_;
    UserPrompts prompts_;
    RecentFiles recent_;
    LayoutDocument* document_;
    FlashMapScene* scene_;
    FlashMapView* view_;
    PartitionTable* table_ = nullptr;
    PropertiesPanel* properties_ = nullptr;
    DiagnosticsPanel* diagnostics_ = nullptr;
    ProgrammingPanel* programming_ = nullptr;
    QDockWidget* programmingDock_ = nullptr;
    QMenu* importMenu_ = nullptr;
    QMenu* exportMenu_ = nullptr;
    QMenu* recentMenu_ = nullptr;
    QLabel* hover_ = nullptr;
    QLabel* findings_ = nullptr;
    QString suggestedPath_; ///< where Save As proposes to write an untitled layout
};

} // namespace flashplan::gui
