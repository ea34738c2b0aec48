// SPDX-License-Identifier: Apache-2.0
#pragma once
// Partition Manager containers as Flashplan parents. A container (a partition with `span`) covers the
// partitions it spans; `inside: [c]` puts a partition into container c. Flashplan gives each partition one
// parent, so that validation treats the shared bytes as nesting instead of overlap.

#include "io/nordic/PmEntry.h"
#include "model/Diagnostic.h"

#include <string>
#include <vector>

namespace flashplan::pm {

/// The parent of each entry (parallel to `entries`, empty for none) and what could not be nested.
struct Nesting {
    std::vector<std::string> parents;
    std::vector<Diagnostic> notes;
};

/// For each entry, the smallest container of the same region that holds it both by name (it is spanned,
/// directly or through spanned containers, or lies `inside` it; a container is held when everything it
/// spans is) and by address range. Two containers alike in range and span nest in file order, the first
/// outside. Notes (warnings) name containers that cross (share a spanned partition, neither holding the
/// other: validation will report them as overlapping) and spanned partitions that lie outside their
/// container's range.
Nesting nestContainers(const std::vector<PmEntry>& entries, const std::string& fileName);

} // namespace flashplan::pm
