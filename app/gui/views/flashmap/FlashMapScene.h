// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "views/flashmap/LaneGeometry.h"
#include "views/flashmap/Snapping.h"

#include <QGraphicsScene>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

class QGraphicsRectItem;

namespace flashplan::gui {

class LaneItem;
class LayoutDocument;
class PartitionItem;

/// The flash map: one lane per flash device of the board, side by side, and a block per partition. It
/// redraws from the document's signals and reports edits by signals (moveRequested...), never changing
/// the layout itself. It also holds the zoom (the lanes' length in pixels) and lays the lanes out for
/// the viewport's width, so text and lines are drawn at screen resolution at every zoom.
class FlashMapScene : public QGraphicsScene {
    Q_OBJECT
public:
    explicit FlashMapScene(LayoutDocument* document, QObject* parent = nullptr);
    ~FlashMapScene() override;

    LayoutDocument* document() const { return document_; }

    const std::vector<LaneGeometry>& lanes() const { return lanes_; }
    const LaneGeometry* lane(std::string_view deviceId) const;
    /// The lane whose columns span scene x `x`, or nullptr between and beside lanes.
    const LaneGeometry* laneAtX(qreal x) const;
    PartitionItem* partitionItem(std::size_t index) const;

    /// The size of the view's viewport: the lanes share its width, and the fitted length is its height.
    void setViewportSize(const QSizeF& size);
    /// The zoom: how tall every lane is, clamped to [fitLength(), maxLaneLength()].
    void setLaneLength(qreal length);
    qreal laneLength() const { return laneLength_; }
    qreal laneTop() const { return metrics_.margin; }
    /// The lane length at which whole devices fit the viewport: the most zoomed-out view.
    qreal fitLength() const;
    /// Zoomed in until the smallest sector of the densest device is 64 pixels tall (and never less than
    /// four times the fitted length).
    qreal maxLaneLength() const;
    /// The part of the scene on screen, for labels that stay in view on tall blocks.
    void setVisibleRect(const QRectF& rect) { visible_ = rect; }
    QRectF visibleRect() const { return visible_; }

    /// What a block or edge dragged on `lane` snaps to, leaving out partition `exclude`.
    SnapTargets snapTargets(const LaneGeometry& lane, std::size_t exclude, bool fine) const;

    /// Live feedback of a drag (placement in hex and KiB, the conflict if any); empty text when it ends.
    void reportDrag(const QString& text, const QPoint& screenPos);
    QString dragText() const { return dragText_; }
    /// Tells the user why a drop was refused.
    void refuse(const QString& why);
    /// Ends a drag (move, resize or create) with no edit.
    void cancelDrag();

signals:
    void moveRequested(std::size_t index, const std::string& device, quint64 offset);
    void resizeRequested(std::size_t index, quint64 offset, quint64 size);
    void createRequested(const std::string& device, quint64 offset, quint64 size);
    void editRefused(const QString& why);
    void dragFeedback(const QString& text, const QPoint& screenPos);
    /// Lanes were laid out again (new board, new width or zoom): the lane header follows.
    void lanesChanged();

protected:
    void mousePressEvent(QGraphicsSceneMouseEvent* event) override;
    void mouseMoveEvent(QGraphicsSceneMouseEvent* event) override;
    void mouseReleaseEvent(QGraphicsSceneMouseEvent* event) override;

private:
    /// A new partition being drawn by dragging over free space.
    struct Creation {
        std::string device;
        std::uint64_t anchor = 0;
        std::uint64_t start = 0, end = 0;
        QPointF press;
        bool moved = false;
        std::optional<std::string> conflict;
    };

    void rebuild();
    void syncPartitions();
    void relayout();
    void syncSelectionFromDocument();
    void syncSelectionToDocument();
    void syncFindings();
    void syncBadges();
    void updateFreeSpace();
    void updateCreation(const QPointF& scenePos, bool fine, const QPoint& screenPos);

    LayoutDocument* document_;
    LaneMetrics metrics_;
    std::vector<LaneGeometry> lanes_;
    std::vector<LaneItem*> laneItems_;
    std::vector<PartitionItem*> partitionItems_;
    QSizeF viewport_{900, 600};
    qreal laneLength_ = 0;
    QRectF visible_;
    bool syncingSelection_ = false;
    std::optional<Creation> creation_;
    QGraphicsRectItem* creationItem_ = nullptr;
    QString dragText_;
};

} // namespace flashplan::gui
