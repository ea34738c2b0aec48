// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QLabel>
#include <QTimer>

namespace flashplan::gui {

/// A one-line note above a panel that says why an input was refused, without a modal dialog in the way
/// of typing; it goes away by itself after a while or on the next accepted edit.
class MessageBar : public QLabel {
    Q_OBJECT
public:
    explicit MessageBar(QWidget* parent = nullptr);
    void showError(const QString& text);
    void dismiss();

private:
    QTimer timer_;
};

} // namespace flashplan::gui
