// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "views/flashmap/LaneGeometry.h"

#include <QGraphicsItem>

#include <cstdint>
#include <utility>
#include <vector>

namespace flashplan::gui {

/// The background of one device lane: address ruler, sector strip, sector grid and free space. It paints
/// only the exposed part, at a detail that follows the zoom: every sector when sectors are a few pixels
/// tall, else the boundaries between runs of sectors and the ruler's ticks. The cost of a frame depends on
/// the pixels shown, never on the number of sectors.
class LaneItem : public QGraphicsItem {
public:
    /// Sector lines are drawn when a sector is at least this tall on screen.
    static constexpr qreal kMinSectorPixels = 4;

    LaneItem();

    void setGeometry(const LaneGeometry& geometry);
    const LaneGeometry& geometry() const { return geometry_; }
    /// Unallocated ranges [start, end) of the device, drawn as free space.
    void setFreeRanges(std::vector<std::pair<std::uint64_t, std::uint64_t>> ranges);

    QRectF boundingRect() const override;
    void paint(QPainter* painter, const QStyleOptionGraphicsItem* option, QWidget* widget) override;

private:
    void paintSectors(QPainter* painter, std::uint64_t from, std::uint64_t to) const;
    void paintFreeSpace(QPainter* painter, std::uint64_t from, std::uint64_t to) const;
    void paintRuler(QPainter* painter, std::uint64_t from, std::uint64_t to) const;

    LaneGeometry geometry_;
    std::vector<std::pair<std::uint64_t, std::uint64_t>> free_;
};

} // namespace flashplan::gui
