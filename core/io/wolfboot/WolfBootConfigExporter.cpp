// SPDX-License-Identifier: Apache-2.0
#include "io/wolfboot/WolfBootConfigExporter.h"

#include "io/wolfboot/ConfigFlags.h"
#include "io/wolfboot/WolfBootExportPlan.h"

#include "io/wolfboot/WolfBootNames.h"
#include "io/wolfboot/WolfBootTargets.h"
#include "util/Numbers.h"
#include <algorithm>

namespace flashplan {

using namespace wolfboot;

namespace {

struct Line {
    std::string name;
    std::string value;
    std::string comment; ///< written on the line above, when not empty
};

/// The .config's variables in order; setting one that exists replaces its value where it stands.
class Variables {
public:
    void set(std::string_view name, std::string value, std::string comment = {}) {
        for (Line& l : lines_)
            if (l.name == name) {
                l.value = std::move(value);
                if (!comment.empty())
                    l.comment = std::move(comment);
                return;
            }
        lines_.push_back({std::string(name), std::move(value), std::move(comment)});
    }
    const std::string* find(std::string_view name) const {
        for (const Line& l : lines_)
            if (l.name == name)
                return &l.value;
        return nullptr;
    }
    const std::vector<Line>& lines() const { return lines_; }

private:
    std::vector<Line> lines_;
};

Error exportError(std::string message) {
    return makeError(Errc::Schema, std::move(message));
}

std::string where(const PlannedArea& a) {
    return a.partition->label + ": " + a.device->id + " offset " + formatHex(a.partition->offset) + ", " +
           formatSize(a.partition->size);
}

/// Sets EXT_FLASH (and NO_XIP, NO_SWAP_EXT when needed) so that wolfBoot's rules put each partition where
/// the layout has it, then checks the result with the importer's reading of the same variables.
Result<void> setExternalSwitches(const ExportPlan& plan, Variables& vars) {
    const bool bootExt = plan.boot && plan.boot->external;
    const bool updateExt = plan.update && plan.update->external;
    const bool swapExt = plan.swap && plan.swap->external;
    vars.set(kExtFlash, bootExt || updateExt || swapExt ? "1" : "0");
    if (bootExt && !(vars.find(kNoXip) && *vars.find(kNoXip) == "1"))
        vars.set(kNoXip, "1", "BOOT is on external flash: wolfBoot loads it to RAM (PART_BOOT_EXT)");
    if (updateExt && plan.swap && !swapExt)
        vars.set(kNoSwapExt, "1", "SWAP stays on memory-mapped flash while UPDATE is external");

    const ExternalFlags f = externalFlags([&](std::string_view name) { return vars.find(name); });
    for (auto [area, external] :
         {std::pair{&plan.boot, f.boot}, std::pair{&plan.update, f.update}, std::pair{&plan.swap, f.swap}}) {
        if (!*area || (*area)->external == external)
            continue;
        return exportError((*area)->partition->label + " is on " + (*area)->device->id +
                           ((*area)->external ? " (external flash)" : " (memory-mapped flash)") +
                           ", but this .config's EXT_FLASH, NO_XIP, NO_SWAP_EXT, *_FLASH and PART_*_EXT "
                           "variables put it " +
                           (external ? "on external flash" : "on memory-mapped flash"));
    }
    return {};
}

/// NAME?=VALUE, with # escaped so make does not take it for a comment. Names and values that a make
/// fragment cannot hold (blanks or '=' in a name, a line break in a value) are errors.
Result<std::string> assignment(const Line& l) {
    if (l.name.empty() || l.name.find_first_of(" \t=:#$()\n") != std::string::npos)
        return exportError("'" + l.name + "' cannot be a make variable name");
    if (l.value.find('\n') != std::string::npos)
        return exportError(l.name + ": a .config value cannot span lines");
    std::string out = l.name + "?=";
    for (char c : l.value)
        out += c == '#' ? std::string("\\#") : std::string(1, c);
    return out + "\n";
}

} // namespace

Result<std::vector<ExportedFile>> WolfBootConfigExporter::write(const Layout& layout,
                                                                const std::filesystem::path& outputPath,
                                                                const ExportOptions&) const {
    Variables vars;
    for (const auto& [key, value] : layout.properties)
        if (std::string_view(key).starts_with(kPropertyPrefix))
            vars.set(std::string_view(key).substr(kPropertyPrefix.size()), value);

    std::string text = "# wolfBoot .config written by Flashplan from the layout '" + layout.name + "'\n";
    if (!layout.board.id.empty())
        text += "# board: " + layout.board.name + " (" + layout.board.id + ")\n";

    std::string notes;
    if (!vars.find(kTarget)) {
        // The layout does not say which HAL to build; the TARGET table may know the board's.
        std::string hint;
        for (const WolfBootTarget& t : wolfBootTargets())
            if (!layout.boardRef.empty() && t.board == layout.boardRef)
                hint += (hint.empty() ? "" : " or ") + std::string(t.target);
        text += "# no TARGET: set TARGET and ARCH for wolfBoot's HAL" +
                (hint.empty() ? std::string() : " (board " + layout.boardRef + " is TARGET=" + hint + ")") +
                "\n";
    }
    const bool fromConfig = std::any_of(layout.properties.begin(), layout.properties.end(),
                                        [](const auto& kv) { return kv.first.starts_with(kPropertyPrefix); });
    if (!fromConfig && !hasWolfBootPartitions(layout))
        return exportError("no partition has role slot0 or slot1, wolfBoot's BOOT and UPDATE partitions");
    if (hasWolfBootPartitions(layout)) {
        const std::string* noPartitions = vars.find(kNoPartitions);
        if (noPartitions && *noPartitions == "1")
            return exportError("the layout keeps WOLFBOOT_NO_PARTITIONS=1 but has partitions; remove the "
                               "property wolfboot.config.WOLFBOOT_NO_PARTITIONS to export them");
        // A layout read from a .config may lack BOOT or UPDATE, as its file did, and goes back as it came.
        // One from anywhere else must have both, as for target.h: a config without UPDATE cannot update.
        auto plan = planExport(layout, {!fromConfig, false, true});
        if (!plan)
            return plan.error();
        vars.set(kSectorSize, formatHex(plan->sectorSize),
                 formatSize(plan->sectorSize) + " sectors: " + plan->sectorSizeSource);
        if (plan->partitionSize)
            vars.set(kPartitionSize, formatHex(*plan->partitionSize),
                     formatSize(*plan->partitionSize) + " each for BOOT and UPDATE");
        for (const NamedArea& n : kNamedAreas) {
            const auto& a = plan->area(n.kind);
            if (a)
                vars.set(n.addressName, formatAddress(a->address),
                         where(*a) + (n.kind == AreaKind::Swap && plan->swapIsScratch
                                          ? " (the scratch area; wolfBoot uses its first sector)"
                                          : ""));
        }
        if (auto r = setExternalSwitches(*plan, vars); !r)
            return r.error();
        if (plan->bootloader)
            notes +=
                "# " + where(*plan->bootloader) +
                ": the bootloader itself; wolfBoot links itself at its TARGET's flash base, below BOOT\n";
        for (const Partition* p : plan->others)
            notes += "# not a wolfBoot partition: " + p->label + " (" + p->device + " offset " +
                     formatHex(p->offset) + ", " + formatSize(p->size) + ")\n";
    } else if (const std::string* ss = layout.bootloader.setting(kSectorSize)) {
        vars.set(kSectorSize, *ss);
    }

    for (const Line& l : vars.lines()) {
        if (!l.comment.empty())
            text += "# " + l.comment + "\n";
        auto line = assignment(l);
        if (!line)
            return line.error();
        text += *line;
    }
    text += notes;
    return std::vector<ExportedFile>{{outputPath, std::move(text)}};
}

} // namespace flashplan
