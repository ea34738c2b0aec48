// SPDX-License-Identifier: Apache-2.0
#include "io/wolfboot/TargetHeaderExporter.h"

#include "io/wolfboot/WolfBootExportPlan.h"
#include "io/wolfboot/WolfBootNames.h"
#include "util/Numbers.h"

namespace flashplan {

using namespace wolfboot;

namespace {

constexpr std::size_t kNameWidth = 34;

Error exportError(std::string message, const Partition* p = nullptr) {
    Error e = makeError(Errc::Schema, std::move(message));
    if (p)
        e.field = p->label;
    return e;
}

/// Comment text cannot end the comment early.
std::string commentSafe(std::string s) {
    for (std::size_t at = s.find("*/"); at != std::string::npos; at = s.find("*/"))
        s.replace(at, 2, "* /");
    return s;
}

std::string define(std::string_view name, const std::string& value, const std::string& comment = {}) {
    std::string line = "#define " + std::string(name);
    line += std::string(name.size() < kNameWidth ? kNameWidth - name.size() : 1, ' ');
    line += value;
    if (!comment.empty())
        line += " /* " + commentSafe(comment) + " */";
    return line + "\n";
}

std::string ifndefDefine(std::string_view name) {
    return "#ifndef " + std::string(name) + "\n" + define(name, "1") + "#endif\n";
}

std::string where(const PlannedArea& a) {
    return a.partition->label + ": " + formatSize(a.partition->size) + " at " + a.device->id + " offset " +
           formatHex(a.partition->offset);
}

struct NamedPlan {
    const NamedArea* name;
    const PlannedArea* area;
};

} // namespace

Result<std::vector<ExportedFile>> TargetHeaderExporter::write(const Layout& layout,
                                                              const std::filesystem::path& outputPath,
                                                              const ExportOptions&) const {
    auto planned = planExport(layout, {true, true, false});
    if (!planned)
        return planned.error();
    const ExportPlan& plan = *planned;
    const std::uint64_t ss = plan.sectorSize;
    if (ss == 0)
        return exportError("WOLFBOOT_SECTOR_SIZE cannot be 0");

    std::vector<NamedPlan> areas;
    for (const NamedArea& n : kNamedAreas) {
        const auto& a = plan.area(n.kind);
        if (a)
            areas.push_back({&n, &*a});
    }
    // Refuse here what the header's _Static_asserts would refuse at build time: no file that cannot build.
    if (*plan.partitionSize % ss != 0)
        return exportError("WOLFBOOT_PARTITION_SIZE " + formatHex(*plan.partitionSize) +
                               " is not a multiple of WOLFBOOT_SECTOR_SIZE " + formatHex(ss),
                           plan.boot->partition);
    for (const NamedPlan& a : areas)
        if (a.area->address % ss != 0)
            return exportError(std::string(a.name->addressName) + " " + formatAddress(a.area->address) +
                                   " (" + a.area->partition->label +
                                   ") is not aligned to WOLFBOOT_SECTOR_SIZE " + formatHex(ss),
                               a.area->partition);

    std::string t;
    t += "/* target.h: wolfBoot's flash partitions, written by Flashplan from the layout \"" +
         commentSafe(layout.name) + "\"";
    if (!layout.board.id.empty())
        t += "\n * for " + commentSafe(layout.board.name) + " (" + layout.board.id + ")";
    t += ".\n * Addresses are CPU addresses on memory-mapped flash and offsets on external flash. */\n\n";
    t += "#ifndef H_TARGETS_TARGET_\n#define H_TARGETS_TARGET_\n\n";

    t += "/* " + commentSafe(plan.sectorSizeSource) + " */\n";
    t += define(kSectorSize, formatHex(ss), formatSize(ss));
    t += define(kPartitionSize, formatHex(*plan.partitionSize), formatSize(*plan.partitionSize));
    for (const NamedPlan& a : areas) {
        std::string comment = where(*a.area);
        if (a.name->kind == AreaKind::Swap)
            comment += plan.swapIsScratch             ? " (the scratch area; wolfBoot uses its first sector)"
                       : a.area->partition->size > ss ? " (wolfBoot uses its first sector)"
                                                      : "";
        t += define(a.name->addressName, formatAddress(a.area->address), comment);
    }
    if (plan.swapMarker)
        t += define(kNamedAreas[2].addressName, *plan.swapMarker, "no swap partition (dual-bank swap)");

    bool anyExternal = false;
    for (const NamedPlan& a : areas)
        anyExternal = anyExternal || a.area->external;
    if (anyExternal) {
        t += "\n/* On external flash, reached through wolfBoot's ext_flash_* driver. */\n";
        t += ifndefDefine(kExtFlash);
        for (const NamedPlan& a : areas)
            if (a.area->external)
                t += ifndefDefine(a.name->extName);
    }
    if (plan.bootloader) {
        t += "\n/* The bootloader itself (wolfBoot does not read these; Flashplan does): " +
             commentSafe(where(*plan.bootloader)) + ". */\n";
        t += define("FLASH_AREA_BOOTLOADER_OFFSET", formatHex(plan.bootloader->partition->offset));
        t += define("FLASH_AREA_BOOTLOADER_SIZE", formatHex(plan.bootloader->partition->size),
                    formatSize(plan.bootloader->partition->size));
    }
    for (const Partition* p : plan.others)
        t += "/* Not a wolfBoot partition: " + commentSafe(p->label) + " (" + formatSize(p->size) + " at " +
             p->device + " offset " + formatHex(p->offset) + "). */\n";

    // The checks wolfBoot's partitions need, kept with the values so that an edit that breaks them stops
    // the build. Sums are taken in unsigned long long so that no address near 4 GiB wraps around.
    t += "\n#if !defined(__ASSEMBLER__)\n";
    t += "_Static_assert(WOLFBOOT_PARTITION_SIZE % WOLFBOOT_SECTOR_SIZE == 0,\n"
         "               \"WOLFBOOT_PARTITION_SIZE is not a multiple of WOLFBOOT_SECTOR_SIZE\");\n";
    for (const NamedPlan& a : areas)
        t += "_Static_assert(" + std::string(a.name->addressName) + " % WOLFBOOT_SECTOR_SIZE == 0,\n" +
             "               \"" + std::string(labelOf(a.name->kind)) + " is not sector-aligned\");\n";
    const auto sizeOf = [](const NamedPlan& a) {
        return a.name->kind == AreaKind::Swap ? std::string(kSectorSize) : std::string(kPartitionSize);
    };
    for (std::size_t j = 1; j < areas.size(); ++j)
        for (std::size_t i = 0; i < j; ++i) {
            const NamedPlan& a = areas[i];
            const NamedPlan& b = areas[j];
            if (a.area->device != b.area->device)
                continue; // different flashes: addresses in different spaces
            const std::string an(a.name->addressName);
            const std::string bn(b.name->addressName);
            t += "_Static_assert((unsigned long long)" + an + " + " + sizeOf(a) + " <= " + bn + " ||\n" +
                 "               (unsigned long long)" + bn + " + " + sizeOf(b) + " <= " + an + ",\n" +
                 "               \"" + std::string(labelOf(a.name->kind)) + " and " +
                 std::string(labelOf(b.name->kind)) + " overlap\");\n";
        }
    t += "#endif\n\n#endif /* H_TARGETS_TARGET_ */\n";
    return std::vector<ExportedFile>{{outputPath, std::move(t)}};
}

} // namespace flashplan
