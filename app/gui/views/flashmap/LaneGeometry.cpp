// SPDX-License-Identifier: Apache-2.0
#include "views/flashmap/LaneGeometry.h"

#include <algorithm>
#include <cmath>

namespace flashplan::gui {

std::uint64_t LaneGeometry::offsetAt(qreal y) const {
    const double bytes = (y - top) * bytesPerPixel();
    if (!(bytes > 0)) // also catches NaN
        return 0;
    if (bytes >= static_cast<double>(size()))
        return size();
    return static_cast<std::uint64_t>(std::llround(bytes));
}

QRectF LaneGeometry::bodyRect() const {
    const qreal x = left + metrics.rulerWidth + metrics.stripWidth + metrics.bodyGap;
    return {x, top, std::max<qreal>(1, left + width - x), length};
}

QRectF LaneGeometry::partitionRect(std::uint64_t offset, std::uint64_t size, int depth) const {
    const QRectF body = bodyRect();
    const qreal indent = std::min(depth * metrics.nestIndent, body.width() / 2);
    const qreal y0 = yOf(offset);
    // At least one pixel, so a 4 KiB partition on a 256 MiB device still shows as a line.
    const qreal h = std::max<qreal>(1, yOf(offset + size) - y0);
    return {body.left() + indent, y0, body.width() - indent, h};
}

} // namespace flashplan::gui
