// SPDX-License-Identifier: Apache-2.0
#include "window/AppIcon.h"

#include <QPainter>
#include <QPixmap>
#include <QSvgRenderer>

// Q_INIT_RESOURCE must be used at global scope; the resources live in a static library, whose
// initialiser the linker would otherwise drop.
static void initFlashplanResources() {
    Q_INIT_RESOURCE(flashplan);
}

namespace flashplan::gui {

QIcon appIcon() {
    initFlashplanResources();
    // Rendered here rather than left to the SVG icon engine plugin, so the icon shows even where that
    // plugin is not installed.
    QSvgRenderer renderer(QStringLiteral(":/icons/flashplan.svg"));
    QIcon icon;
    if (!renderer.isValid())
        return icon;
    for (int size : {16, 24, 32, 48, 64, 128, 256}) {
        QPixmap pixmap(size, size);
        pixmap.fill(Qt::transparent);
        QPainter painter(&pixmap);
        renderer.render(&painter);
        icon.addPixmap(pixmap);
    }
    return icon;
}

} // namespace flashplan::gui
