// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "model/FlashDevice.h"

#include <QRectF>

#include <cstdint>

namespace flashplan::gui {

/// Fixed sizes of a lane's columns, in logical pixels (Qt scales them for high-DPI screens).
struct LaneMetrics {
    qreal margin = 12;     ///< around the lanes
    qreal laneGap = 28;    ///< between two lanes
    qreal rulerWidth = 84; ///< address labels and ticks (set from the ruler font)
    qreal stripWidth = 14; ///< the sector strip: one band per sector
    qreal bodyGap = 4;     ///< between the strip and the partitions
    qreal nestIndent = 14; ///< per nesting level of child partitions
    qreal minBodyWidth = 170;
    qreal maxLaneWidth = 600;
};

/// Where one flash device is drawn: a vertical lane whose addresses grow downwards, offset 0 at `top`
/// and the end of the device at top + length. Lanes share top and length, so every device fills the same
/// height whatever its size, and zooming stretches them all alike. Columns from left to right: ruler,
/// sector strip, partitions ("body").
struct LaneGeometry {
    FlashDevice device;
    qreal left = 0;
    qreal width = 0;
    qreal top = 0;
    qreal length = 1;
    LaneMetrics metrics;

    std::uint64_t size() const { return device.size(); }
    double bytesPerPixel() const { return static_cast<double>(size()) / length; }
    qreal yOf(std::uint64_t offset) const { return top + static_cast<double>(offset) / bytesPerPixel(); }
    /// The device offset at scene height `y`, clamped to [0, size()].
    std::uint64_t offsetAt(qreal y) const;

    QRectF rect() const { return {left, top, width, length}; }
    QRectF rulerRect() const { return {left, top, metrics.rulerWidth, length}; }
    QRectF stripRect() const { return {left + metrics.rulerWidth, top, metrics.stripWidth, length}; }
    QRectF bodyRect() const;
    /// The rectangle of a partition [offset, offset+size) at nesting `depth` (0: top level).
    QRectF partitionRect(std::uint64_t offset, std::uint64_t size, int depth) const;
    bool containsX(qreal x) const { return x >= left && x < left + width; }
};

} // namespace flashplan::gui
