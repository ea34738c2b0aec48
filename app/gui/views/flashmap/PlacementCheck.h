// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "model/Layout.h"

#include <cstddef>
#include <optional>
#include <string>

namespace flashplan::gui {

/// Why a dragged partition may not land where it is: the first finding of the core's overlap and bounds
/// rules (generic.overlap, generic.outside-device) that putting `candidate` at `index` would add to the
/// layout; nullopt when it adds none. `index` == partitions.size() checks a new partition. Findings that
/// were there before the drag do not count, so a partition that already overlaps can still be moved.
std::optional<std::string> placementConflict(const Layout& layout, std::size_t index,
                                             const Partition& candidate);

} // namespace flashplan::gui
