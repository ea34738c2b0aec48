// SPDX-License-Identifier: Apache-2.0
#include "io/BuildSettings.h"

#include "io/wolfboot/WolfBootExportPlan.h"
#include "rules/BootloaderSettings.h"

#include <algorithm>

namespace flashplan {

std::vector<std::pair<std::string, std::string>> buildSettings(const Layout& layout) {
    const auto kind = layout.bootloader.knownKind();
    std::vector<std::pair<std::string, std::string>> out;
    for (const auto& [name, value] : layout.bootloader.settings)
        if (!kind || findSetting(*kind, name))
            out.emplace_back(name, value);
    if (kind != BootloaderKind::Wolfboot)
        return out;
    // A layout wolfBoot cannot be planned on shows only what is set; validate says why.
    const auto derived = wolfboot::buildSettings(layout);
    if (!derived)
        return out;
    for (const auto& [name, value] : *derived) {
        const auto same =
            std::find_if(out.begin(), out.end(), [&](const auto& s) { return s.first == name; });
        if (same != out.end())
            same->second = value;
        else
            out.emplace_back(name, value);
    }
    return out;
}

} // namespace flashplan
