// SPDX-License-Identifier: Apache-2.0
#include "views/flashmap/RulerTicks.h"

#include <initializer_list>

namespace flashplan::gui {

RulerTicks rulerTicks(double bytesPerPixel, double minMajorPixels, double minMinorPixels) {
    RulerTicks t;
    t.major = 1;
    while (static_cast<double>(t.major) / bytesPerPixel < minMajorPixels &&
           t.major < (std::uint64_t{1} << 62))
        t.major <<= 1;
    for (std::uint64_t div : {8u, 4u, 2u})
        if (t.major / div > 0 && static_cast<double>(t.major / div) / bytesPerPixel >= minMinorPixels) {
            t.minor = t.major / div;
            break;
        }
    return t;
}

} // namespace flashplan::gui
