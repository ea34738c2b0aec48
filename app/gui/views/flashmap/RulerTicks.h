// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>

namespace flashplan::gui {

/// The address ruler's tick spacing at a zoom: powers of two, because flash sizes and sector sizes are.
struct RulerTicks {
    std::uint64_t major = 0; ///< labelled ticks, at least `minMajorPixels` apart on screen
    std::uint64_t minor = 0; ///< unlabelled ticks between them, 0 when they would crowd
};

RulerTicks rulerTicks(double bytesPerPixel, double minMajorPixels, double minMinorPixels);

} // namespace flashplan::gui
