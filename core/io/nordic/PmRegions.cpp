// SPDX-License-Identifier: Apache-2.0
#include "io/nordic/PmRegions.h"

#include "io/Format.h"
#include "util/Numbers.h"

#include <algorithm>
#include <array>

namespace flashplan::pm {

namespace {

/// Which device of a --board a region goes to.
enum class BoardPick { Internal, External, None };
/// Where an inferred device starts in the region's addressing.
enum class InferredBase {
    Flash,  ///< on-chip flash: the 16 MiB block of its lowest address (0 on nRF52/91/54L and the nRF53
            ///< application core, 0x01000000 on the nRF53 network core)
    None,   ///< external flash: the Partition Manager writes device offsets, there is no CPU base
    Lowest, ///< RAM, OTP, RAM-emulated flash...: the lowest address the file places in the region
};

struct RegionRule {
    std::string_view region;
    FlashKind kind;
    InferredBase base;
    BoardPick pick;
};

// The regions the Partition Manager has a convention for; every other region is on-chip memory of its own.
constexpr std::array kRules{
    RegionRule{kDefaultRegion, FlashKind::Internal, InferredBase::Flash, BoardPick::Internal},
    RegionRule{"external_flash", FlashKind::Spi, InferredBase::None, BoardPick::External},
};
constexpr RegionRule kOtherRegion{"", FlashKind::Internal, InferredBase::Lowest, BoardPick::None};

const RegionRule& ruleFor(std::string_view region) {
    for (const RegionRule& r : kRules)
        if (r.region == region)
            return r;
    return kOtherRegion;
}

std::optional<std::uint64_t> inferredCpuBase(InferredBase rule, std::uint64_t lowest) {
    switch (rule) {
    case InferredBase::Flash:
        return lowest & ~std::uint64_t{0xffffff};
    case InferredBase::Lowest:
        return lowest;
    case InferredBase::None:
        break;
    }
    return std::nullopt;
}

const FlashDevice* pickDevice(const Board& board, BoardPick pick, std::uint64_t lowest) {
    const FlashDevice* first = nullptr;
    for (const FlashDevice& d : board.devices) {
        if ((pick == BoardPick::Internal) == isExternal(d.kind))
            continue;
        if (!first)
            first = &d;
        // On a SoC with several internal flashes (nRF5340: application and network core) the region is
        // the one whose addresses the file uses.
        const std::uint64_t base = regionBase(d);
        if (lowest >= base && lowest - base < d.size())
            return &d;
    }
    return first;
}

std::string uniqueDeviceId(const Board& board, const std::string& wanted) {
    std::string id = wanted;
    for (int n = 2; board.device(id); ++n)
        id = wanted + "_" + std::to_string(n);
    return id;
}

Error errorAt(const std::string& fileName, int line, Errc code, std::string message) {
    Error e = makeError(code, std::move(message));
    e.where.file = fileName;
    e.where.line = line;
    e.field = "region";
    return e;
}

} // namespace

const RegionMap::Region* RegionMap::find(std::string_view region) const {
    for (const Region& r : regions)
        if (r.name == region)
            return &r;
    return nullptr;
}

Result<RegionMap> mapRegions(const std::vector<PmEntry>& entries, const std::vector<std::string>& parents,
                             const Board* board, const std::string& fileName) {
    RegionMap map;
    if (board) {
        map.board = *board;
        map.boardRef = board->id;
    } else {
        map.board.id = "pm_static";
        map.board.name = "Partition Manager regions (geometry inferred)";
    }

    std::vector<std::string> order;
    for (const PmEntry& e : entries)
        if (std::find(order.begin(), order.end(), e.region) == order.end())
            order.push_back(e.region);

    for (const std::string& region : order) {
        std::vector<const PmEntry*> members;
        std::vector<bool> topLevel;
        for (std::size_t i = 0; i < entries.size(); ++i)
            if (entries[i].region == region) {
                members.push_back(&entries[i]);
                topLevel.push_back(parents[i].empty());
            }
        const auto lowestEntry = std::min_element(members.begin(), members.end(),
                                                  [](auto* a, auto* b) { return a->address < b->address; });
        const std::uint64_t lowest = (*lowestEntry)->address;
        const RegionRule& rule = ruleFor(region);

        if (board && rule.pick != BoardPick::None) {
            const FlashDevice* d = pickDevice(*board, rule.pick, lowest);
            if (!d) {
                std::string names;
                for (const PmEntry* e : members)
                    names += (names.empty() ? "" : ", ") + e->name;
                return errorAt(fileName, members.front()->line, Errc::NotFound,
                               "board " + board->id + " has no " +
                                   (rule.pick == BoardPick::Internal ? "internal" : "external") +
                                   " flash for region " + region + " (partitions " + names + ")");
            }
            const std::uint64_t base = regionBase(*d);
            for (const PmEntry* e : members)
                if (e->address < base)
                    return errorAt(fileName, e->line, Errc::OutOfRange,
                                   e->name + ": address " + formatHex(e->address) + " lies below " + d->id +
                                       " of board " + board->id + ", which starts at " + formatAddress(base));
            map.regions.push_back({region, d->id, base});
            continue;
        }

        // A region the board lacks, or no board at all: a device of the region's own, as large as the file
        // needs, whose geometry is a guess.
        const std::optional<std::uint64_t> cpuBase = inferredCpuBase(rule.base, lowest);
        const std::uint64_t base = cpuBase.value_or(0);
        // The sectors fit the top-level partitions (a pad inside its slot need not be erasable on its own);
        // the device reaches to the end of every partition.
        std::vector<Partition> placed;
        std::uint64_t end = 0;
        for (std::size_t i = 0; i < members.size(); ++i) {
            end = std::max(end, members[i]->end() - base);
            if (!topLevel[i])
                continue;
            Partition p;
            p.offset = members[i]->address - base;
            p.size = members[i]->size;
            placed.push_back(p);
        }
        FlashDevice device = inferDevice(uniqueDeviceId(map.board, region), rule.kind, cpuBase, placed, end);
        if (board) {
            map.notes.push_back(Diagnostic{Severity::Info,
                                           "import.inferred-geometry",
                                           fileName + ": board " + board->id + " has no device for region " +
                                               region + ", so Flashplan adds " + device.id +
                                               " with a guessed sector map (" + device.sectors.toString() +
                                               ", " + formatSize(device.size()) +
                                               ") and keeps the board inline in the layout",
                                           {},
                                           std::nullopt});
            map.boardRef.clear();
        } else {
            map.notes.push_back(inferredGeometryNote(device, fileName));
        }
        map.regions.push_back({region, device.id, base});
        map.board.devices.push_back(std::move(device));
    }
    return map;
}

std::string regionOfDevice(const Layout& layout, const FlashDevice& device) {
    if (const std::string* r = findProperty(layout.properties, "pm.region." + device.id))
        return *r;
    return isExternal(device.kind) ? "external_flash" : std::string(kDefaultRegion);
}

std::uint64_t regionBase(const FlashDevice& device) {
    return isExternal(device.kind) ? 0 : device.cpuBase.value_or(0);
}

} // namespace flashplan::pm
