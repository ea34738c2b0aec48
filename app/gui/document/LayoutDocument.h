// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "boot/Inspection.h"
#include "model/Diagnostic.h"
#include "model/Layout.h"

#include <QObject>
#include <QString>
#include <QUndoStack>

#include <cstddef>
#include <optional>
#include <vector>

namespace flashplan::gui {

/// The layout's name, description and bootloader: what the layout properties panel edits, replaced as a
/// whole by one undo command.
struct LayoutSettings {
    std::string name;
    std::string description;
    BootloaderProfile bootloader;
    friend bool operator==(const LayoutSettings&, const LayoutSettings&) = default;
};

/// The open layout: the one copy of the core Layout that every view shows, its undo stack, what
/// validate() finds in it, the selection, and where it lives on disk.
///
/// Views never change the layout themselves: they push commands (commands/LayoutEdits.h) and redraw from
/// this object's signals. The mutators below are for those commands only; each one revalidates, so the
/// diagnostics always describe the layout as it is.
class LayoutDocument : public QObject {
    Q_OBJECT
public:
    explicit LayoutDocument(QObject* parent = nullptr);
    ~LayoutDocument() override;

    const Layout& layout() const { return layout_; }
    /// The layout's findings (core's findings(): the import notes and what validate() finds, errors
    /// first): the one list the Diagnostics panel shows and the status bar counts, as flashplan-cli
    /// validate prints it.
    const std::vector<Diagnostic>& diagnostics() const { return diagnostics_; }
    /// What the importer had to assume when the file was read (warnings and infos), until the next reset.
    const std::vector<Diagnostic>& importNotes() const { return importNotes_; }
    QUndoStack* undoStack() { return &undoStack_; }

    /// Replaces the whole layout (New, Open, Import): clears the undo history and the selection, and marks
    /// the document clean. `filePath` is the .flashplan file it is saved to, empty when it has none yet;
    /// `displayName` is what the title bar shows ("zephyr-flash-map.flashplan").
    void reset(Layout layout, QString filePath, QString displayName,
               std::vector<Diagnostic> importNotes = {});
    QString filePath() const { return filePath_; }
    QString displayName() const { return displayName_; }
    /// Records that the layout was written to `filePath` as it is now.
    void markSaved(const QString& filePath);
    bool isModified() const { return !undoStack_.isClean(); }

    /// Selected partitions, by index, ascending and unique.
    const std::vector<std::size_t>& selection() const { return selection_; }
    void setSelection(std::vector<std::size_t> indices);
    bool isSelected(std::size_t index) const;

    LayoutSettings settings() const;

    /// What the last Inspect found on the target (the map's badges), for as long as the layout places its
    /// partitions as it did then: an edit that moves, resizes, renames or re-roles one, a new board or
    /// bootloader setting, drops it, since the findings would then be about other bytes. Choosing images
    /// keeps it.
    const std::optional<Inspection>& inspection() const { return inspection_; }
    /// Records an inspection made with `inspectedWith` (the job's snapshot of the layout); dropped at
    /// once when the layout has moved on since.
    void setInspection(Inspection inspection, const Layout& inspectedWith);
    void clearInspection();

    // For undo commands only: each change revalidates and emits partitionsChanged() or settingsChanged().
    void setPartition(std::size_t index, const Partition& partition);
    void insertPartition(std::size_t index, const Partition& partition);
    void removePartition(std::size_t index);
    void setSettings(const LayoutSettings& settings);

signals:
    /// A different layout (board and all) replaced the old one.
    void layoutReset();
    /// One or more partitions changed, appeared or went away.
    void partitionsChanged();
    /// Name, description or bootloader changed.
    void settingsChanged();
    void diagnosticsChanged();
    void selectionChanged();
    /// The file path, display name or modified state changed (the title bar follows it).
    void identityChanged();
    /// An inspection was recorded or dropped.
    void inspectionChanged();

private:
    void revalidate();
    void dropStaleInspection();

    Layout layout_;
    std::vector<Diagnostic> diagnostics_;
    std::vector<Diagnostic> importNotes_;
    std::vector<std::size_t> selection_;
    std::optional<Inspection> inspection_;
    Layout inspected_; ///< the layout the inspection was made with, images left out
    QUndoStack undoStack_;
    QString filePath_;
    QString displayName_;
};

} // namespace flashplan::gui
