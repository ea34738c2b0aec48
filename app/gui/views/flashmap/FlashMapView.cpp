// SPDX-License-Identifier: Apache-2.0
#include "views/flashmap/FlashMapView.h"

#include "document/LayoutDocument.h"
#include "views/flashmap/FlashMapScene.h"
#include "views/flashmap/LaneHeader.h"
#include "views/flashmap/PartitionItem.h"

#include <QDragEnterEvent>
#include <QDragMoveEvent>
#include <QDropEvent>
#include <QKeyEvent>
#include <QMimeData>
#include <QScrollBar>
#include <QToolTip>
#include <QWheelEvent>

#include <cmath>

namespace flashplan::gui {

FlashMapView::FlashMapView(FlashMapScene* scene, QWidget* parent)
    : QGraphicsView(scene, parent), scene_(scene), header_(new LaneHeader(this)) {
    setAlignment(Qt::AlignLeft | Qt::AlignTop);
    setDragMode(NoDrag);
    // Labels are placed in the visible part of tall blocks, so a scroll must repaint them, not blit them.
    setViewportUpdateMode(FullViewportUpdate);
    setMouseTracking(true);
    setFocusPolicy(Qt::StrongFocus);
    setViewportMargins(0, header_->preferredHeight(), 0, 0);
    setMinimumSize(320, 200);

    connect(scene_, &FlashMapScene::lanesChanged, this, [this] {
        updateVisibleRect();
        header_->update();
    });
    connect(scene_, &FlashMapScene::dragFeedback, this, [this](const QString& text, const QPoint& screenPos) {
        if (text.isEmpty())
            QToolTip::hideText();
        else
            QToolTip::showText(screenPos + QPoint(16, 16), text, viewport());
    });
}

void FlashMapView::zoomBy(double factor, std::optional<QPoint> anchor) {
    const QPoint at = anchor.value_or(viewport()->rect().center());
    const qreal sceneY = mapToScene(at).y();
    const qreal top = scene_->laneTop();
    const double fraction = (sceneY - top) / scene_->laneLength();
    scene_->setLaneLength(scene_->laneLength() * factor);
    fitted_ = scene_->laneLength() <= scene_->fitLength();
    keepSceneYAt(top + fraction * scene_->laneLength(), at.y());
}

void FlashMapView::setLaneLength(double length) {
    zoomBy(length / scene_->laneLength());
}

void FlashMapView::fitToView() {
    fitted_ = true;
    scene_->setLaneLength(scene_->fitLength());
    verticalScrollBar()->setValue(verticalScrollBar()->minimum());
}

void FlashMapView::keepSceneYAt(qreal sceneY, int viewportY) {
    QScrollBar* bar = verticalScrollBar();
    // Two rounds: the first lands within a pixel, the second absorbs the scroll bar's rounding.
    for (int round = 0; round < 2; ++round) {
        const qreal now = mapToScene(QPoint(0, viewportY)).y();
        bar->setValue(bar->value() + static_cast<int>(std::lround(sceneY - now)));
    }
    updateVisibleRect();
}

void FlashMapView::ensurePartitionVisible(std::size_t index) {
    if (PartitionItem* item = scene_->partitionItem(index); item && item->isVisible())
        ensureVisible(item->sceneBoundingRect(), 20, 20);
    updateVisibleRect();
}

void FlashMapView::wheelEvent(QWheelEvent* event) {
    const int delta = event->angleDelta().y() != 0 ? event->angleDelta().y() : event->angleDelta().x();
    if (delta == 0)
        return;
    if (event->modifiers().testFlag(Qt::ShiftModifier)) {
        verticalScrollBar()->setValue(verticalScrollBar()->value() - delta);
    } else {
        // One notch (120) zooms by 1.25; touchpads send smaller steps for smoother zooming.
        zoomBy(std::pow(1.25, delta / 120.0), event->position().toPoint());
    }
    event->accept();
}

void FlashMapView::mousePressEvent(QMouseEvent* event) {
    if (event->button() == Qt::MiddleButton || (event->button() == Qt::LeftButton && spaceHeld_)) {
        panning_ = true;
        panLast_ = event->position().toPoint();
        viewport()->setCursor(Qt::ClosedHandCursor);
        event->accept();
        return;
    }
    QGraphicsView::mousePressEvent(event);
}

void FlashMapView::mouseMoveEvent(QMouseEvent* event) {
    reportHover(event->position().toPoint());
    if (panning_) {
        const QPoint delta = event->position().toPoint() - panLast_;
        panLast_ = event->position().toPoint();
        horizontalScrollBar()->setValue(horizontalScrollBar()->value() - delta.x());
        verticalScrollBar()->setValue(verticalScrollBar()->value() - delta.y());
        event->accept();
        return;
    }
    QGraphicsView::mouseMoveEvent(event);
}

void FlashMapView::mouseReleaseEvent(QMouseEvent* event) {
    if (panning_ && (event->button() == Qt::MiddleButton || event->button() == Qt::LeftButton)) {
        panning_ = false;
        if (spaceHeld_)
            viewport()->setCursor(Qt::OpenHandCursor);
        else
            viewport()->unsetCursor();
        event->accept();
        return;
    }
    QGraphicsView::mouseReleaseEvent(event);
}

void FlashMapView::keyPressEvent(QKeyEvent* event) {
    switch (event->key()) {
    case Qt::Key_Space:
        if (!event->isAutoRepeat()) {
            spaceHeld_ = true;
            viewport()->setCursor(Qt::OpenHandCursor);
        }
        event->accept();
        return;
    case Qt::Key_Escape:
        scene_->cancelDrag();
        event->accept();
        return;
    case Qt::Key_Up:
    case Qt::Key_Down:
        emit nudgeRequested(event->key() == Qt::Key_Up ? -1 : 1);
        event->accept();
        return;
    default:
        break;
    }
    QGraphicsView::keyPressEvent(event);
}

void FlashMapView::keyReleaseEvent(QKeyEvent* event) {
    if (event->key() == Qt::Key_Space && !event->isAutoRepeat()) {
        spaceHeld_ = false;
        if (!panning_)
            viewport()->unsetCursor();
        event->accept();
        return;
    }
    QGraphicsView::keyReleaseEvent(event);
}

void FlashMapView::focusOutEvent(QFocusEvent* event) {
    // A Space released while another widget had the focus must not leave the view in pan mode.
    spaceHeld_ = false;
    QGraphicsView::focusOutEvent(event);
}

namespace {

/// The one local file a drag carries, or an empty string.
QString draggedFile(const QMimeData* mime) {
    if (!mime || !mime->hasUrls() || mime->urls().size() != 1 || !mime->urls().front().isLocalFile())
        return {};
    return mime->urls().front().toLocalFile();
}

} // namespace

std::optional<std::size_t> FlashMapView::partitionAt(const QPoint& viewportPos) const {
    // items() takes viewport coordinates; the topmost block is the innermost nested partition.
    for (QGraphicsItem* item : items(viewportPos))
        if (const auto* p = dynamic_cast<const PartitionItem*>(item))
            return p->index();
    return std::nullopt;
}

// Files are dropped here rather than on the items: QGraphicsView gives the scene's drag events a screen
// position computed from the view instead of the viewport, so with the lane header's viewport margin the
// scene would hand the drop to the block a header's height above the cursor.
void FlashMapView::dragEnterEvent(QDragEnterEvent* event) {
    event->setAccepted(!draggedFile(event->mimeData()).isEmpty());
}

void FlashMapView::dragMoveEvent(QDragMoveEvent* event) {
    const auto index = partitionAt(event->position().toPoint());
    event->setAccepted(index && !draggedFile(event->mimeData()).isEmpty());
    if (index)
        reportHover(event->position().toPoint());
}

void FlashMapView::dropEvent(QDropEvent* event) {
    const QString file = draggedFile(event->mimeData());
    const auto index = partitionAt(event->position().toPoint());
    if (file.isEmpty() || !index) {
        event->ignore();
        return;
    }
    event->acceptProposedAction();
    emit imageDropped(*index, file);
}

void FlashMapView::leaveEvent(QEvent* event) {
    emit hoverCleared();
    QGraphicsView::leaveEvent(event);
}

void FlashMapView::reportHover(const QPoint& viewportPos) {
    const QPointF p = mapToScene(viewportPos);
    const LaneGeometry* lane = scene_->laneAtX(p.x());
    if (!lane || p.y() < lane->top || p.y() >= lane->top + lane->length) {
        emit hoverCleared();
        return;
    }
    emit hoverAddress(lane->device.id, std::min<quint64>(lane->offsetAt(p.y()), lane->size() - 1));
}

void FlashMapView::resizeEvent(QResizeEvent* event) {
    QGraphicsView::resizeEvent(event);
    scene_->setViewportSize(viewport()->size());
    if (fitted_)
        scene_->setLaneLength(scene_->fitLength());
    placeHeader();
    updateVisibleRect();
}

void FlashMapView::placeHeader() {
    const QRect vp = viewport()->geometry();
    header_->setGeometry(vp.left(), vp.top() - header_->preferredHeight(), vp.width(),
                         header_->preferredHeight());
}

void FlashMapView::scrollContentsBy(int dx, int dy) {
    QGraphicsView::scrollContentsBy(dx, dy);
    updateVisibleRect();
    if (dx != 0)
        header_->update();
}

void FlashMapView::updateVisibleRect() {
    scene_->setVisibleRect(mapToScene(viewport()->rect()).boundingRect());
}

void FlashMapView::paintEvent(QPaintEvent* event) {
    QGraphicsView::paintEvent(event);
    if (!firstFrameSent_) {
        firstFrameSent_ = true;
        emit firstFrame();
    }
}

} // namespace flashplan::gui
