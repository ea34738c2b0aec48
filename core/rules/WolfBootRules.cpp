// SPDX-License-Identifier: Apache-2.0
// wolfBoot's partitioning rules, from its documentation (docs/Targets.md, docs/firmware_image.md) and
// sources (include/target.h.in, src/libwolfboot.c, options.mk at wolfSSL/wolfBoot).
#include "rules/WolfBootRules.h"

#include "util/Alignment.h"
#include "util/Numbers.h"

#include <algorithm>
#include <array>

namespace flashplan {

namespace {

struct Area {
    PartitionRole role;
    const char* name;    // wolfBoot's word for it
    const char* extFlag; // PART_<NAME>_EXT
};
constexpr std::array kAreas{Area{PartitionRole::Slot0, "BOOT", "PART_BOOT_EXT"},
                            Area{PartitionRole::Slot1, "UPDATE", "PART_UPDATE_EXT"},
                            Area{PartitionRole::Swap, "SWAP", "PART_SWAP_EXT"}};

Diagnostic make(Severity s, const char* rule, std::string message, std::vector<std::size_t> partitions) {
    return Diagnostic{s, rule, std::move(message), std::move(partitions), std::nullopt};
}

/// A wolfBoot setting: the bootloader setting, else the .config variable kept as a property.
const std::string* setting(const Layout& l, std::string_view name) {
    if (const std::string* v = l.bootloader.setting(name))
        return v;
    return findProperty(l.properties, "wolfboot.config." + std::string(name));
}

std::optional<std::uint64_t> numeric(const Layout& l, std::string_view name) {
    const std::string* v = setting(l, name);
    if (!v)
        return std::nullopt;
    auto n = parseNumber(*v);
    return n ? std::optional<std::uint64_t>(*n) : std::nullopt;
}

/// "1", "y", "true" as make and the preprocessor would take them; unset is false.
bool flagSet(const Layout& l, std::string_view name) {
    const std::string* v = setting(l, name);
    return v && (*v == "1" || *v == "y" || *v == "yes" || *v == "true");
}

/// Indexes of the partitions with a role (image 0 only: wolfBoot has one image).
std::vector<std::size_t> withRole(const Layout& l, PartitionRole role) {
    std::vector<std::size_t> out;
    for (std::size_t i = 0; i < l.partitions.size(); ++i)
        if (l.partitions[i].role == role && l.partitions[i].parent.empty())
            out.push_back(i);
    return out;
}

std::string at(const Layout& l, const Partition& p) {
    const FlashDevice* d = l.deviceOf(p);
    const auto cpu = d ? d->cpuAddress(p.offset) : std::nullopt;
    return cpu ? formatAddress(*cpu) : formatHex(p.offset) + " on " + p.device;
}

/// Is [offset, offset+length) free of every partition on `device` but `except`?
bool isFree(const Layout& l, const std::string& device, std::uint64_t offset, std::uint64_t length,
            std::size_t except) {
    for (std::size_t i = 0; i < l.partitions.size(); ++i) {
        const Partition& q = l.partitions[i];
        if (i != except && q.device == device && q.size > 0 && q.offset < offset + length && offset < q.end())
            return false;
    }
    const FlashDevice* d = l.board.device(device);
    return d && rangeWithin(offset, length, d->size());
}

/// The settings that make wolfBoot boot without fixed partitions: it loads the image from a disk
/// (DISK_SDCARD, DISK_EMMC: a GPT partition by number) or the target has none (WOLFBOOT_NO_PARTITIONS=1,
/// as options.mk sets for EFI, library and disk targets).
constexpr std::array kNoPartitionFlags{"WOLFBOOT_NO_PARTITIONS", "DISK_SDCARD", "DISK_EMMC"};

/// The first setting that says the configuration has no fixed partitions by design, or nullptr.
const char* noPartitionsByDesign(const Layout& l) {
    for (const char* flag : kNoPartitionFlags)
        if (flagSet(l, flag))
            return flag;
    return nullptr;
}

/// What a finding against erase units says when they are a guess, else "".
std::string inferredNote(const FlashDevice& d) {
    return d.geometryInferred ? " (the sector map of " + d.id +
                                    " is inferred, not known: pass --board <id> to "
                                    "check against the real part)"
                              : std::string();
}

} // namespace

std::uint64_t wolfBootHeaderSize(const Layout& layout) {
    return numeric(layout, "IMAGE_HEADER_SIZE").value_or(firstProfileOf(BootloaderKind::Wolfboot).headerSize);
}

std::uint64_t wolfBootSectorSize(const Layout& layout) {
    if (const auto s = numeric(layout, "WOLFBOOT_SECTOR_SIZE"); s && *s > 0)
        return *s;
    std::uint64_t largest = 0;
    for (const Area& a : kAreas)
        for (std::size_t i : withRole(layout, a.role)) {
            const Partition& p = layout.partitions[i];
            if (const FlashDevice* d = layout.deviceOf(p))
                largest = std::max(largest, d->sectors.largestSectorIn(p.offset, p.size));
        }
    return largest;
}

std::vector<Diagnostic> checkWolfBoot(const Layout& layout) {
    std::vector<Diagnostic> out;
    const auto boot = withRole(layout, PartitionRole::Slot0);
    const auto update = withRole(layout, PartitionRole::Slot1);
    const auto swap = withRole(layout, PartitionRole::Swap);

    struct Required {
        const std::vector<std::size_t>* found;
        const char* name;
        const char* role;
    };
    const char* byDesign = noPartitionsByDesign(layout);
    if (byDesign && (boot.empty() || update.empty()))
        out.push_back(make(Severity::Info, "wolfboot.partitions",
                           std::string(byDesign) +
                               "=1: this configuration has no fixed BOOT and UPDATE partitions by design; "
                               "wolfBoot loads and verifies the image from where the target keeps it",
                           {}));
    for (const Required& r : {Required{&boot, "BOOT", "slot0"}, Required{&update, "UPDATE", "slot1"}}) {
        const auto& [found, name, role] = r;
        if (found->empty() && byDesign)
            continue;
        if (found->empty())
            out.push_back(make(Severity::Error, "wolfboot.partitions",
                               std::string("no ") + name + " partition (a partition with role " + role +
                                   "): wolfBoot needs WOLFBOOT_PARTITION_" + name + "_ADDRESS",
                               {}));
        else if (found->size() > 1)
            out.push_back(make(Severity::Error, "wolfboot.partitions",
                               std::string(name) + " is given " + std::to_string(found->size()) +
                                   " times (role " + role + "); wolfBoot has one",
                               *found));
    }
    if (swap.empty() && !byDesign)
        out.push_back(
            make(Severity::Warning, "wolfboot.partitions",
                 "no SWAP partition (role swap): wolfBoot swaps BOOT and UPDATE one sector at a time "
                 "through WOLFBOOT_PARTITION_SWAP_ADDRESS",
                 {}));

    const std::uint64_t sector = wolfBootSectorSize(layout);
    // A stated WOLFBOOT_SECTOR_SIZE is what wolfBoot erases whatever the part: what follows from it alone
    // holds even when the sector map is a guess.
    const bool stated = numeric(layout, "WOLFBOOT_SECTOR_SIZE").value_or(0) > 0;

    // BOOT and UPDATE are both WOLFBOOT_PARTITION_SIZE.
    if (boot.size() == 1 && update.size() == 1) {
        const Partition& b = layout.partitions[boot[0]];
        const Partition& u = layout.partitions[update[0]];
        if (b.size != u.size) {
            Diagnostic d = make(Severity::Error, "wolfboot.partition-size",
                                "BOOT " + b.label + " (" + formatHex(b.size) + ") and UPDATE " + u.label +
                                    " (" + formatHex(u.size) + ") differ; both are WOLFBOOT_PARTITION_SIZE",
                                {boot[0], update[0]});
            if (isFree(layout, u.device, u.offset, b.size, update[0]))
                d.fix = Fix{"Make UPDATE " + formatHex(b.size) + " like BOOT",
                            {PartitionEdit{update[0], u.offset, b.size}}};
            else
                d.fix = Fix{"Make BOOT " + formatHex(u.size) + " like UPDATE",
                            {PartitionEdit{boot[0], b.offset, u.size}}};
            out.push_back(std::move(d));
        }
    }

    for (const Area& a : kAreas)
        for (std::size_t i : withRole(layout, a.role)) {
            const Partition& p = layout.partitions[i];
            const FlashDevice* d = layout.deviceOf(p);
            if (!d || p.size == 0 || sector == 0)
                continue;
            // WOLFBOOT_SECTOR_SIZE is what wolfBoot erases at once: it must hold whole erase units.
            std::uint64_t bad = 0;
            d->sectors.forEachSector(p.offset, p.size, [&](const Sector& s) {
                if (sector % s.size != 0)
                    bad = s.size;
                return bad == 0;
            });
            // Against a guessed sector map this is only a suspicion.
            if (bad)
                out.push_back(make(
                    d->geometryInferred ? Severity::Warning : Severity::Error, "wolfboot.sector-size",
                    std::string(a.name) + " " + p.label + " covers " + formatSize(bad) + " erase units of " +
                        d->id + ", but WOLFBOOT_SECTOR_SIZE is " + formatHexAndSize(sector) +
                        "; it must be a multiple of every erase unit, "
                        "normally the largest (" +
                        formatHex(d->sectors.largestSectorIn(p.offset, p.size)) + ")" + inferredNote(*d),
                    {i}));
            // wolfBoot erases a partition WOLFBOOT_SECTOR_SIZE at a time from its address: a size that is
            // not a multiple runs the last erase into the next partition, whatever the part. A misaligned
            // address only matters where the part's sectors do not follow it, which a guess cannot tell.
            const bool guessed = d->geometryInferred && (!stated || p.size % sector == 0);
            if (p.offset % sector != 0 || p.size % sector != 0) {
                Diagnostic diag = make(guessed ? Severity::Warning : Severity::Error, "wolfboot.alignment",
                                       std::string(a.name) + " " + p.label + " at " + at(layout, p) +
                                           ", size " + formatHex(p.size) +
                                           ": address and size must be multiples of "
                                           "WOLFBOOT_SECTOR_SIZE " +
                                           formatHex(sector) + (guessed ? inferredNote(*d) : std::string()),
                                       {i});
                const std::uint64_t start = alignDown(p.offset, sector);
                const std::uint64_t end = alignUp(p.end(), sector);
                if (isFree(layout, p.device, start, end - start, i))
                    diag.fix = Fix{"Place at " + formatHex(start) + " with size " + formatHex(end - start),
                                   {PartitionEdit{i, start, end - start}}};
                out.push_back(std::move(diag));
            }
            if (a.role == PartitionRole::Swap && p.size != sector) {
                const bool fromGuess = d->geometryInferred && !stated;
                Diagnostic diag = make(fromGuess ? Severity::Warning : Severity::Error, "wolfboot.swap-size",
                                       "SWAP " + p.label + " is " + formatHex(p.size) +
                                           "; it must be exactly one "
                                           "WOLFBOOT_SECTOR_SIZE (" +
                                           formatHex(sector) + ")",
                                       {i});
                const std::uint64_t start = alignDown(p.offset, sector);
                if (isFree(layout, p.device, start, sector, i))
                    diag.fix =
                        Fix{"Make SWAP one sector: " + formatHex(start) + ".." + formatHex(start + sector),
                            {PartitionEdit{i, start, sector}}};
                out.push_back(std::move(diag));
            }
        }

    const std::uint64_t header = wolfBootHeaderSize(layout);
    for (std::size_t i : boot) {
        const Partition& p = layout.partitions[i];
        const FlashDevice* d = layout.deviceOf(p);
        if (!d)
            continue;
        if (p.size <= header) {
            out.push_back(make(Severity::Error, "wolfboot.image-header",
                               "BOOT " + p.label + " (" + formatHex(p.size) + ") cannot hold the " +
                                   std::to_string(header) + "-byte image header and any code",
                               {i}));
            continue;
        }
        const auto cpu = d->cpuAddress(p.offset + header);
        out.push_back(make(Severity::Info, "wolfboot.image-header",
                           "BOOT " + p.label + ": images begin with the " + std::to_string(header) +
                               "-byte wolfBoot header, so the application is linked at " +
                               (cpu ? formatAddress(*cpu) : formatHex(p.offset + header) + " of " + d->id) +
                               " (BOOT + " + formatHex(header) + ") and may use " +
                               formatHexAndSize(p.size - header),
                           {i}));
    }

    const bool anyFlag =
        setting(layout, "EXT_FLASH") != nullptr ||
        std::any_of(kAreas.begin(), kAreas.end(), [&](const Area& a) { return setting(layout, a.extFlag); });
    for (const Area& a : kAreas)
        for (std::size_t i : withRole(layout, a.role)) {
            const Partition& p = layout.partitions[i];
            const FlashDevice* d = layout.deviceOf(p);
            if (!d)
                continue;
            const bool external = isExternal(d->kind) && !d->cpuBase;
            const bool flagged = flagSet(layout, a.extFlag);
            if (external && !anyFlag)
                out.push_back(make(Severity::Info, "wolfboot.external",
                                   std::string(a.name) + " " + p.label + " is on external flash " + d->id +
                                       ": build wolfBoot with EXT_FLASH=1 " + a.extFlag + "=1",
                                   {i}));
            else if (external && (!flagged || !flagSet(layout, "EXT_FLASH")))
                out.push_back(
                    make(Severity::Error, "wolfboot.external",
                         std::string(a.name) + " " + p.label + " is on external flash " + d->id +
                             ", but the configuration does not set " +
                             (flagSet(layout, "EXT_FLASH") ? std::string(a.extFlag)
                                                           : "EXT_FLASH and " + std::string(a.extFlag)),
                         {i}));
            else if (!external && flagged)
                out.push_back(make(Severity::Error, "wolfboot.external",
                                   std::string(a.name) + " " + p.label + " is in " + d->id + ", but " +
                                       a.extFlag + "=1 tells wolfBoot to find it on external flash",
                                   {i}));
        }
    return out;
}

} // namespace flashplan
