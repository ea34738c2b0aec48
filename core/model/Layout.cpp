// SPDX-License-Identifier: Apache-2.0
#include "model/Layout.h"

namespace flashplan {

bool Layout::isAncestor(const Partition& ancestor, const Partition& p) const {
    const Partition* cur = &p;
    // A parent chain longer than the partition count has a cycle; stop there.
    for (std::size_t steps = 0; steps <= partitions.size() && !cur->parent.empty(); ++steps) {
        if (cur->parent == ancestor.label)
            return true;
        const int next = indexOf(cur->parent);
        if (next < 0)
            return false;
        cur = &partitions[static_cast<std::size_t>(next)];
    }
    return false;
}

} // namespace flashplan
