// SPDX-License-Identifier: Apache-2.0
#include "rules/GenericRules.h"

#include "model/FreeSpace.h"
#include "model/Platform.h"
#include "rules/PlatformFacts.h"
#include "util/Alignment.h"
#include "util/Numbers.h"

#include <algorithm>
#include <numeric>
#include <unordered_map>

namespace flashplan {

namespace {

std::string nameOf(const Layout& layout, std::size_t i) {
    const std::string& label = layout.partitions[i].label;
    return label.empty() ? "partition #" + std::to_string(i) : label;
}

/// "0x20000" or, on a memory-mapped device, "0x20000 (CPU 0x08020000)".
std::string at(const FlashDevice& d, std::uint64_t offset) {
    const auto cpu = d.cpuAddress(offset);
    if (!cpu || *cpu == offset)
        return formatHex(offset);
    return formatHex(offset) + " (CPU " + formatAddress(*cpu) + ")";
}

std::string span(std::uint64_t from, std::uint64_t to) {
    return formatHex(from) + ".." + formatHex(to);
}

Diagnostic make(Severity s, const char* rule, std::string message, std::vector<std::size_t> partitions) {
    return Diagnostic{s, rule, std::move(message), std::move(partitions), std::nullopt};
}

Fix placeFix(std::size_t i, std::uint64_t offset, std::uint64_t size) {
    return Fix{"Place at " + formatHex(offset) + " with size " + formatHexAndSize(size),
               {PartitionEdit{i, offset, size}}};
}

/// Partitions that can be placed on their device: known device, non-empty, inside the device.
bool placeable(const Layout& layout, const Partition& p) {
    const FlashDevice* d = layout.deviceOf(p);
    return d && p.size > 0 && rangeWithin(p.offset, p.size, d->size());
}

/// True when no partition but `i` has bytes in the sector that holds `offset`.
bool sectorToItself(const Layout& layout, std::size_t i, std::uint64_t offset) {
    const Partition& p = layout.partitions[i];
    const Sector s = *layout.deviceOf(p)->sectors.sectorAt(offset);
    for (std::size_t k = 0; k < layout.partitions.size(); ++k) {
        const Partition& q = layout.partitions[k];
        if (k != i && q.device == p.device && q.size > 0 && q.offset < s.end() && s.offset < q.end())
            return false;
    }
    return true;
}

/// Indexes of the placeable partitions of one device, sorted by offset then end.
std::vector<std::size_t> sortedOnDevice(const Layout& layout, const std::string& deviceId) {
    std::vector<std::size_t> idx;
    for (std::size_t i = 0; i < layout.partitions.size(); ++i)
        if (layout.partitions[i].device == deviceId && placeable(layout, layout.partitions[i]))
            idx.push_back(i);
    std::sort(idx.begin(), idx.end(), [&](std::size_t a, std::size_t b) {
        const Partition &pa = layout.partitions[a], &pb = layout.partitions[b];
        return pa.offset != pb.offset ? pa.offset < pb.offset : pa.end() < pb.end();
    });
    return idx;
}

} // namespace

std::vector<Diagnostic> checkDevices(const Layout& layout) {
    std::vector<Diagnostic> out;
    std::string have;
    for (const FlashDevice& d : layout.board.devices)
        have += (have.empty() ? "" : ", ") + d.id;
    for (std::size_t i = 0; i < layout.partitions.size(); ++i) {
        const Partition& p = layout.partitions[i];
        if (!layout.deviceOf(p))
            out.push_back(make(Severity::Error, "generic.unknown-device",
                               nameOf(layout, i) + ": device '" + p.device + "' is not on board " +
                                   layout.board.id + " (it has " + have + ")",
                               {i}));
    }
    return out;
}

std::vector<Diagnostic> checkBounds(const Layout& layout) {
    std::vector<Diagnostic> out;
    for (std::size_t i = 0; i < layout.partitions.size(); ++i) {
        const Partition& p = layout.partitions[i];
        const FlashDevice* d = layout.deviceOf(p);
        if (!d || rangeWithin(p.offset, p.size, d->size()))
            continue;
        if (p.offset >= d->size()) {
            out.push_back(make(Severity::Error, "generic.outside-device",
                               nameOf(layout, i) + ": starts at " + formatHex(p.offset) +
                                   ", beyond the end of " + d->id + " (" + formatHex(d->size()) + ", " +
                                   formatSize(d->size()) + ")",
                               {i}));
            continue;
        }
        const std::uint64_t over = p.offset + p.size - d->size();
        Diagnostic diag =
            make(Severity::Error, "generic.outside-device",
                 nameOf(layout, i) + ": " + span(p.offset, p.end()) + " reaches " + formatHexAndSize(over) +
                     " past the end of " + d->id + " (" + formatSize(d->size()) + ")",
                 {i});
        diag.fix = placeFix(i, p.offset, d->size() - p.offset);
        diag.fix->description =
            "Shrink to " + formatHex(d->size() - p.offset) + " so it ends at the end of " + d->id;
        out.push_back(std::move(diag));
    }
    return out;
}

std::vector<Diagnostic> checkOverlaps(const Layout& layout) {
    std::vector<Diagnostic> out;
    for (const FlashDevice& d : layout.board.devices) {
        // Sweep in offset order, keeping the partitions whose end lies beyond the current offset.
        std::vector<std::size_t> active;
        for (std::size_t i : sortedOnDevice(layout, d.id)) {
            const Partition& p = layout.partitions[i];
            std::erase_if(active, [&](std::size_t a) { return layout.partitions[a].end() <= p.offset; });
            for (std::size_t a : active) {
                const Partition& q = layout.partitions[a];
                // A nested partition shares its parent's bytes by design.
                if (layout.isAncestor(q, p) || layout.isAncestor(p, q))
                    continue;
                Severity severity = Severity::Error;
                std::string why;
                if (platformOf(layout) == Platform::PartitionManager) {
                    // Containers group what they span and may cross each other: PM builds them.
                    if (!pmSharedByDesign(layout, a, i).empty())
                        continue;
                    if (p.label == kPmDynamicPartition || q.label == kPmDynamicPartition) {
                        severity = Severity::Warning;
                        why = std::string("; the Partition Manager ignores the address and size a "
                                          "pm_static.yml gives ") +
                              kPmDynamicPartition + " and places it in the gap the static partitions leave";
                    } else if (isPmFreeSpace(layout, p) || isPmFreeSpace(layout, q)) {
                        severity = Severity::Warning;
                        const Partition& f = isPmFreeSpace(layout, p) ? p : q;
                        why = "; " + f.label +
                              " is the Partition Manager's free-space partition of its region, " +
                              "so whatever takes that free space would erase " + (&f == &p ? q : p).label;
                    } else if (isPmContainer(p) || isPmContainer(q)) {
                        const Partition& c = isPmContainer(p) ? p : q;
                        why = "; container " + c.label + " does not span " + (&c == &p ? q : p).label +
                              ", so the flash area PM gives " + c.label + " covers it";
                    }
                }
                const std::uint64_t from = p.offset, to = std::min(p.end(), q.end());
                out.push_back(make(severity, "generic.overlap",
                                   nameOf(layout, a) + " (" + span(q.offset, q.end()) + ") and " +
                                       nameOf(layout, i) + " (" + span(p.offset, p.end()) + ") overlap by " +
                                       formatHexAndSize(to - from) + " at " + at(d, from) + " on " + d.id +
                                       why,
                                   {std::min(a, i), std::max(a, i)}));
            }
            active.push_back(i);
        }
    }
    return out;
}

std::vector<Diagnostic> checkSectorAlignment(const Layout& layout) {
    std::vector<Diagnostic> out;
    for (std::size_t i = 0; i < layout.partitions.size(); ++i) {
        const Partition& p = layout.partitions[i];
        // Only top-level partitions are erased as a whole; a child (an MCUboot pad inside its slot, say)
        // lives inside its parent's sectors. A partition nothing erases on its own (a configuration area, a
        // second-stage bootloader) may share its sectors with what is flashed beside it.
        if (!placeable(layout, p) || !p.parent.empty() || !erasedOnItsOwn(p))
            continue;
        const FlashDevice& d = *layout.deviceOf(p);
        const SectorMap& map = d.sectors;
        const bool startOk = map.isBoundary(p.offset), endOk = map.isBoundary(p.end());
        if (startOk && endOk)
            continue;

        std::string msg = nameOf(layout, i) + ": ";
        if (!startOk) {
            const Sector s = *map.sectorAt(p.offset);
            msg += "offset " + formatHex(p.offset) + " is not on a sector boundary of " + d.id +
                   ": it falls inside the " + formatSize(s.size) + " sector at " + at(d, s.offset);
        }
        if (!endOk) {
            const Sector s = *map.sectorAt(p.end());
            msg += std::string(startOk ? "" : "; ") + "end " + formatHex(p.end()) + " (size " +
                   formatHex(p.size) + ") is not on a sector boundary of " + d.id + ": it falls inside the " +
                   formatSize(s.size) + " sector at " + at(d, s.offset);
        }

        // Nearest boundaries; on a tie the start moves down and the end up, so the fix never shrinks.
        const auto nearest = [&](std::uint64_t off, bool preferUp) {
            const std::uint64_t lo = map.boundaryAtOrBelow(off), hi = map.boundaryAtOrAbove(off);
            if (off - lo == hi - off)
                return preferUp ? hi : lo;
            return off - lo < hi - off ? lo : hi;
        };
        const std::uint64_t start = nearest(p.offset, false);
        std::uint64_t end = nearest(p.end(), true);
        if (end <= start)
            end = map.boundaryAtOrAbove(start + 1);
        Severity severity = Severity::Error;
        if (d.geometryInferred) {
            // The sectors are a guess: the real part may well have the boundary.
            severity = Severity::Warning;
            msg += " (the sector map of " + d.id + " is inferred, not known: pass the board to be sure)";
        } else if (startOk && platformOf(layout) == Platform::EspIdf && sectorToItself(layout, i, p.end())) {
            // gen_esp32part.py checks offsets only, and the rest of the sector is nobody's.
            severity = Severity::Warning;
            msg +=
                "; ESP-IDF accepts it, but esp_partition_erase_range() erases whole sectors, so its last " +
                formatSize(p.end() - map.boundaryAtOrBelow(p.end())) + " can only be erased with the sector";
        }
        Diagnostic diag = make(severity, "generic.sector-alignment", msg, {i});
        diag.fix = placeFix(i, start, end - start);
        out.push_back(std::move(diag));
    }
    return out;
}

std::vector<Diagnostic> checkWriteBlockAlignment(const Layout& layout) {
    std::vector<Diagnostic> out;
    // An unknown write block is 1 below, which passes everything: say so once per device, on the
    // partitions whose writes it would judge, rather than let silence read as a pass.
    for (const FlashDevice& d : layout.board.devices) {
        if (d.writeBlockKnown)
            continue;
        std::vector<std::size_t> on;
        for (std::size_t i = 0; i < layout.partitions.size(); ++i)
            if (layout.deviceOf(layout.partitions[i]) == &d)
                on.push_back(i);
        if (!on.empty())
            out.push_back(make(Severity::Warning, "generic.write-block-unknown",
                               "the write-block size of " + d.id +
                                   " is unknown (its board was generated from a source that does not say "
                                   "it, such as a CMSIS-Pack): offsets and sizes were checked against its "
                                   "sectors only; set write-block in the board file from the datasheet",
                               std::move(on)));
    }
    for (std::size_t i = 0; i < layout.partitions.size(); ++i) {
        const Partition& p = layout.partitions[i];
        const FlashDevice* d = layout.deviceOf(p);
        if (!d || p.size == 0)
            continue;
        const std::uint64_t wbs = d->writeBlockSize;
        if (p.offset % wbs == 0 && p.size % wbs == 0)
            continue;
        std::string what;
        if (p.offset % wbs != 0)
            what = "offset " + formatHex(p.offset);
        if (p.size % wbs != 0)
            what += std::string(what.empty() ? "" : " and ") + "size " + formatHex(p.size);
        Diagnostic diag = make(
            Severity::Error, "generic.write-block",
            nameOf(layout, i) + ": " + what + (p.offset % wbs != 0 && p.size % wbs != 0 ? " are" : " is") +
                " not a multiple of the " + std::to_string(wbs) + "-byte write block of " + d->id,
            {i});
        const std::uint64_t start = alignDown(p.offset, wbs);
        const std::uint64_t end = alignUp(p.end(), wbs);
        diag.fix = placeFix(i, start, end - start);
        out.push_back(std::move(diag));
    }
    return out;
}

std::vector<Diagnostic> checkLabels(const Layout& layout) {
    std::vector<Diagnostic> out;
    std::unordered_map<std::string, std::vector<std::size_t>> byLabel;
    for (std::size_t i = 0; i < layout.partitions.size(); ++i) {
        const std::string& label = layout.partitions[i].label;
        if (label.empty()) {
            out.push_back(make(Severity::Error, "generic.label-invalid",
                               "partition #" + std::to_string(i) +
                                   " has no label; DTS node labels and "
                                   "FIXED_PARTITION_ID() need one",
                               {i}));
            continue;
        }
        if (!isValidLabel(label)) {
            // ESP-IDF names are up to 16 bytes of any text; only the C-facing exports need an identifier.
            const bool esp = platformOf(layout) == Platform::EspIdf;
            out.push_back(make(esp ? Severity::Warning : Severity::Error, "generic.label-invalid",
                               "'" + label +
                                   "' is not a C identifier ([A-Za-z_][A-Za-z0-9_]*), which DTS node labels "
                                   "and FIXED_PARTITION_ID() need" +
                                   (esp ? std::string("; ESP-IDF accepts the name, but export to dts or "
                                                      "c-flash-map would fail")
                                        : std::string()),
                               {i}));
        }
        byLabel[label].push_back(i);
    }
    std::vector<std::vector<std::size_t>> dups;
    for (auto& [label, idx] : byLabel)
        if (idx.size() > 1)
            dups.push_back(idx);
    std::sort(dups.begin(), dups.end());
    for (const auto& idx : dups) {
        std::string list;
        for (std::size_t i : idx)
            list += (list.empty() ? "#" : ", #") + std::to_string(i);
        out.push_back(make(Severity::Error, "generic.label-duplicate",
                           "label '" + layout.partitions[idx.front()].label + "' is used by " +
                               std::to_string(idx.size()) + " partitions (" + list +
                               "); labels must be unique",
                           idx));
    }
    return out;
}

std::vector<Diagnostic> checkEmpty(const Layout& layout) {
    std::vector<Diagnostic> out;
    // The Partition Manager writes a size-0 partition for the free space of a region it filled.
    const bool pm = platformOf(layout) == Platform::PartitionManager;
    for (std::size_t i = 0; i < layout.partitions.size(); ++i)
        if (layout.partitions[i].size == 0)
            out.push_back(make(pm ? Severity::Warning : Severity::Error, "generic.empty",
                               nameOf(layout, i) + ": size is 0" +
                                   (pm ? "; the Partition Manager accepts it (a region with no free space "
                                         "left), but no flash area can be opened on it"
                                       : ""),
                               {i}));
    return out;
}

std::vector<Diagnostic> checkParents(const Layout& layout) {
    std::vector<Diagnostic> out;
    for (std::size_t i = 0; i < layout.partitions.size(); ++i) {
        const Partition& p = layout.partitions[i];
        if (p.parent.empty())
            continue;
        const int pi = layout.indexOf(p.parent);
        if (pi < 0) {
            out.push_back(make(
                Severity::Error, "generic.parent",
                nameOf(layout, i) + ": parent '" + p.parent + "' is not a partition of this layout", {i}));
            continue;
        }
        const auto parentIndex = static_cast<std::size_t>(pi);
        const Partition& parent = layout.partitions[parentIndex];
        if (parentIndex == i || layout.isAncestor(p, parent)) {
            out.push_back(make(Severity::Error, "generic.parent",
                               nameOf(layout, i) + ": is its own ancestor through parent '" + p.parent + "'",
                               {i, parentIndex}));
            continue;
        }
        if (parent.device != p.device || p.offset < parent.offset || p.end() > parent.end())
            out.push_back(make(Severity::Error, "generic.parent",
                               nameOf(layout, i) + " (" + p.device + " " + span(p.offset, p.end()) +
                                   ") does not lie inside its parent " + nameOf(layout, parentIndex) + " (" +
                                   parent.device + " " + span(parent.offset, parent.end()) + ")",
                               {i, parentIndex}));
    }
    return out;
}

std::vector<Diagnostic> checkReadOnlyWrites(const Layout& layout) {
    std::vector<Diagnostic> out;
    for (std::size_t i = 0; i < layout.partitions.size(); ++i) {
        const Partition& p = layout.partitions[i];
        // A warning: nothing on the platform breaks, and the programmer's preflight refuses the write
        // (preflight.read-only) while still letting the image be verified against the partition.
        if (p.readOnly && !p.image.empty())
            out.push_back(make(Severity::Warning, "generic.read-only-write",
                               nameOf(layout, i) + ": is read-only but image '" + p.image +
                                   "' is assigned to it; flash refuses to write it (verify and read work): "
                                   "clear read-only or remove the image",
                               {i}));
    }
    return out;
}

std::vector<Diagnostic> checkFreeSpace(const Layout& layout) {
    std::vector<Diagnostic> out;
    for (const FlashDevice& d : layout.board.devices) {
        // The editor hatches the same ranges (freeRanges): a partition that runs past the end of the device
        // still covers what of it lies on the device.
        for (const FreeRange& r : freeRanges(layout, d)) {
            std::string where;
            std::vector<std::size_t> near;
            if (r.before && r.after)
                where = " between " + nameOf(layout, *r.before) + " and " + nameOf(layout, *r.after);
            else if (r.after)
                where = " before " + nameOf(layout, *r.after);
            else if (r.before)
                where = " after " + nameOf(layout, *r.before) + ", up to the end of the device";
            for (const auto& i : {r.before, r.after})
                if (i)
                    near.push_back(*i);
            if (near.empty())
                out.push_back(make(Severity::Info, "generic.free-space",
                                   d.id + ": no partitions; all " + formatSize(d.size()) + " are free", {}));
            else
                out.push_back(make(Severity::Info, "generic.free-space",
                                   d.id + ": " + span(r.from, r.to) + " (" + formatSize(r.to - r.from) +
                                       ") is free" + where,
                                   std::move(near)));
        }
    }
    return out;
}

std::vector<Diagnostic> checkGeneric(const Layout& layout) {
    std::vector<Diagnostic> out;
    for (auto check :
         {checkDevices, checkBounds, checkOverlaps, checkSectorAlignment, checkWriteBlockAlignment,
          checkLabels, checkEmpty, checkReadOnlyWrites, checkFreeSpace}) {
        auto found = check(layout);
        out.insert(out.end(), std::make_move_iterator(found.begin()), std::make_move_iterator(found.end()));
    }
    return out;
}

} // namespace flashplan
