// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QFont>

namespace flashplan::gui {

/// The font of partition labels and free-space notes: the application font.
QFont mapLabelFont();
/// The font of addresses on the ruler: fixed width, so hex digits line up, a little smaller.
QFont mapRulerFont();

} // namespace flashplan::gui
