// SPDX-License-Identifier: Apache-2.0
#include "io/wolfboot/WolfBootExportPlan.h"

#include "io/wolfboot/WolfBootNames.h"
#include "util/Numbers.h"

#include <algorithm>

namespace flashplan::wolfboot {

namespace {

Error planError(std::string message, const Partition* p = nullptr) {
    Error e = makeError(Errc::Schema, std::move(message));
    if (p)
        e.field = p->label;
    return e;
}

std::string describe(const Partition& p) {
    return p.label + " (" + p.device + " " + formatHex(p.offset) + ", " + formatSize(p.size) + ")";
}

bool isWolfBootRole(PartitionRole role) {
    return role == PartitionRole::Slot0 || role == PartitionRole::Slot1 || role == PartitionRole::Swap ||
           role == PartitionRole::Scratch;
}

/// The one partition of `role`, nullptr when there is none; two are an error.
Result<const Partition*> single(const Layout& layout, PartitionRole role, const char* wolfBootName) {
    const Partition* found = nullptr;
    for (const Partition& p : layout.partitions) {
        if (p.role != role)
            continue;
        if (p.imageIndex != 0 && (role == PartitionRole::Slot0 || role == PartitionRole::Slot1))
            return planError(p.label + " is " + std::string(to_string(role)) + " of image " +
                                 std::to_string(p.imageIndex) + ": wolfBoot boots a single image",
                             &p);
        if (found)
            return planError("wolfBoot has one " + std::string(wolfBootName) + " partition, and both " +
                                 found->label + " and " + p.label + " have role " +
                                 std::string(to_string(role)),
                             &p);
        found = &p;
    }
    return found;
}

Result<PlannedArea> locate(const Layout& layout, const Partition& p) {
    const FlashDevice* d = layout.deviceOf(p);
    if (!d)
        return planError(p.label + " is on device '" + p.device + "', which board " + layout.board.id +
                             " does not have",
                         &p);
    PlannedArea a;
    a.partition = &p;
    a.device = d;
    a.external = !d->cpuBase;
    a.address = d->cpuBase ? *d->cpuBase + p.offset : p.offset;
    return a;
}

} // namespace

bool hasWolfBootPartitions(const Layout& layout) {
    return std::any_of(layout.partitions.begin(), layout.partitions.end(),
                       [](const Partition& p) { return isWolfBootRole(p.role); });
}

Result<ExportPlan> planExport(const Layout& layout, const PlanRules& rules) {
    ExportPlan plan;
    auto boot = single(layout, PartitionRole::Slot0, "BOOT");
    auto update = single(layout, PartitionRole::Slot1, "UPDATE");
    auto swap = single(layout, PartitionRole::Swap, "SWAP");
    // A scratch area stands in for the swap only when there is none; then there must be one scratch.
    auto scratch = swap.ok() && *swap ? Result<const Partition*>(static_cast<const Partition*>(nullptr))
                                      : single(layout, PartitionRole::Scratch, "SWAP");
    for (const auto* r : {&boot, &update, &swap, &scratch})
        if (!r->ok())
            return r->error();
    if (rules.requireBootAndUpdate && !*boot)
        return planError("no partition has role slot0, wolfBoot's BOOT partition");
    if (rules.requireBootAndUpdate && !*update)
        return planError("no partition has role slot1, wolfBoot's UPDATE partition");

    const Partition* swapPartition = *swap ? *swap : *scratch;
    plan.swapIsScratch = !*swap && *scratch;
    const Partition* bootloader = nullptr;
    for (const Partition& p : layout.partitions) {
        const bool chosen = &p == *boot || &p == *update || &p == swapPartition;
        if (!chosen && p.role == PartitionRole::Boot && !bootloader && p.parent.empty())
            bootloader = &p;
        else if (!chosen)
            plan.others.push_back(&p);
    }

    for (auto [partition, slot] :
         {std::pair{*boot, &plan.boot}, std::pair{*update, &plan.update},
          std::pair{swapPartition, &plan.swap}, std::pair{bootloader, &plan.bootloader}}) {
        if (!partition)
            continue;
        auto a = locate(layout, *partition);
        if (!a)
            return a.error();
        *slot = *a;
    }

    if (plan.boot && plan.update && plan.boot->partition->size != plan.update->partition->size)
        return planError("boot " + describe(*plan.boot->partition) + " and update " +
                             describe(*plan.update->partition) +
                             " differ in size; wolfBoot has one WOLFBOOT_PARTITION_SIZE for both",
                         plan.update->partition);
    if (plan.boot || plan.update)
        plan.partitionSize = (plan.boot ? plan.boot : plan.update)->partition->size;

    // wolfBoot's ext_flash_* driver reaches one external flash.
    const FlashDevice* external = nullptr;
    for (const auto* a : {&plan.boot, &plan.update, &plan.swap}) {
        if (!*a || !(*a)->external)
            continue;
        if (external && external != (*a)->device)
            return planError("wolfBoot reaches one external flash, and the partitions are on " +
                                 external->id + " and " + (*a)->device->id,
                             (*a)->partition);
        external = (*a)->device;
    }

    if (const std::string* s = layout.bootloader.setting("WOLFBOOT_SECTOR_SIZE")) {
        auto v = parseNumber(*s);
        if (!v || *v == 0)
            return planError("the bootloader setting WOLFBOOT_SECTOR_SIZE '" + *s + "' is not a sector size");
        plan.sectorSize = *v;
        plan.sectorSizeSource = "the layout's WOLFBOOT_SECTOR_SIZE setting";
    } else {
        for (const auto* a : {&plan.boot, &plan.update, &plan.swap})
            if (*a)
                plan.sectorSize =
                    std::max(plan.sectorSize, (*a)->device->sectors.largestSectorIn((*a)->partition->offset,
                                                                                    (*a)->partition->size));
        plan.sectorSizeSource = "the largest erase sector the partitions cover (the layout sets no "
                                "WOLFBOOT_SECTOR_SIZE)";
    }

    if (plan.swap && plan.swap->partition->size < plan.sectorSize)
        return planError("swap " + describe(*plan.swap->partition) +
                             " is smaller than WOLFBOOT_SECTOR_SIZE (" + formatSize(plan.sectorSize) +
                             "): wolfBoot swaps through one whole sector",
                         plan.swap->partition);
    if (!plan.swap) {
        if (const std::string* marker = findProperty(layout.properties, kSwapAddressProperty))
            plan.swapMarker = *marker;
        else if (rules.requireSwap)
            return planError("no partition has role swap (or scratch): wolfBoot swaps the images through a "
                             "SWAP sector");
    }

    const std::vector<const std::optional<PlannedArea>*> areas{&plan.bootloader, &plan.boot, &plan.update,
                                                               &plan.swap};
    for (std::size_t j = 1; j < areas.size(); ++j)
        for (std::size_t i = 0; i < j; ++i) {
            const auto& a = *areas[i];
            const auto& b = *areas[j];
            if (!a || !b || a->device != b->device || a->partition->offset >= b->partition->end() ||
                b->partition->offset >= a->partition->end())
                continue;
            if (rules.allowExternalOverlap && a->external && b->external)
                continue;
            return planError(describe(*b->partition) + " overlaps " + describe(*a->partition), b->partition);
        }
    return plan;
}

Result<std::vector<std::pair<std::string, std::string>>> buildSettings(const Layout& layout) {
    std::vector<std::pair<std::string, std::string>> out;
    if (!hasWolfBootPartitions(layout))
        return out;
    // As the .config exporter plans: a layout need not have both slots to be shown.
    auto plan = planExport(layout, {false, false, true});
    if (!plan)
        return plan.error();
    out.emplace_back(kSectorSize, formatHex(plan->sectorSize));
    if (plan->partitionSize)
        out.emplace_back(kPartitionSize, formatHex(*plan->partitionSize));
    for (const NamedArea& n : kNamedAreas)
        if (const auto& a = plan->area(n.kind))
            out.emplace_back(n.addressName, formatAddress(a->address));
    return out;
}

} // namespace flashplan::wolfboot
