// SPDX-License-Identifier: Apache-2.0
#include "rules/AutoFix.h"

#include "rules/RulePack.h"

#include <algorithm>

namespace flashplan {

FixReport applyFixes(const Layout& layout, int maxRounds) {
    FixReport report{layout, {}, validate(layout)};
    for (int round = 0; round < maxRounds; ++round) {
        const auto it =
            std::find_if(report.remaining.begin(), report.remaining.end(),
                         [](const Diagnostic& d) { return d.fix && d.severity != Severity::Info; });
        if (it == report.remaining.end())
            break;
        Layout next = applyFix(report.layout, *it->fix);
        if (next == report.layout)
            break; // a fix that changes nothing would repeat forever
        report.applied.push_back(*it);
        report.layout = std::move(next);
        report.remaining = validate(report.layout);
    }
    return report;
}

} // namespace flashplan
