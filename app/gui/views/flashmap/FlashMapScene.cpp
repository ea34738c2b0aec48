// SPDX-License-Identifier: Apache-2.0
#include "views/flashmap/FlashMapScene.h"

#include "document/LayoutDocument.h"
#include "document/Text.h"
#include "model/FreeSpace.h"
#include "views/flashmap/LaneItem.h"
#include "views/flashmap/MapFonts.h"
#include "views/flashmap/PartitionItem.h"
#include "views/flashmap/PlacementCheck.h"

#include <QApplication>
#include <QFontMetricsF>
#include <QGraphicsRectItem>
#include <QGraphicsSceneMouseEvent>
#include <QPalette>
#include <QPen>

#include <algorithm>

namespace flashplan::gui {

FlashMapScene::FlashMapScene(LayoutDocument* document, QObject* parent)
    : QGraphicsScene(parent), document_(document) {
    // Few items, many of them moving: a BSP index would only be rebuilt over and over.
    setItemIndexMethod(NoIndex);
    metrics_.rulerWidth = QFontMetricsF(mapRulerFont()).horizontalAdvance(QStringLiteral("0x00000000")) + 18;

    creationItem_ = new QGraphicsRectItem;
    creationItem_->setZValue(1000);
    creationItem_->setVisible(false);
    addItem(creationItem_);

    connect(document_, &LayoutDocument::layoutReset, this, &FlashMapScene::rebuild);
    connect(document_, &LayoutDocument::partitionsChanged, this, &FlashMapScene::syncPartitions);
    connect(document_, &LayoutDocument::selectionChanged, this, &FlashMapScene::syncSelectionFromDocument);
    connect(document_, &LayoutDocument::diagnosticsChanged, this, &FlashMapScene::syncFindings);
    connect(document_, &LayoutDocument::inspectionChanged, this, &FlashMapScene::syncBadges);
    connect(this, &QGraphicsScene::selectionChanged, this, &FlashMapScene::syncSelectionToDocument);
    rebuild();
}

FlashMapScene::~FlashMapScene() {
    // Items ask the scene for the document while they go; let them go first.
    disconnect(this, &QGraphicsScene::selectionChanged, this, &FlashMapScene::syncSelectionToDocument);
    clear();
}

const LaneGeometry* FlashMapScene::lane(std::string_view deviceId) const {
    for (const LaneGeometry& l : lanes_)
        if (l.device.id == deviceId)
            return &l;
    return nullptr;
}

const LaneGeometry* FlashMapScene::laneAtX(qreal x) const {
    for (const LaneGeometry& l : lanes_)
        if (l.containsX(x))
            return &l;
    return nullptr;
}

PartitionItem* FlashMapScene::partitionItem(std::size_t index) const {
    return index < partitionItems_.size() ? partitionItems_[index] : nullptr;
}

qreal FlashMapScene::fitLength() const {
    return std::max<qreal>(60, viewport_.height() - 2 * metrics_.margin);
}

qreal FlashMapScene::maxLaneLength() const {
    double sectors = 1;
    for (const LaneGeometry& l : lanes_)
        if (l.device.sectors.smallestSector() > 0)
            sectors = std::max(sectors, static_cast<double>(l.size()) / l.device.sectors.smallestSector());
    return std::max(fitLength() * 4, std::min<qreal>(sectors * 64, qreal(1 << 26)));
}

void FlashMapScene::setViewportSize(const QSizeF& size) {
    if (size == viewport_)
        return;
    viewport_ = size;
    relayout();
}

void FlashMapScene::setLaneLength(qreal length) {
    length = std::clamp(length, fitLength(), maxLaneLength());
    if (length == laneLength_)
        return;
    laneLength_ = length;
    relayout();
}

void FlashMapScene::rebuild() {
    cancelDrag();
    for (PartitionItem* item : partitionItems_)
        delete item;
    partitionItems_.clear();
    for (LaneItem* item : laneItems_)
        delete item;
    laneItems_.clear();
    lanes_.clear();
    for (const FlashDevice& device : document_->layout().board.devices) {
        if (device.size() == 0)
            continue;
        LaneGeometry g;
        g.device = device;
        g.metrics = metrics_;
        lanes_.push_back(std::move(g));
        laneItems_.push_back(new LaneItem);
        addItem(laneItems_.back());
    }
    laneLength_ = fitLength();
    relayout();
}

void FlashMapScene::relayout() {
    laneLength_ = std::clamp(laneLength_, fitLength(), maxLaneLength());
    const auto n = static_cast<qreal>(std::max<std::size_t>(1, lanes_.size()));
    const qreal minWidth =
        metrics_.rulerWidth + metrics_.stripWidth + metrics_.bodyGap + metrics_.minBodyWidth;
    const qreal shared = (viewport_.width() - 2 * metrics_.margin - (n - 1) * metrics_.laneGap) / n;
    // Lanes share the window's width, up to a width past which wider blocks say nothing more.
    const qreal width = std::max(minWidth, std::min(shared, metrics_.maxLaneWidth));
    for (std::size_t i = 0; i < lanes_.size(); ++i) {
        LaneGeometry& g = lanes_[i];
        g.left = metrics_.margin + static_cast<qreal>(i) * (width + metrics_.laneGap);
        g.width = width;
        g.top = metrics_.margin;
        g.length = laneLength_;
        laneItems_[i]->setGeometry(g);
    }
    const qreal contentWidth = 2 * metrics_.margin + n * width + (n - 1) * metrics_.laneGap;
    setSceneRect(0, 0, std::max(viewport_.width(), contentWidth),
                 std::max(viewport_.height(), laneTop() + laneLength_ + metrics_.margin));
    syncPartitions();
    emit lanesChanged();
}

void FlashMapScene::syncPartitions() {
    cancelDrag();
    const std::size_t count = document_->layout().partitions.size();
    // Items are kept by index and reused: an edit changes a few values, not the set of items.
    while (partitionItems_.size() > count) {
        delete partitionItems_.back();
        partitionItems_.pop_back();
    }
    while (partitionItems_.size() < count) {
        partitionItems_.push_back(new PartitionItem(partitionItems_.size()));
        addItem(partitionItems_.back());
    }
    for (PartitionItem* item : partitionItems_)
        item->syncFromModel();
    updateFreeSpace();
    syncSelectionFromDocument();
    syncFindings();
    syncBadges();
}

void FlashMapScene::updateFreeSpace() {
    const Layout& layout = document_->layout();
    // The ranges generic.free-space lists: the map and the diagnostics agree.
    for (std::size_t i = 0; i < lanes_.size(); ++i) {
        std::vector<std::pair<std::uint64_t, std::uint64_t>> free;
        for (const FreeRange& r : freeRanges(layout, lanes_[i].device))
            free.emplace_back(r.from, r.to);
        laneItems_[i]->setFreeRanges(std::move(free));
    }
}

void FlashMapScene::syncSelectionFromDocument() {
    syncingSelection_ = true;
    for (PartitionItem* item : partitionItems_)
        item->setSelected(document_->isSelected(item->index()));
    syncingSelection_ = false;
}

void FlashMapScene::syncSelectionToDocument() {
    if (syncingSelection_)
        return;
    std::vector<std::size_t> selected;
    for (PartitionItem* item : partitionItems_)
        if (item->isSelected())
            selected.push_back(item->index());
    document_->setSelection(std::move(selected));
}

void FlashMapScene::syncFindings() {
    std::vector<char> errors(partitionItems_.size(), 0), warnings(partitionItems_.size(), 0);
    for (const Diagnostic& d : document_->diagnostics())
        for (std::size_t i : d.partitions)
            if (i < partitionItems_.size()) {
                errors[i] |= d.severity == Severity::Error;
                warnings[i] |= d.severity == Severity::Warning;
            }
    for (std::size_t i = 0; i < partitionItems_.size(); ++i)
        partitionItems_[i]->setFindings(errors[i], warnings[i]);
}

SnapTargets FlashMapScene::snapTargets(const LaneGeometry& lane, std::size_t exclude, bool fine) const {
    SnapTargets t;
    t.sectors = &lane.device.sectors;
    t.writeBlock = lane.device.writeBlockSize;
    t.bytesPerPixel = lane.bytesPerPixel();
    t.fine = fine;
    const auto& partitions = document_->layout().partitions;
    for (std::size_t i = 0; i < partitions.size(); ++i)
        if (i != exclude && partitions[i].device == lane.device.id) {
            t.edges.push_back(partitions[i].offset);
            t.edges.push_back(partitions[i].end());
        }
    return t;
}

void FlashMapScene::reportDrag(const QString& text, const QPoint& screenPos) {
    dragText_ = text;
    emit dragFeedback(text, screenPos);
}

void FlashMapScene::refuse(const QString& why) {
    emit editRefused(why);
}

void FlashMapScene::cancelDrag() {
    if (creation_) {
        creation_.reset();
        creationItem_->setVisible(false);
        reportDrag(QString(), {});
    }
    if (auto* item = dynamic_cast<PartitionItem*>(mouseGrabberItem());
        item && item->dragMode() != PartitionItem::DragMode::None) {
        item->cancelDrag();
        item->ungrabMouse();
    }
}

void FlashMapScene::mousePressEvent(QGraphicsSceneMouseEvent* event) {
    if (event->button() == Qt::LeftButton) {
        bool onPartition = false;
        for (QGraphicsItem* item : items(event->scenePos()))
            onPartition |= dynamic_cast<PartitionItem*>(item) != nullptr;
        const LaneGeometry* lane = laneAtX(event->scenePos().x());
        const qreal y = event->scenePos().y();
        if (!onPartition && lane && y >= lane->top && y <= lane->top + lane->length &&
            event->scenePos().x() >= lane->stripRect().left()) {
            // Free space: start drawing a new partition from the nearest sector boundary.
            clearSelection();
            const SnapTargets t =
                snapTargets(*lane, SIZE_MAX, event->modifiers().testFlag(Qt::ShiftModifier));
            Creation c;
            c.device = lane->device.id;
            c.anchor = snapEdge(t, lane->offsetAt(y));
            c.start = c.end = c.anchor;
            c.press = event->scenePos();
            creation_ = c;
            event->accept();
            return;
        }
    }
    QGraphicsScene::mousePressEvent(event);
}

void FlashMapScene::mouseMoveEvent(QGraphicsSceneMouseEvent* event) {
    if (creation_ && (event->buttons() & Qt::LeftButton)) {
        if (!creation_->moved &&
            (event->scenePos() - creation_->press).manhattanLength() < QApplication::startDragDistance())
            return;
        creation_->moved = true;
        updateCreation(event->scenePos(), event->modifiers().testFlag(Qt::ShiftModifier), event->screenPos());
        return;
    }
    QGraphicsScene::mouseMoveEvent(event);
}

void FlashMapScene::updateCreation(const QPointF& scenePos, bool fine, const QPoint& screenPos) {
    const LaneGeometry* l = lane(creation_->device);
    if (!l)
        return;
    const SnapTargets t = snapTargets(*l, SIZE_MAX, fine);
    const std::uint64_t edge = snapEdge(t, l->offsetAt(scenePos.y()));
    creation_->start = std::min(edge, creation_->anchor);
    creation_->end = std::max(edge, creation_->anchor);
    const std::uint64_t size = creation_->end - creation_->start;
    creation_->conflict.reset();
    if (size > 0) {
        Partition p;
        p.label = "new_partition";
        p.device = creation_->device;
        p.offset = creation_->start;
        p.size = size;
        creation_->conflict =
            placementConflict(document_->layout(), document_->layout().partitions.size(), p);
    }
    const QColor colour = creation_->conflict ? QColor(220, 30, 30) : palette().color(QPalette::Highlight);
    QColor fill = colour;
    fill.setAlpha(60);
    creationItem_->setPen(QPen(colour, 2, Qt::DashLine));
    creationItem_->setBrush(fill);
    creationItem_->setRect(l->partitionRect(creation_->start, size, 0));
    creationItem_->setVisible(size > 0);
    QString text =
        QStringLiteral("new partition on %1\noffset %2\nsize %3")
            .arg(QString::fromStdString(creation_->device), hexAndSize(creation_->start), hexAndSize(size));
    if (creation_->conflict)
        text += QStringLiteral("\nRefused: %1").arg(QString::fromStdString(*creation_->conflict));
    reportDrag(text, screenPos);
}

void FlashMapScene::mouseReleaseEvent(QGraphicsSceneMouseEvent* event) {
    if (creation_ && event->button() == Qt::LeftButton) {
        const Creation c = *creation_;
        creation_.reset();
        creationItem_->setVisible(false);
        reportDrag(QString(), {});
        if (!c.moved || c.end <= c.start)
            return;
        if (c.conflict) {
            refuse(QString::fromStdString(*c.conflict));
            return;
        }
        emit createRequested(c.device, c.start, c.end - c.start);
        return;
    }
    QGraphicsScene::mouseReleaseEvent(event);
}

void FlashMapScene::syncBadges() {
    const std::optional<Inspection>& found = document_->inspection();
    for (std::size_t i = 0; i < partitionItems_.size(); ++i) {
        QStringList badges;
        if (found)
            for (const std::string& b : found->badges(i))
                badges << QString::fromStdString(b);
        partitionItems_[i]->setBadges(badges);
    }
}

} // namespace flashplan::gui
