// SPDX-License-Identifier: Apache-2.0
#include "desktop/UserPrompts.h"

#include <QFileDialog>

namespace flashplan::gui {

UserPrompts UserPrompts::interactive() {
    UserPrompts p;
    p.askSaveChanges = [](QWidget* parent, const QString& name) {
        return QMessageBox::warning(parent, QObject::tr("Unsaved changes"),
                                    QObject::tr("%1 has changes that are not saved. Save them?").arg(name),
                                    QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel,
                                    QMessageBox::Save);
    };
    p.showError = [](QWidget* parent, const QString& title, const QString& text) {
        QMessageBox::critical(parent, title, text);
    };
    p.confirmWriteReadOnly = [](QWidget* parent, const QString& partition, const QString& job) {
        return QMessageBox::warning(
                   parent, QObject::tr("Write a read-only partition?"),
                   QObject::tr("%1 is read-only: it usually holds the bootloader, and a wrong image there "
                               "leaves the board unable to boot until it is reflashed over SWD or DFU.\n\n"
                               "Write it anyway (%2)?")
                       .arg(partition, job),
                   QMessageBox::Yes | QMessageBox::No, QMessageBox::No) == QMessageBox::Yes;
    };
    p.savePath = [](QWidget* parent, const QString& caption, const QString& suggested,
                    const QString& filter) {
        return QFileDialog::getSaveFileName(parent, caption, suggested, filter);
    };
    p.openPath = [](QWidget* parent, const QString& caption, const QString& filter) {
        return QFileDialog::getOpenFileName(parent, caption, QString(), filter);
    };
    p.openFolder = [](QWidget* parent, const QString& caption) {
        return QFileDialog::getExistingDirectory(parent, caption);
    };
    return p;
}

} // namespace flashplan::gui
