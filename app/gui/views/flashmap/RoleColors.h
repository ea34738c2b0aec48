// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "model/Partition.h"

#include <QColor>

namespace flashplan::gui {

/// The fill of a partition of this role: mid-tone colours that read on a light and on a dark base.
QColor roleColor(PartitionRole role);
/// Black or white, whichever reads better on `fill`.
QColor textColorOn(const QColor& fill);

} // namespace flashplan::gui
