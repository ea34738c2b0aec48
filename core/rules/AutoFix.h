// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "model/Diagnostic.h"
#include "model/Layout.h"

#include <string>
#include <vector>

namespace flashplan {

/// What applyFixes() did.
struct FixReport {
    Layout layout;                     ///< the layout with every applied fix
    std::vector<Diagnostic> applied;   ///< the diagnostics whose fixes were applied, in order
    std::vector<Diagnostic> remaining; ///< what validate() still finds afterwards
};

/// Repairs what can be repaired: validates, applies the fix of the first error or warning that carries one,
/// validates again, and so on, until no error or warning with a fix remains, a fix changes nothing, or
/// `maxRounds` fixes were applied. One fix at a time, because fixes found together may contradict each
/// other (two partitions both moved into the same free space).
FixReport applyFixes(const Layout& layout, int maxRounds = 100);

} // namespace flashplan
