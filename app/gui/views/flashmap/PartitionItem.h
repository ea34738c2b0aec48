// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "model/Partition.h"

#include <QGraphicsItem>
#include <QStringList>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

namespace flashplan::gui {

class FlashMapScene;
struct LaneGeometry;

/// One partition as a block on its device's lane. Its rectangle follows from (device, offset, size) of
/// the partition at its index in the layout; it never changes the layout itself. A drag moves the block
/// (snapping in itemChange) or one of its edges, shows where it would land, flags an overlap, and on
/// release asks the scene to make the edit (one undo command), or springs back when it is refused.
class PartitionItem : public QGraphicsItem {
public:
    enum class DragMode { None, Move, ResizeTop, ResizeBottom };

    /// Where a dragged partition would land.
    struct Placement {
        std::string device;
        std::uint64_t offset = 0;
        std::uint64_t size = 0;
        friend bool operator==(const Placement&, const Placement&) = default;
    };

    explicit PartitionItem(std::size_t index);

    std::size_t index() const { return index_; }
    void setIndex(std::size_t index) { index_ = index; }
    /// Takes position and size from the partition in the document; ends any drag.
    void syncFromModel();
    /// Whether the partition has an error (red frame) or a warning (amber frame) in the diagnostics.
    void setFindings(bool error, bool warning);
    /// What the last inspection of the target found in the partition (Inspection::badges()), drawn as a
    /// tag at the block's top right; empty for none.
    void setBadges(const QStringList& badges);
    const QStringList& badges() const { return badges_; }

    DragMode dragMode() const { return mode_; }
    bool isDragging() const { return mode_ != DragMode::None && moved_; }
    const Placement& placement() const { return placement_; }
    /// The overlap or bounds finding the current drag position would add, if any.
    const std::optional<std::string>& conflict() const { return conflict_; }
    /// Ends a drag without an edit and puts the block back.
    void cancelDrag();

    QRectF boundingRect() const override;
    QPainterPath shape() const override;
    void paint(QPainter* painter, const QStyleOptionGraphicsItem* option, QWidget* widget) override;

protected:
    QVariant itemChange(GraphicsItemChange change, const QVariant& value) override;
    void hoverMoveEvent(QGraphicsSceneHoverEvent* event) override;
    void mousePressEvent(QGraphicsSceneMouseEvent* event) override;
    void mouseMoveEvent(QGraphicsSceneMouseEvent* event) override;
    void mouseReleaseEvent(QGraphicsSceneMouseEvent* event) override;

private:
    FlashMapScene* mapScene() const;
    const Partition* partition() const;
    DragMode modeAt(const QPointF& local) const;
    void applyPlacement(const LaneGeometry& lane);
    void updateDragState(const QPointF& screenPos);
    int depth() const;

    std::size_t index_;
    QRectF rect_;
    bool hasError_ = false;
    bool hasWarning_ = false;
    QStringList badges_;

    // Drag state: what the partition was on press, where it would land now.
    DragMode mode_ = DragMode::None;
    bool moved_ = false;
    bool fine_ = false;
    bool snapping_ = false; // set around the drag's setPos: only that position is snapped
    QPointF pressScenePos_;
    QPointF grab_;           // press position relative to the block's top-left (bottom-left for ResizeBottom)
    qreal grabFraction_ = 0; // how far down the block the press was, 0..1
    qreal cursorX_ = 0;
    Placement original_;
    Placement placement_;
    std::optional<std::string> conflict_;
};

} // namespace flashplan::gui
