// SPDX-License-Identifier: Apache-2.0
#include "views/flashmap/LaneHeader.h"

#include "views/flashmap/AddressInfo.h"
#include "views/flashmap/FlashMapScene.h"
#include "views/flashmap/FlashMapView.h"

#include <QPainter>

namespace flashplan::gui {

LaneHeader::LaneHeader(FlashMapView* view) : QWidget(view), view_(view) {
    setAutoFillBackground(true);
    setBackgroundRole(QPalette::Window);
}

int LaneHeader::preferredHeight() const {
    return fontMetrics().lineSpacing() * 2 + 10;
}

void LaneHeader::paintEvent(QPaintEvent*) {
    QPainter painter(this);
    const FlashMapScene* scene = view_->mapScene();
    const int line = fontMetrics().lineSpacing();
    QFont bold = font();
    bold.setBold(true);
    for (const LaneGeometry& lane : scene->lanes()) {
        // The title spans the lane's strip and partitions; the ruler column is the address margin.
        const int x0 = view_->mapFromScene(QPointF(lane.stripRect().left(), 0)).x();
        const int x1 = view_->mapFromScene(QPointF(lane.left + lane.width, 0)).x();
        const int width = x1 - x0;
        if (width <= 0)
            continue;
        const QString title = lane.device.name.empty()
                                  ? QString::fromStdString(lane.device.id)
                                  : QStringLiteral("%1 · %2").arg(QString::fromStdString(lane.device.id),
                                                                  QString::fromStdString(lane.device.name));
        painter.setFont(bold);
        painter.setPen(palette().color(QPalette::WindowText));
        painter.drawText(QRect(x0, 4, width, line), Qt::AlignLeft | Qt::AlignVCenter,
                         QFontMetrics(bold).elidedText(title, Qt::ElideRight, width));
        painter.setFont(font());
        painter.setPen(palette().color(QPalette::PlaceholderText));
        painter.drawText(QRect(x0, 4 + line, width, line), Qt::AlignLeft | Qt::AlignVCenter,
                         fontMetrics().elidedText(describeDevice(lane.device), Qt::ElideRight, width));
    }
    painter.setPen(palette().color(QPalette::Mid));
    painter.drawLine(0, height() - 1, width(), height() - 1);
}

} // namespace flashplan::gui
