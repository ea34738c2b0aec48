// SPDX-License-Identifier: Apache-2.0
#include "views/flashmap/PartitionItem.h"

#include "document/LayoutDocument.h"
#include "document/Text.h"
#include "util/Numbers.h"
#include "views/flashmap/FlashMapScene.h"
#include "views/flashmap/MapFonts.h"
#include "views/flashmap/PlacementCheck.h"
#include "views/flashmap/RoleColors.h"
#include "views/flashmap/Snapping.h"

#include <QApplication>
#include <QCursor>
#include <QGraphicsSceneMouseEvent>
#include <QPainter>
#include <QStyleOptionGraphicsItem>

#include <algorithm>

namespace flashplan::gui {

PartitionItem::PartitionItem(std::size_t index) : index_(index) {
    setFlags(ItemIsSelectable | ItemSendsGeometryChanges);
    setAcceptHoverEvents(true);
}

FlashMapScene* PartitionItem::mapScene() const {
    return static_cast<FlashMapScene*>(scene());
}

const Partition* PartitionItem::partition() const {
    const FlashMapScene* s = mapScene();
    if (!s)
        return nullptr;
    const auto& partitions = s->document()->layout().partitions;
    return index_ < partitions.size() ? &partitions[index_] : nullptr;
}

int PartitionItem::depth() const {
    const Partition* p = partition();
    if (!p)
        return 0;
    const Layout& layout = mapScene()->document()->layout();
    int d = 0;
    // Bounded by the number of partitions, so a parent cycle (a diagnostic of its own) cannot hang us.
    for (std::string parent = p->parent; !parent.empty() && d < static_cast<int>(layout.partitions.size());
         ++d) {
        const int i = layout.indexOf(parent);
        if (i < 0)
            break;
        parent = layout.partitions[static_cast<std::size_t>(i)].parent;
    }
    return d;
}

void PartitionItem::syncFromModel() {
    mode_ = DragMode::None;
    moved_ = false;
    conflict_.reset();
    const Partition* p = partition();
    const LaneGeometry* lane = p ? mapScene()->lane(p->device) : nullptr;
    if (!lane) {
        setVisible(false); // a partition on a device the board lacks: the diagnostics say so
        return;
    }
    setVisible(true);
    original_ = placement_ = {p->device, p->offset, p->size};
    applyPlacement(*lane);
    setZValue(10 + depth());

    QString tip = QStringLiteral("<b>%1</b><br>%2: %3 – %4<br>size %5<br>role %6%7")
                      .arg(q(p->label), q(p->device), q(formatHex(p->offset)), q(formatHex(p->end())),
                           hexAndSize(p->size), q(to_string(p->role)),
                           p->readOnly ? QStringLiteral(", read-only") : QString());
    if (const auto cpu = lane->device.cpuAddress(p->offset))
        tip +=
            QStringLiteral("<br>CPU %1 – %2").arg(q(formatAddress(*cpu)), q(formatAddress(*cpu + p->size)));
    setToolTip(tip);
}

void PartitionItem::setFindings(bool error, bool warning) {
    if (error == hasError_ && warning == hasWarning_)
        return;
    hasError_ = error;
    hasWarning_ = warning;
    update();
}

void PartitionItem::setBadges(const QStringList& badges) {
    if (badges == badges_)
        return;
    badges_ = badges;
    update();
}

void PartitionItem::applyPlacement(const LaneGeometry& lane) {
    const QRectF r = lane.partitionRect(placement_.offset, placement_.size, depth());
    setPos(r.topLeft());
    if (r.size() != rect_.size()) {
        prepareGeometryChange();
        rect_ = QRectF(QPointF(0, 0), r.size());
    }
    update();
}

QRectF PartitionItem::boundingRect() const {
    return rect_.adjusted(-1.5, -1.5, 1.5, 1.5);
}

QPainterPath PartitionItem::shape() const {
    QPainterPath path;
    // Thin blocks get a few pixels of grip above and below, so they can still be picked.
    const qreal grow = rect_.height() < 6 ? (6 - rect_.height()) / 2 : 0;
    path.addRect(rect_.adjusted(0, -grow, 0, grow));
    return path;
}

QVariant PartitionItem::itemChange(GraphicsItemChange change, const QVariant& value) {
    // The diagramscene way: a dragged block snaps as it moves. The lane under the cursor decides the device,
    // the core's sector map and the neighbours decide the offset.
    if (change == ItemPositionChange && snapping_) {
        FlashMapScene* s = mapScene();
        const LaneGeometry* lane = s->laneAtX(cursorX_);
        if (!lane)
            lane = s->lane(placement_.device);
        if (!lane)
            return value;
        const std::uint64_t proposed = lane->offsetAt(value.toPointF().y());
        const SnapTargets targets = s->snapTargets(*lane, index_, fine_);
        placement_ = {lane->device.id, snapBlock(targets, proposed, original_.size), original_.size};
        return lane->partitionRect(placement_.offset, placement_.size, depth()).topLeft();
    }
    return QGraphicsItem::itemChange(change, value);
}

PartitionItem::DragMode PartitionItem::modeAt(const QPointF& local) const {
    if (rect_.height() >= 12) {
        const qreal zone = std::min<qreal>(6, rect_.height() / 4);
        if (local.y() < zone)
            return DragMode::ResizeTop;
        if (local.y() > rect_.height() - zone)
            return DragMode::ResizeBottom;
    }
    return DragMode::Move;
}

void PartitionItem::hoverMoveEvent(QGraphicsSceneHoverEvent* event) {
    setCursor(modeAt(event->pos()) == DragMode::Move ? Qt::OpenHandCursor : Qt::SizeVerCursor);
    QGraphicsItem::hoverMoveEvent(event);
}

void PartitionItem::mousePressEvent(QGraphicsSceneMouseEvent* event) {
    const Partition* p = partition();
    if (event->button() != Qt::LeftButton || !p) {
        event->ignore();
        return;
    }
    QGraphicsItem::mousePressEvent(event); // selection, with Ctrl toggling
    mode_ = modeAt(event->pos());
    moved_ = false;
    pressScenePos_ = event->scenePos();
    grab_ = event->pos();
    grabFraction_ = rect_.height() > 0 ? std::clamp(grab_.y() / rect_.height(), 0.0, 1.0) : 0;
    if (mode_ == DragMode::ResizeBottom)
        grab_.ry() -= rect_.height();
    original_ = placement_ = {p->device, p->offset, p->size};
    conflict_.reset();
    if (mode_ == DragMode::Move)
        setCursor(Qt::ClosedHandCursor);
    event->accept();
}

void PartitionItem::mouseMoveEvent(QGraphicsSceneMouseEvent* event) {
    if (mode_ == DragMode::None)
        return;
    if (!moved_) {
        if ((event->scenePos() - pressScenePos_).manhattanLength() < QApplication::startDragDistance())
            return;
        moved_ = true;
        setZValue(1000); // above its neighbours while it moves; syncFromModel puts it back
    }
    FlashMapScene* s = mapScene();
    fine_ = event->modifiers().testFlag(Qt::ShiftModifier);
    cursorX_ = event->scenePos().x();
    const LaneGeometry* home = s->lane(original_.device);
    if (!home)
        return;
    if (mode_ == DragMode::Move) {
        // The block keeps the same fraction of itself under the cursor, also on a lane of another scale.
        // Between lanes, the lane it is on now.
        const LaneGeometry* target = s->laneAtX(cursorX_);
        if (!target)
            target = s->lane(placement_.device);
        const qreal height = (target ? target : home)->partitionRect(0, original_.size, 0).height();
        snapping_ = true;
        setPos(QPointF(event->scenePos().x() - grab_.x(), event->scenePos().y() - grabFraction_ * height));
        snapping_ = false; // itemChange snapped it
        if (const LaneGeometry* lane = s->lane(placement_.device))
            applyPlacement(*lane); // the block's height and width follow the lane's scale
    } else {
        const SnapTargets targets = s->snapTargets(*home, index_, fine_);
        const SectorMap& map = home->device.sectors;
        const std::uint64_t edge = snapEdge(targets, home->offsetAt(event->scenePos().y() - grab_.y()));
        const std::uint64_t end = original_.offset + original_.size;
        const std::uint64_t unit = std::max<std::uint64_t>(1, home->device.writeBlockSize);
        if (mode_ == DragMode::ResizeTop) {
            // Keep at least one sector (one write block when fine) between the dragged edge and the other.
            const std::uint64_t limit =
                fine_ ? (end > unit ? end - unit : 0) : (end > 0 ? map.boundaryAtOrBelow(end - 1) : 0);
            const std::uint64_t start = std::min(edge, limit);
            placement_ = {original_.device, start, end - start};
        } else {
            const std::uint64_t limit =
                fine_ ? original_.offset + unit : map.boundaryAtOrAbove(original_.offset + 1);
            const std::uint64_t newEnd = std::max(edge, limit);
            placement_ = {original_.device, original_.offset, newEnd - original_.offset};
        }
        applyPlacement(*home);
    }
    updateDragState(event->screenPos());
}

void PartitionItem::updateDragState(const QPointF& screenPos) {
    FlashMapScene* s = mapScene();
    const Partition* p = partition();
    if (!p)
        return;
    Partition candidate = *p;
    candidate.device = placement_.device;
    candidate.offset = placement_.offset;
    candidate.size = placement_.size;
    conflict_ = placementConflict(s->document()->layout(), index_, candidate);
    QString text = QStringLiteral("%1 on %2\noffset %3\nsize %4\nend %5")
                       .arg(q(p->label), q(placement_.device), hexAndSize(placement_.offset),
                            hexAndSize(placement_.size), q(formatHex(placement_.offset + placement_.size)));
    if (conflict_)
        text += QStringLiteral("\nRefused: %1").arg(q(*conflict_));
    s->reportDrag(text, screenPos.toPoint());
    update();
}

void PartitionItem::mouseReleaseEvent(QGraphicsSceneMouseEvent* event) {
    FlashMapScene* s = mapScene();
    const DragMode mode = mode_;
    const bool moved = moved_;
    const Placement original = original_, placement = placement_;
    const std::optional<std::string> conflict = conflict_;
    setCursor(Qt::OpenHandCursor);
    if (!moved) {
        mode_ = DragMode::None;
        QGraphicsItem::mouseReleaseEvent(event); // a click: plain selection semantics
        return;
    }
    s->reportDrag(QString(), {});
    syncFromModel(); // spring back; an accepted edit moves the block again through the document
    if (placement == original)
        return;
    if (conflict) {
        s->refuse(q(*conflict));
        return;
    }
    if (mode == DragMode::Move)
        emit s->moveRequested(index_, placement.device, placement.offset);
    else
        emit s->resizeRequested(index_, placement.offset, placement.size);
}

void PartitionItem::cancelDrag() {
    if (mode_ == DragMode::None)
        return;
    if (FlashMapScene* s = mapScene())
        s->reportDrag(QString(), {});
    syncFromModel();
}

void PartitionItem::paint(QPainter* painter, const QStyleOptionGraphicsItem*, QWidget*) {
    const Partition* p = partition();
    const FlashMapScene* s = mapScene();
    if (!p || !s)
        return;
    const QPalette pal = s->palette();
    const QRectF r = rect_;
    QColor fill = roleColor(p->role);
    fill.setAlpha(232); // the sector grid shows faintly through
    painter->fillRect(r, fill);
    const QColor ink = textColorOn(roleColor(p->role));
    if (p->readOnly) {
        QColor hatch = ink;
        hatch.setAlpha(70);
        painter->fillRect(r, QBrush(hatch, Qt::BDiagPattern));
    }
    const bool refused = isDragging() && conflict_.has_value();
    if (refused)
        painter->fillRect(r, QColor(220, 30, 30, 110));

    QPen pen(fill.darker(150), 1);
    if (refused)
        pen = QPen(QColor(220, 30, 30), 3);
    else if (isSelected())
        pen = QPen(pal.color(QPalette::Highlight), 3);
    else if (hasError_)
        pen = QPen(QColor(215, 40, 40), 2);
    else if (hasWarning_)
        pen = QPen(QColor(230, 150, 0), 2, Qt::DashLine);
    pen.setJoinStyle(Qt::MiterJoin);
    painter->setPen(pen);
    painter->setBrush(Qt::NoBrush);
    const qreal inset = pen.widthF() / 2;
    painter->drawRect(r.height() > pen.widthF() * 2 ? r.adjusted(inset, inset, -inset, -inset) : r);

    // Text goes in the part of the block that is on screen, so a block taller than the window keeps its
    // label in view; lines are dropped, then elided, as the block gets small.
    QRectF shown = r.intersected(mapFromScene(s->visibleRect()).boundingRect()).adjusted(6, 1, -6, -1);
    QFont font = mapLabelFont();
    const QFontMetricsF fm(font);
    if (shown.height() < fm.lineSpacing() || shown.width() < fm.averageCharWidth() * 3)
        return;
    // What the last inspection found: a tag in the top right corner, amber when it says more than what
    // the partition holds (a failed check, a swap at the next boot). A tall block puts it above the
    // label, a short one beside it.
    if (!badges_.isEmpty()) {
        QFont small = font;
        small.setPointSizeF(font.pointSizeF() * 0.9);
        const QFontMetricsF sm(small);
        const QString tag = badges_.join(QStringLiteral(" · "));
        const bool above = shown.height() >= 2 * fm.lineSpacing();
        const qreal width =
            std::min(sm.horizontalAdvance(tag) + 10, above ? shown.width() : shown.width() * 0.55);
        const QRectF box(shown.right() - width, shown.top() + 1, width, sm.height() + 2);
        painter->setPen(QPen(QColor(60, 60, 60, 160), 1));
        painter->setBrush(badges_.size() > 1 ? QColor(255, 193, 7) : QColor(255, 255, 255, 225));
        painter->drawRoundedRect(box, 3, 3);
        painter->setPen(QColor(25, 25, 25));
        painter->setFont(small);
        painter->drawText(box.adjusted(5, 0, -5, 0), Qt::AlignCenter,
                          sm.elidedText(tag, Qt::ElideRight, box.width() - 10));
        if (above)
            shown.setTop(box.bottom());
        else
            shown.setRight(box.left() - 4);
    }
    const int lines = std::min(3, static_cast<int>(shown.height() / fm.lineSpacing()));
    if (lines <= 0 || shown.width() < fm.averageCharWidth() * 3)
        return;
    const QString label = q(p->label);
    // While dragging, the block says where it would land.
    const Placement& at = isDragging() ? placement_ : original_;
    const QString size = QStringLiteral("%1 · %2").arg(q(formatHex(at.offset)), q(formatSize(at.size)));
    const QString role = q(to_string(p->role)) + (p->readOnly ? QStringLiteral(" · read-only") : QString());
    QStringList text;
    if (lines == 1)
        text << label + QStringLiteral("  ") + q(formatSize(at.size));
    else
        text << label << size;
    if (lines >= 3)
        text << role;
    const qreal top = shown.center().y() - text.size() * fm.lineSpacing() / 2;
    painter->setPen(ink);
    for (int i = 0; i < text.size(); ++i) {
        QFont f = font;
        f.setBold(i == 0);
        painter->setFont(f);
        const QFontMetricsF m(f);
        const QRectF line(shown.left(), top + i * fm.lineSpacing(), shown.width(), fm.lineSpacing());
        painter->drawText(line, Qt::AlignCenter, m.elidedText(text[i], Qt::ElideRight, shown.width()));
    }
}

} // namespace flashplan::gui
