// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QDialog>
#include <QList>

class QAction;
class QTextBrowser;

namespace flashplan::gui {

/// Help → Keys and mouse: every gesture of the map and the panels, and every menu command with its
/// shortcut (taken from the actions themselves, so the list cannot drift from the menus).
class KeysDialog : public QDialog {
    Q_OBJECT
public:
    KeysDialog(const QList<QAction*>& actions, QWidget* parent = nullptr);

    /// The help as HTML.
    static QString helpHtml(const QList<QAction*>& actions);
    QString text() const;

private:
    QTextBrowser* browser_;
};

} // namespace flashplan::gui
