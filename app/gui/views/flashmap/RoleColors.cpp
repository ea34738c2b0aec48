// SPDX-License-Identifier: Apache-2.0
#include "views/flashmap/RoleColors.h"

namespace flashplan::gui {

QColor roleColor(PartitionRole role) {
    // Hues far apart so neighbours differ, each at a lightness that stays visible on white and on #202020.
    switch (role) {
    case PartitionRole::Boot:
        return QColor(0x5b, 0x7f, 0xd6); // blue
    case PartitionRole::Slot0:
        return QColor(0x3d, 0xa8, 0x6f); // green
    case PartitionRole::Slot1:
        return QColor(0xe0, 0xa1, 0x2e); // amber
    case PartitionRole::Scratch:
        return QColor(0xd0, 0x6a, 0x4e); // terracotta
    case PartitionRole::Swap:
        return QColor(0xa8, 0x6b, 0xd1); // violet
    case PartitionRole::Storage:
        return QColor(0x3a, 0xa9, 0xb8); // teal
    case PartitionRole::Reserved:
        return QColor(0x8c, 0x8c, 0x8c); // grey
    case PartitionRole::Custom:
        return QColor(0xd4, 0x7a, 0xa8); // rose
    }
    return QColor(0x8c, 0x8c, 0x8c);
}

QColor textColorOn(const QColor& fill) {
    // Relative luminance in the sRGB weights; 0.55 keeps dark text on the amber and teal fills.
    const double l = 0.2126 * fill.redF() + 0.7152 * fill.greenF() + 0.0722 * fill.blueF();
    return l > 0.55 ? QColor(0x14, 0x14, 0x14) : QColor(0xfa, 0xfa, 0xfa);
}

} // namespace flashplan::gui
