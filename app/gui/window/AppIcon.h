// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QIcon>

namespace flashplan::gui {

/// Flashplan's icon (resources/icons/flashplan.svg), rendered at the usual sizes.
QIcon appIcon();

} // namespace flashplan::gui
