// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QGraphicsView>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

namespace flashplan::gui {

class FlashMapScene;
class LaneHeader;

/// The window onto the flash map: zoom with the wheel around the cursor (Shift+wheel scrolls), fit to
/// the window, pan with the middle button or Space+drag, the address under the cursor for the status
/// bar, arrow keys to nudge the selection, Escape to cancel a drag, and a file dropped on a block as that
/// partition's image. Zooming changes the lanes' length
/// (the scene lays itself out again), not the view's transform, so text and lines stay sharp and
/// unstretched.
class FlashMapView : public QGraphicsView {
    Q_OBJECT
public:
    explicit FlashMapView(FlashMapScene* scene, QWidget* parent = nullptr);

    FlashMapScene* mapScene() const { return scene_; }
    LaneHeader* header() const { return header_; }

    /// Multiplies the lanes' length by `factor`, keeping the address under `anchor` (viewport
    /// coordinates; the centre by default) where it is.
    void zoomBy(double factor, std::optional<QPoint> anchor = std::nullopt);
    void zoomIn() { zoomBy(1.25); }
    void zoomOut() { zoomBy(0.8); }
    /// Whole devices in the window; stays fitted as the window is resized until the next zoom.
    void fitToView();
    bool isFitted() const { return fitted_; }
    /// Sets the lanes' length in pixels (clamped), keeping the centre's address in place.
    void setLaneLength(double length);
    /// Scrolls so that the partition is in view (centred when it does not fit).
    void ensurePartitionVisible(std::size_t index);
    /// The partition whose block is at a viewport point (the innermost one), if any.
    std::optional<std::size_t> partitionAt(const QPoint& viewportPos) const;

signals:
    /// The cursor is over `offset` of device `device`.
    void hoverAddress(const std::string& device, quint64 offset);
    void hoverCleared();
    /// Up/Down on the map: move the selected partitions by `steps` sectors.
    void nudgeRequested(int steps);
    /// The first frame was painted (for --measure-startup).
    void firstFrame();
    /// A file was dropped on partition `index` (the programming panel takes it as the image).
    void imageDropped(std::size_t index, const QString& path);

protected:
    void wheelEvent(QWheelEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;
    void keyPressEvent(QKeyEvent* event) override;
    void keyReleaseEvent(QKeyEvent* event) override;
    void leaveEvent(QEvent* event) override;
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dragMoveEvent(QDragMoveEvent* event) override;
    void dropEvent(QDropEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;
    void scrollContentsBy(int dx, int dy) override;
    void paintEvent(QPaintEvent* event) override;
    void focusOutEvent(QFocusEvent* event) override;

private:
    void keepSceneYAt(qreal sceneY, int viewportY);
    void updateVisibleRect();
    void placeHeader();
    void reportHover(const QPoint& viewportPos);

    FlashMapScene* scene_;
    LaneHeader* header_;
    bool fitted_ = true;
    bool spaceHeld_ = false;
    bool panning_ = false;
    QPoint panLast_;
    bool firstFrameSent_ = false;
};

} // namespace flashplan::gui
