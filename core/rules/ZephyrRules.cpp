// SPDX-License-Identifier: Apache-2.0
#include "rules/ZephyrRules.h"

#include "model/Platform.h"
#include "util/Numbers.h"

#include <algorithm>

namespace flashplan {

namespace {

Diagnostic make(Severity s, const char* rule, std::string message, std::vector<std::size_t> partitions) {
    return Diagnostic{s, rule, std::move(message), std::move(partitions), std::nullopt};
}

bool hasPropertyWithPrefix(const Properties& properties, std::string_view prefix) {
    return std::any_of(properties.begin(), properties.end(),
                       [&](const auto& kv) { return kv.first.starts_with(prefix); });
}

/// The label MCUboot's Zephyr port (boot/zephyr/include/sysflash/sysflash.h) uses for a partition of this
/// role, or empty for roles it does not look up.
std::string expectedLabel(const Partition& p) {
    switch (p.role) {
    case PartitionRole::Boot:
        return "boot_partition";
    case PartitionRole::Slot0:
        return "slot" + std::to_string(2 * p.imageIndex) + "_partition";
    case PartitionRole::Slot1:
        return "slot" + std::to_string(2 * p.imageIndex + 1) + "_partition";
    case PartitionRole::Scratch:
        return "scratch_partition";
    default:
        return {};
    }
}

} // namespace

bool usesZephyrConventions(const Layout& layout) {
    if (layout.bootloader.is(BootloaderKind::Mcuboot))
        return true;
    if (hasPropertyWithPrefix(layout.properties, "zephyr.") ||
        hasPropertyWithPrefix(layout.properties, "dts."))
        return true;
    return std::any_of(layout.partitions.begin(), layout.partitions.end(), [](const Partition& p) {
        return hasPropertyWithPrefix(p.properties, "dts.") || hasPropertyWithPrefix(p.properties, "zephyr.");
    });
}

std::vector<Diagnostic> checkMcubootLabels(const Layout& layout) {
    std::vector<Diagnostic> out;
    // The Partition Manager names MCUboot's areas itself (mcuboot, mcuboot_primary, mcuboot_secondary...)
    // and MCUboot finds them through pm_config.h: Zephyr's labels would break the build there.
    if (!layout.bootloader.is(BootloaderKind::Mcuboot) || platformOf(layout) == Platform::PartitionManager)
        return out;
    for (std::size_t i = 0; i < layout.partitions.size(); ++i) {
        const Partition& p = layout.partitions[i];
        const std::string want = expectedLabel(p);
        // When another partition already carries the label, this one is a duplicate of its role: the
        // mcuboot pack says so (mcuboot.duplicate-role), and renaming it would not help.
        if (want.empty() || p.label == want || !p.parent.empty() || layout.indexOf(want) >= 0)
            continue;
        out.push_back(make(Severity::Warning, "zephyr.mcuboot-label",
                           p.label + ": MCUboot's Zephyr port finds the " + std::string(to_string(p.role)) +
                               (p.role == PartitionRole::Slot0 || p.role == PartitionRole::Slot1
                                    ? " of image " + std::to_string(p.imageIndex)
                                    : std::string()) +
                               " as FIXED_PARTITION_ID(" + want + "); label it " + want,
                           {i}));
    }
    return out;
}

std::vector<Diagnostic> checkCodePartition(const Layout& layout) {
    std::vector<Diagnostic> out;
    const std::string* chosen = findProperty(layout.properties, kCodePartitionProperty);
    if (!chosen)
        return out;
    const int index = layout.indexOf(*chosen);
    if (index < 0) {
        out.push_back(make(Severity::Error, "zephyr.code-partition",
                           "chosen zephyr,code-partition names '" + *chosen +
                               "', which is not a partition of this layout",
                           {}));
        return out;
    }
    const auto i = static_cast<std::size_t>(index);
    const Partition& p = layout.partitions[i];
    if (layout.bootloader.is(BootloaderKind::Mcuboot) &&
        !(p.role == PartitionRole::Slot0 && p.imageIndex == 0)) {
        std::vector<std::size_t> involved{i};
        std::string slot0;
        for (std::size_t j = 0; j < layout.partitions.size(); ++j)
            if (layout.partitions[j].role == PartitionRole::Slot0 && layout.partitions[j].imageIndex == 0) {
                involved.push_back(j);
                slot0 = layout.partitions[j].label;
                break;
            }
        out.push_back(make(Severity::Error, "zephyr.code-partition",
                           "chosen zephyr,code-partition is " + p.label +
                               ", but an application booted by MCUboot is linked for its primary slot" +
                               (slot0.empty() ? std::string() : " (" + slot0 + ")"),
                           involved));
    }
    return out;
}

std::vector<Diagnostic> checkStorageSectors(const Layout& layout) {
    std::vector<Diagnostic> out;
    for (std::size_t i = 0; i < layout.partitions.size(); ++i) {
        const Partition& p = layout.partitions[i];
        const FlashDevice* d = layout.deviceOf(p);
        if (p.role != PartitionRole::Storage || !d || p.size == 0 ||
            !rangeWithin(p.offset, p.size, d->size()))
            continue;
        std::uint64_t whole = 0;
        d->sectors.forEachSector(p.offset, p.size, [&](const Sector& s) {
            if (s.offset >= p.offset && s.end() <= p.end())
                ++whole;
            return whole < 2;
        });
        if (whole >= 2)
            continue;
        const Sector first = *d->sectors.sectorAt(p.offset);
        Diagnostic diag = make(Severity::Warning, "zephyr.storage-sectors",
                               p.label + ": holds " + std::to_string(whole) + " whole sector" +
                                   (whole == 1 ? "" : "s") + " of " + d->id +
                                   "; NVS and ZMS need at least 2 to mount, and settings need a "
                                   "spare sector to rotate into",
                               {i});
        // Grow to two sectors from the sector boundary at or below the start, when that space is free.
        const std::uint64_t start = first.offset;
        const auto second = d->sectors.sectorAt(first.end());
        if (second) {
            const std::uint64_t end = second->end();
            const bool free =
                std::none_of(layout.partitions.begin(), layout.partitions.end(), [&](const Partition& q) {
                    return &q != &p && q.device == p.device && q.size > 0 && q.offset < end &&
                           start < q.end() && !layout.isAncestor(p, q) && !layout.isAncestor(q, p);
                });
            if (free)
                diag.fix = Fix{"Grow to two sectors: " + formatHex(start) + ".." + formatHex(end) + " (" +
                                   formatSize(end - start) + ")",
                               {PartitionEdit{i, start, end - start}}};
        }
        out.push_back(std::move(diag));
    }
    return out;
}

std::vector<Diagnostic> checkZephyr(const Layout& layout) {
    std::vector<Diagnostic> out;
    for (auto check : {checkMcubootLabels, checkCodePartition, checkStorageSectors}) {
        auto found = check(layout);
        out.insert(out.end(), std::make_move_iterator(found.begin()), std::make_move_iterator(found.end()));
    }
    return out;
}

} // namespace flashplan
