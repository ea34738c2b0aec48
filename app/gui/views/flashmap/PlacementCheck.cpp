// SPDX-License-Identifier: Apache-2.0
#include "views/flashmap/PlacementCheck.h"

#include "rules/GenericRules.h"

#include <algorithm>

namespace flashplan::gui {

namespace {

/// The overlap and bounds findings that name `index`.
std::vector<Diagnostic> placementFindings(const Layout& layout, std::size_t index) {
    std::vector<Diagnostic> out;
    for (auto&& found : {checkBounds(layout), checkOverlaps(layout)})
        for (const Diagnostic& d : found)
            if (d.severity == Severity::Error &&
                std::find(d.partitions.begin(), d.partitions.end(), index) != d.partitions.end())
                out.push_back(d);
    return out;
}

bool sameFinding(const Diagnostic& a, const Diagnostic& b) {
    return a.rule == b.rule && a.partitions == b.partitions;
}

} // namespace

std::optional<std::string> placementConflict(const Layout& layout, std::size_t index,
                                             const Partition& candidate) {
    Layout trial = layout;
    if (index < trial.partitions.size())
        trial.partitions[index] = candidate;
    else {
        index = trial.partitions.size();
        trial.partitions.push_back(candidate);
    }
    const std::vector<Diagnostic> before =
        index < layout.partitions.size() ? placementFindings(layout, index) : std::vector<Diagnostic>{};
    for (const Diagnostic& d : placementFindings(trial, index))
        if (std::none_of(before.begin(), before.end(),
                         [&](const Diagnostic& b) { return sameFinding(b, d); }))
            return d.message;
    return std::nullopt;
}

} // namespace flashplan::gui
