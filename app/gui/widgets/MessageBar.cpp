// SPDX-License-Identifier: Apache-2.0
#include "widgets/MessageBar.h"

namespace flashplan::gui {

MessageBar::MessageBar(QWidget* parent) : QLabel(parent) {
    setWordWrap(true);
    setTextFormat(Qt::PlainText);
    setMargin(6);
    setAutoFillBackground(true);
    // A red that reads on light and dark windows alike, with white text.
    QPalette pal = palette();
    pal.setColor(QPalette::Window, QColor(0xb3, 0x26, 0x1e));
    pal.setColor(QPalette::WindowText, Qt::white);
    setPalette(pal);
    hide();
    timer_.setSingleShot(true);
    timer_.setInterval(10000);
    connect(&timer_, &QTimer::timeout, this, &MessageBar::dismiss);
}

void MessageBar::showError(const QString& text) {
    setText(text);
    show();
    timer_.start();
}

void MessageBar::dismiss() {
    timer_.stop();
    hide();
}

} // namespace flashplan::gui
