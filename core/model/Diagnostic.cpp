// SPDX-License-Identifier: Apache-2.0
#include "model/Diagnostic.h"

#include "model/Layout.h"

#include <algorithm>

namespace flashplan {

std::string_view to_string(Severity severity) {
    switch (severity) {
    case Severity::Info:
        return "info";
    case Severity::Warning:
        return "warning";
    case Severity::Error:
        return "error";
    }
    return "error";
}

Layout applyFix(const Layout& layout, const Fix& fix) {
    Layout out = layout;
    for (const PartitionEdit& e : fix.edits) {
        if (e.partition >= out.partitions.size())
            continue;
        out.partitions[e.partition].offset = e.offset;
        out.partitions[e.partition].size = e.size;
    }
    for (const auto& [name, value] : fix.settings) {
        auto& settings = out.bootloader.settings;
        const auto it =
            std::find_if(settings.begin(), settings.end(), [&](const auto& s) { return s.first == name; });
        if (it != settings.end())
            it->second = value;
        else
            settings.emplace_back(name, value);
    }
    return out;
}

DiagnosticCounts countSeverities(const std::vector<Diagnostic>& diagnostics) {
    DiagnosticCounts c;
    for (const Diagnostic& d : diagnostics) {
        switch (d.severity) {
        case Severity::Error:
            ++c.errors;
            break;
        case Severity::Warning:
            ++c.warnings;
            break;
        case Severity::Info:
            ++c.infos;
            break;
        }
    }
    return c;
}

} // namespace flashplan
