// SPDX-License-Identifier: Apache-2.0
#include "views/flashmap/LaneItem.h"

#include "util/Numbers.h"
#include "views/flashmap/FlashMapScene.h"
#include "views/flashmap/MapFonts.h"
#include "views/flashmap/RulerTicks.h"

#include <QGraphicsScene>
#include <QPainter>
#include <QStyleOptionGraphicsItem>

#include <algorithm>

namespace flashplan::gui {

namespace {

QColor withAlpha(QColor c, int alpha) {
    c.setAlpha(alpha);
    return c;
}

} // namespace

LaneItem::LaneItem() {
    // Painting needs option->exposedRect to stay proportional to what is on screen.
    setFlag(ItemUsesExtendedStyleOption);
    setAcceptedMouseButtons(Qt::NoButton);
    setZValue(0);
}

void LaneItem::setGeometry(const LaneGeometry& geometry) {
    prepareGeometryChange();
    geometry_ = geometry;
}

void LaneItem::setFreeRanges(std::vector<std::pair<std::uint64_t, std::uint64_t>> ranges) {
    free_ = std::move(ranges);
    update();
}

QRectF LaneItem::boundingRect() const {
    return geometry_.rect();
}

void LaneItem::paint(QPainter* painter, const QStyleOptionGraphicsItem* option, QWidget*) {
    // exposedRect alone is not enough: QWidget::render() and grab() expose the whole item, which on a
    // zoomed 256 MiB device is millions of pixels tall. The part on screen bounds the work in every case.
    QRectF exposed = option->exposedRect.intersected(boundingRect());
    if (const auto* map = dynamic_cast<const FlashMapScene*>(scene()); map && !map->visibleRect().isEmpty())
        exposed = exposed.intersected(map->visibleRect());
    if (exposed.isEmpty() || geometry_.size() == 0)
        return;
    const QPalette pal = scene() ? scene()->palette() : QPalette();
    const QRectF body = geometry_.bodyRect();
    const QRectF strip = geometry_.stripRect();

    painter->fillRect(QRectF(strip.left(), exposed.top(), body.right() - strip.left(), exposed.height()),
                      pal.color(QPalette::Base));

    // One sector of margin on each side, so lines at the exposed edges are not missed.
    const std::uint64_t from = geometry_.offsetAt(exposed.top() - 1);
    const std::uint64_t to = geometry_.offsetAt(exposed.bottom() + 1);
    paintFreeSpace(painter, from, to);
    paintSectors(painter, from, to);
    paintRuler(painter, from, to);

    painter->setPen(QPen(withAlpha(pal.color(QPalette::Text), 110), 0));
    painter->setBrush(Qt::NoBrush);
    painter->drawRect(QRectF(strip.left(), geometry_.top, body.right() - strip.left(), geometry_.length));
}

void LaneItem::paintSectors(QPainter* painter, std::uint64_t from, std::uint64_t to) const {
    const QPalette pal = scene() ? scene()->palette() : QPalette();
    const QRectF body = geometry_.bodyRect();
    const QRectF strip = geometry_.stripRect();
    const QColor text = pal.color(QPalette::Text);
    const QColor zebraA = withAlpha(text, 28), zebraB = withAlpha(text, 70), dense = withAlpha(text, 45);
    const QPen gridPen(withAlpha(text, 38), 0);
    const QPen runPen(withAlpha(text, 150), 0);
    const double bpp = geometry_.bytesPerPixel();

    // Runs are few (a 65,536-sector part is one run); sectors are visited only inside the exposed range
    // and only when they are tall enough to draw, so the loop is bounded by the pixels on screen.
    std::uint64_t runStart = 0;
    for (const SectorRun& run : geometry_.device.sectors.runs()) {
        const std::uint64_t runEnd = runStart + run.count * run.size;
        if (runEnd > from && runStart < to) {
            const std::uint64_t a = std::max(from, runStart), b = std::min(to, runEnd);
            if (static_cast<double>(run.size) / bpp >= kMinSectorPixels) {
                const std::uint64_t first = (a - runStart) / run.size;
                for (std::uint64_t i = first; runStart + i * run.size < b; ++i) {
                    const std::uint64_t off = runStart + i * run.size;
                    const qreal y0 = geometry_.yOf(off), y1 = geometry_.yOf(off + run.size);
                    painter->fillRect(QRectF(strip.left(), y0, strip.width(), y1 - y0),
                                      i % 2 ? zebraB : zebraA);
                    painter->setPen(gridPen);
                    painter->drawLine(QPointF(strip.left(), y0), QPointF(body.right(), y0));
                }
            } else {
                // Too dense to draw one by one: a solid band says "many small sectors here".
                const qreal y0 = geometry_.yOf(a), y1 = geometry_.yOf(b);
                painter->fillRect(QRectF(strip.left(), y0, strip.width(), y1 - y0), dense);
            }
        }
        if (runStart > 0 && runStart >= from && runStart <= to) {
            painter->setPen(runPen);
            const qreal y = geometry_.yOf(runStart);
            painter->drawLine(QPointF(strip.left(), y), QPointF(body.right(), y));
        }
        runStart = runEnd;
    }
}

void LaneItem::paintFreeSpace(QPainter* painter, std::uint64_t from, std::uint64_t to) const {
    const QPalette pal = scene() ? scene()->palette() : QPalette();
    const QRectF body = geometry_.bodyRect();
    QBrush hatch(withAlpha(pal.color(QPalette::Text), 22), Qt::BDiagPattern);
    const QFont font = mapLabelFont();
    const QFontMetricsF fm(font);
    painter->setFont(font);
    for (const auto& [start, end] : free_) {
        if (end <= from || start >= to)
            continue;
        const QRectF r(body.left(), geometry_.yOf(start), body.width(),
                       geometry_.yOf(end) - geometry_.yOf(start));
        painter->fillRect(r, hatch);
        if (r.height() < fm.height() + 2)
            continue;
        // The label sits in the visible part of the gap, so a tall gap keeps its label on screen.
        const QRectF shown = r.intersected(
            QRectF(r.left(), geometry_.yOf(from), r.width(), geometry_.yOf(to) - geometry_.yOf(from)));
        const QString label =
            QStringLiteral("free · %1").arg(QString::fromStdString(formatSize(end - start)));
        painter->setPen(pal.color(QPalette::PlaceholderText));
        painter->drawText(shown, Qt::AlignCenter, fm.elidedText(label, Qt::ElideRight, r.width() - 8));
    }
}

void LaneItem::paintRuler(QPainter* painter, std::uint64_t from, std::uint64_t to) const {
    const QPalette pal = scene() ? scene()->palette() : QPalette();
    const QRectF ruler = geometry_.rulerRect();
    const QFont font = mapRulerFont();
    const QFontMetricsF fm(font);
    painter->setFont(font);
    const RulerTicks ticks = rulerTicks(geometry_.bytesPerPixel(), std::max<qreal>(36, fm.height() * 2.4), 6);
    const qreal right = ruler.right() - 2;
    const QPen tickPen(pal.color(QPalette::Text), 0);
    const QPen minorPen(withAlpha(pal.color(QPalette::Text), 120), 0);

    if (ticks.minor) {
        painter->setPen(minorPen);
        for (std::uint64_t off = from / ticks.minor * ticks.minor; off <= to && off <= geometry_.size();
             off += ticks.minor) {
            const qreal y = geometry_.yOf(off);
            painter->drawLine(QPointF(right - 4, y), QPointF(right, y));
        }
    }
    painter->setPen(tickPen);
    for (std::uint64_t off = from / ticks.major * ticks.major; off <= to && off <= geometry_.size();
         off += ticks.major) {
        const qreal y = geometry_.yOf(off);
        painter->drawLine(QPointF(right - 9, y), QPointF(right, y));
        // The label hangs below its tick, except at the very end of the device where it sits above.
        const bool atEnd = off == geometry_.size();
        const QRectF box(ruler.left(), atEnd ? y - fm.height() : y, ruler.width() - 12, fm.height());
        painter->drawText(box, Qt::AlignRight | Qt::AlignVCenter, QString::fromStdString(formatHex(off)));
        if (ticks.major > geometry_.size() - off)
            break;
    }
}

} // namespace flashplan::gui
