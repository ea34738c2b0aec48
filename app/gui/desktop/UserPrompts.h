// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QMessageBox>
#include <QString>

#include <functional>

class QWidget;

namespace flashplan::gui {

/// The questions the main window asks the user, as replaceable functions: the app uses the real dialogs,
/// tests answer without a modal loop.
struct UserPrompts {
    /// Unsaved changes to `name`: Save, Discard or Cancel.
    std::function<QMessageBox::StandardButton(QWidget* parent, const QString& name)> askSaveChanges;
    std::function<void(QWidget* parent, const QString& title, const QString& text)> showError;
    /// A file to write; empty when cancelled.
    std::function<QString(QWidget* parent, const QString& caption, const QString& suggested,
                          const QString& filter)>
        savePath;
    /// A file to read; empty when cancelled.
    std::function<QString(QWidget* parent, const QString& caption, const QString& filter)> openPath;
    /// A folder; empty when cancelled.
    std::function<QString(QWidget* parent, const QString& caption)> openFolder;
    /// Whether to write a read-only partition anyway (a bootloader into its own partition): asked before
    /// every such job, naming the partition and the job ("flash boot_partition"); no answer is no.
    std::function<bool(QWidget* parent, const QString& partition, const QString& job)> confirmWriteReadOnly;

    /// QMessageBox and QFileDialog.
    static UserPrompts interactive();
};

} // namespace flashplan::gui
