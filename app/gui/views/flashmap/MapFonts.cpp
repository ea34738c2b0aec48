// SPDX-License-Identifier: Apache-2.0
#include "views/flashmap/MapFonts.h"

#include <QFontDatabase>
#include <QGuiApplication>

namespace flashplan::gui {

QFont mapLabelFont() {
    return QGuiApplication::font();
}

QFont mapRulerFont() {
    QFont f = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    const qreal base = QGuiApplication::font().pointSizeF();
    if (base > 0)
        f.setPointSizeF(base * 0.9);
    return f;
}

} // namespace flashplan::gui
