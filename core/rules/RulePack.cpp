// SPDX-License-Identifier: Apache-2.0
#include "rules/RulePack.h"

#include "rules/GenericRules.h"
#include "rules/McubootRules.h"
#include "rules/WolfBootRules.h"
#include "rules/ZephyrRules.h"

#include <algorithm>
#include <array>

namespace flashplan {

namespace {
bool always(const Layout&) {
    return true;
}

bool usesWolfBoot(const Layout& layout) {
    return layout.bootloader.is(BootloaderKind::Wolfboot);
}

// Alphabetical by id.
constexpr std::array kPacks{
    RulePack{"generic", "Bounds, overlaps, alignment and labels", always, checkGeneric},
    RulePack{"mcuboot", "MCUboot: slots, sectors, scratch and trailer per upgrade mode", isMcubootLayout,
             checkMcuboot},
    RulePack{"wolfboot", "wolfBoot partitions, sectors and header", usesWolfBoot, checkWolfBoot},
    RulePack{"zephyr", "Zephyr and MCUboot-on-Zephyr conventions", usesZephyrConventions, checkZephyr},
};
} // namespace

std::span<const RulePack> allRulePacks() {
    return kPacks;
}

std::vector<Diagnostic> validate(const Layout& layout) {
    std::vector<Diagnostic> out;
    for (const RulePack& pack : allRulePacks()) {
        if (!pack.appliesTo(layout))
            continue;
        auto found = pack.check(layout);
        out.insert(out.end(), std::make_move_iterator(found.begin()), std::make_move_iterator(found.end()));
    }
    sortDiagnostics(out);
    return out;
}

std::vector<Diagnostic> findings(const Layout& layout, const std::vector<Diagnostic>& importNotes) {
    std::vector<Diagnostic> out = importNotes;
    for (Diagnostic& d : validate(layout))
        out.push_back(std::move(d));
    sortDiagnostics(out);
    return out;
}

void sortDiagnostics(std::vector<Diagnostic>& diagnostics) {
    const auto firstPartition = [](const Diagnostic& d) {
        return d.partitions.empty() ? SIZE_MAX : d.partitions.front();
    };
    std::stable_sort(diagnostics.begin(), diagnostics.end(), [&](const Diagnostic& a, const Diagnostic& b) {
        if (a.severity != b.severity)
            return a.severity > b.severity;
        return firstPartition(a) < firstPartition(b);
    });
}

} // namespace flashplan
