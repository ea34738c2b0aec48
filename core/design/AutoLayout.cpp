// SPDX-License-Identifier: Apache-2.0
// Layout design as a search: candidates are built on sector boundaries, each is checked by the same rule
// packs the user sees (validate(), after applyFixes() so that a pack's own repairs such as raising
// BOOT_MAX_IMG_SECTORS are taken), and the one that leaves the application the most space wins. The rules
// are never restated here, so a layout designed here is exactly as valid as the checker says.
#include "design/AutoLayout.h"

#include "model/BootloaderProfile.h"
#include "rules/AutoFix.h"
#include "rules/McubootRules.h"
#include "rules/RulePack.h"
#include "rules/WolfBootRules.h"
#include "util/Numbers.h"

#include <algorithm>
#include <functional>

namespace flashplan {

namespace {

constexpr std::uint64_t kDefaultBootloaderSize = 64 * 1024;

Partition part(std::string_view label, const std::string& device, std::uint64_t offset, std::uint64_t size,
               PartitionRole role, bool readOnly = false) {
    Partition p;
    p.label = label;
    p.device = device;
    p.offset = offset;
    p.size = size;
    p.role = role;
    p.readOnly = readOnly;
    return p;
}

const FlashDevice* codeFlash(const Board& board) {
    for (const FlashDevice& d : board.devices)
        if (d.kind == FlashKind::Internal)
            return &d;
    return board.devices.empty() ? nullptr : &board.devices.front();
}

const FlashDevice* externalFlash(const Board& board, const FlashDevice* code) {
    for (const FlashDevice& d : board.devices)
        if (&d != code && isExternal(d.kind))
            return &d;
    return nullptr;
}

/// Whether a finding rules a candidate out. An unknown write block is a fact about the board that no
/// layout can change: it stays a warning for the user, not a reason to refuse every candidate.
bool blocks(const Diagnostic& d) {
    return d.severity != Severity::Info && d.rule != "generic.write-block-unknown";
}

bool passes(const std::vector<Diagnostic>& diagnostics) {
    return std::none_of(diagnostics.begin(), diagnostics.end(), blocks);
}

/// The sector boundaries of [from, to) on a map, both ends included.
std::vector<std::uint64_t> boundaries(const SectorMap& map, std::uint64_t from, std::uint64_t to) {
    std::vector<std::uint64_t> out{from};
    map.forEachSector(from, to - from, [&](const Sector& s) {
        if (s.offset > from && s.offset < to)
            out.push_back(s.offset);
        return true;
    });
    out.push_back(to);
    return out;
}

/// One layout to try: the fixed partitions of a base (bootloader, storage) plus slots. `bound` is the primary
/// slot's size, which the application space can never exceed: candidates are tried largest bound first and
/// the search stops once no remaining one could beat the best found.
struct Candidate {
    std::uint64_t bound = 0;
    std::size_t base = 0;
    std::vector<Partition> slots;
};

class Search {
public:
    void addBase(Layout base) { bases_.push_back(std::move(base)); }
    std::size_t lastBase() const { return bases_.size() - 1; }
    void add(std::size_t base, std::vector<Partition> slots) {
        const std::uint64_t bound = slots.empty() ? 0 : slots.front().size;
        candidates_.push_back({bound, base, std::move(slots)});
    }

    std::optional<Layout> run() {
        std::stable_sort(candidates_.begin(), candidates_.end(),
                         [](const Candidate& a, const Candidate& b) { return a.bound > b.bound; });
        std::optional<Layout> best;
        std::uint64_t bestSpace = 0;
        for (Candidate& c : candidates_) {
            if (best && c.bound <= bestSpace)
                break;
            Layout l = bases_[c.base];
            for (Partition& p : c.slots)
                l.partitions.push_back(std::move(p));
            FixReport fixed = applyFixes(l);
            if (!passes(fixed.remaining)) {
                // The largest candidate's complaint explains a failed search better than "nothing fits".
                if (closest_.empty())
                    for (const Diagnostic& d : fixed.remaining)
                        if (blocks(d)) {
                            closest_ = d.message;
                            break;
                        }
                continue;
            }
            const std::uint64_t space = applicationSpace(fixed.layout);
            if (space > bestSpace || !best) {
                bestSpace = space;
                best = std::move(fixed.layout);
            }
        }
        return best;
    }

    /// Why the largest candidate failed; empty when one passed or none was tried.
    const std::string& closest() const { return closest_; }

private:
    std::vector<Layout> bases_;
    std::vector<Candidate> candidates_;
    std::string closest_;
};

} // namespace

std::uint64_t applicationSpace(const Layout& layout) {
    const auto it = std::find_if(layout.partitions.begin(), layout.partitions.end(), [](const Partition& p) {
        return p.role == PartitionRole::Slot0 && p.imageIndex == 0 && p.parent.empty();
    });
    if (it == layout.partitions.end())
        return 0;
    const auto kind = layout.bootloader.knownKind();
    if (!kind)
        return it->size;
    // What the bootloader lets an image use (MCUboot's trailer arithmetic; wolfBoot: the whole slot), less
    // the header each image starts with.
    std::uint64_t space = it->size, header = firstProfileOf(*kind).headerSize;
    if (*kind == BootloaderKind::Mcuboot) {
        const auto mcuboot = mcubootImageSpace(layout, 0);
        space = mcuboot && mcuboot->space.fits ? mcuboot->space.space : 0;
    }
    if (*kind == BootloaderKind::Wolfboot)
        header = wolfBootHeaderSize(layout);
    return space > header ? space - header : 0;
}

namespace {

/// Candidates with both slots (and the scratch or swap area) in [start, end) of the code flash, in that
/// order: slot0, slot1, extra.
void searchInternal(Search& search, std::size_t base, const FlashDevice& code, std::uint64_t start,
                    std::uint64_t end, const SlotShape& shape, const ProfileLabels& labels) {
    const SectorMap& map = code.sectors;
    const std::uint64_t extraMax = shape.extra ? 4 : 0;
    const auto add = [&](std::uint64_t s0, std::uint64_t e0, std::uint64_t e1, std::uint64_t e2) {
        std::vector<Partition> slots{part(labels.primary, code.id, s0, e0 - s0, PartitionRole::Slot0),
                                     part(labels.secondary, code.id, e0, e1 - e0, PartitionRole::Slot1)};
        if (e2 > e1)
            slots.push_back(part(labels.extra, code.id, e1, e2 - e1, *shape.extra));
        search.add(base, std::move(slots));
    };
    const std::uint64_t smallest = map.sectorAt(start)->size;
    const std::uint64_t largest = map.largestSectorIn(start, end - start);
    bool uniform = smallest == largest;
    map.forEachSector(start, end - start,
                      [&](const Sector& s) { return uniform = uniform && s.size == smallest; });
    if (uniform) {
        // Equal sectors: the sizes follow by arithmetic; a few below the optimum are tried too, in case a
        // rule (the trailer, BOOT_MAX_IMG_SECTORS) wants room.
        const std::uint64_t units = (end - start) / smallest;
        const std::uint64_t plus = shape.relation == SlotRelation::Equal ? 0 : 1;
        for (std::uint64_t extra = extraMax ? 1 : 0; extra <= extraMax; ++extra) {
            if (units < extra + 2 + plus)
                continue;
            const std::uint64_t k = (units - extra - plus) / 2;
            for (std::uint64_t kk = k; kk > 0 && kk + 4 > k; --kk) {
                const std::uint64_t a = kk + (shape.relation == SlotRelation::PrimaryOneMore ? 1 : 0);
                const std::uint64_t c = kk + (shape.relation == SlotRelation::SecondaryOneMore ? 1 : 0);
                add(start, start + a * smallest, start + (a + c) * smallest,
                    start + (a + c + extra) * smallest);
            }
        }
        return;
    }
    // Mixed sector sizes (the STM32F2/F4/F7 maps): slot0 on any two boundaries; slot1 follows it with the
    // size the mode asks for, then the extra area of one to four sectors.
    const auto b = boundaries(map, start, end);
    const std::size_t n = b.size() - 1;
    const auto at = [&](std::uint64_t offset) -> std::optional<std::size_t> {
        const auto it = std::lower_bound(b.begin(), b.end(), offset);
        if (it == b.end() || *it != offset)
            return std::nullopt;
        return static_cast<std::size_t>(it - b.begin());
    };
    for (std::size_t i = 0; i < n; ++i)
        for (std::size_t j = i + 1; j < n; ++j) {
            const std::uint64_t size0 = b[j] - b[i];
            std::uint64_t size1 = size0;
            if (shape.relation == SlotRelation::PrimaryOneMore)
                size1 = size0 - map.sectorAt(b[j] - 1)->size;
            else if (shape.relation == SlotRelation::SecondaryOneMore && b[j] + size0 < end)
                size1 = size0 + map.sectorAt(b[j] + size0)->size;
            const auto k = at(b[j] + size1);
            if (size1 == 0 || !k)
                continue;
            for (std::size_t m = *k + (extraMax ? 1 : 0); m <= std::min<std::size_t>(n, *k + extraMax); ++m)
                add(b[i], b[j], b[*k], b[m]);
        }
}

/// Candidates with the primary (and the scratch or swap area after it) in [start, end) of the code
/// flash and the secondary at the start of the external flash.
void searchExternal(Search& search, std::size_t base, const FlashDevice& code, const FlashDevice& ext,
                    std::uint64_t start, std::uint64_t end, const SlotShape& shape,
                    const ProfileLabels& labels) {
    const SectorMap& map = code.sectors;
    const auto b = boundaries(map, start, end);
    const std::size_t n = b.size() - 1;
    // The scratch or swap area must hold the largest erase unit of either device (wolfBoot's SWAP is one
    // WOLFBOOT_SECTOR_SIZE, MCUboot's scratch the largest sector swapped): enough small sectors to reach it.
    const std::uint64_t unit = std::max(map.largestSectorIn(start, end - start), ext.sectors.largestSector());
    const std::size_t extraMax = shape.extra
                                     ? static_cast<std::size_t>(std::min<std::uint64_t>(
                                           16, std::max<std::uint64_t>(2, unit / map.smallestSector())))
                                     : 0;
    for (std::size_t i = 0; i < std::min<std::size_t>(n, 64); ++i)
        for (std::size_t m = extraMax ? 1 : 0; m <= extraMax && i + m < n; ++m) {
            const std::uint64_t s0 = b[i], e0 = b[n - m];
            const std::uint64_t primary = e0 - s0;
            const std::uint64_t lastSector = map.sectorAt(e0 - 1)->size;
            std::uint64_t secondary = primary;
            if (shape.relation == SlotRelation::PrimaryOneMore)
                secondary = primary > lastSector ? primary - lastSector : 0;
            if (shape.relation == SlotRelation::SecondaryOneMore)
                secondary = primary + lastSector;
            if (secondary == 0 || secondary > ext.size())
                continue;
            std::vector<Partition> slots{part(labels.primary, code.id, s0, primary, PartitionRole::Slot0),
                                         part(labels.secondary, ext.id, 0, secondary, PartitionRole::Slot1)};
            if (m > 0)
                slots.push_back(part(labels.extra, code.id, e0, end - e0, *shape.extra));
            search.add(base, std::move(slots));
        }
}

/// The start of a storage area of at least `size` bytes and two whole sectors at the end of a map.
std::uint64_t storageStart(const SectorMap& map, std::uint64_t size) {
    const std::uint64_t end = map.totalSize();
    std::uint64_t from = size >= end ? 0 : map.boundaryAtOrBelow(end - size);
    std::uint64_t sectors = 0;
    map.forEachSector(from, end - from, [&](const Sector&) { return ++sectors < 2; });
    while (sectors < 2 && from > 0) {
        from = map.sectorAt(from - 1)->offset;
        ++sectors;
    }
    return from;
}

/// The end of a storage area of at least `size` bytes and two whole sectors starting at `from`.
std::uint64_t storageEnd(const SectorMap& map, std::uint64_t from, std::uint64_t size) {
    std::uint64_t to = map.boundaryAtOrAbove(std::min(from + size, map.totalSize()));
    std::uint64_t sectors = 0;
    map.forEachSector(from, to - from, [&](const Sector&) { return ++sectors < 2; });
    for (; sectors < 2 && to < map.totalSize(); ++sectors)
        to = map.sectorAt(to)->end();
    return to;
}

} // namespace

Result<Layout> designLayout(const Board& board, const LayoutWishes& wishes) {
    const ProfileInfo* profile = findProfile(wishes.profile);
    if (!profile)
        return makeError(Errc::InvalidArgument, "'" + wishes.profile + "' is not a bootloader profile");
    const FlashDevice* code = codeFlash(board);
    if (!code)
        return makeError(Errc::InvalidArgument, "board " + board.id + " has no flash");
    const FlashDevice* ext = nullptr;
    if (wishes.secondaryOnExternal) {
        ext = externalFlash(board, code);
        if (!ext)
            return makeError(Errc::InvalidArgument,
                             "board " + board.id + " has no external flash for the secondary slot");
    }

    Layout base;
    base.board = board;
    base.boardRef = board.id;
    applyProfile(base.bootloader, *profile);
    base.name = board.name + ", " + std::string(profile->title);
    const ProfileLabels& labels = profile->labels;
    const SectorMap& map = code->sectors;

    std::uint64_t start = 0;
    if (profile->shape.boot) {
        const std::uint64_t want = wishes.bootloaderSize ? wishes.bootloaderSize : kDefaultBootloaderSize;
        start = map.boundaryAtOrAbove(std::min(want, map.totalSize()));
        base.partitions.push_back(part(labels.boot, code->id, 0, start, PartitionRole::Boot, true));
        if (start >= map.totalSize())
            return makeError(Errc::OutOfRange,
                             "the bootloader leaves no room for the application on " + code->id);
    }
    // Where the storage goes: at the end of the code flash, or right after the bootloader, where maps with
    // small sectors at the start (STM32F2/F4/F7) keep it out of the large ones. Both are tried.
    struct Region {
        std::uint64_t start, end;
        std::optional<Partition> storage;
    };
    std::vector<Region> regions;
    const std::uint64_t size = map.totalSize();
    if (wishes.storageSize == 0) {
        regions.push_back({start, size, std::nullopt});
    } else {
        const std::uint64_t atEnd = storageStart(map, wishes.storageSize);
        if (atEnd > start)
            regions.push_back(
                {start, atEnd, part(labels.storage, code->id, atEnd, size - atEnd, PartitionRole::Storage)});
        const std::uint64_t afterBoot = storageEnd(map, start, wishes.storageSize);
        if (afterBoot < size)
            regions.push_back(
                {afterBoot, size,
                 part(labels.storage, code->id, start, afterBoot - start, PartitionRole::Storage)});
        if (regions.empty())
            return makeError(Errc::OutOfRange, "a " + formatSize(wishes.storageSize) +
                                                   " storage partition leaves no room on " + code->id);
    }

    Search search;
    const SlotShape& shape = profile->shape;
    for (const Region& r : regions) {
        if (r.end <= r.start)
            continue;
        Layout variant = base;
        if (r.storage)
            variant.partitions.push_back(*r.storage);
        search.addBase(std::move(variant));
        if (!shape.secondary)
            search.add(search.lastBase(),
                       {part(labels.primary, code->id, r.start, r.end - r.start, PartitionRole::Slot0)});
        else if (ext)
            searchExternal(search, search.lastBase(), *code, *ext, r.start, r.end, shape, labels);
        else
            searchInternal(search, search.lastBase(), *code, r.start, r.end, shape, labels);
    }
    const std::optional<Layout> best = search.run();
    if (!best)
        return makeError(Errc::OutOfRange,
                         "no " + std::string(profile->id) + " layout on " + board.id + " passes every rule" +
                             (search.closest().empty()
                                  ? std::string(" with these wishes")
                                  : "; the largest candidate fails with: " + search.closest()));
    Layout result = *best;
    // Partitions in device then offset order: the flash_area id order people expect.
    const auto deviceIndex = [&](const std::string& id) {
        for (std::size_t i = 0; i < board.devices.size(); ++i)
            if (board.devices[i].id == id)
                return i;
        return board.devices.size();
    };
    std::stable_sort(
        result.partitions.begin(), result.partitions.end(), [&](const Partition& a, const Partition& b) {
            return std::pair(deviceIndex(a.device), a.offset) < std::pair(deviceIndex(b.device), b.offset);
        });
    if (profile->kind == BootloaderKind::Wolfboot)
        setProperty(result.bootloader.settings, "WOLFBOOT_SECTOR_SIZE",
                    formatHex(wolfBootSectorSize(result)));
    return result;
}

} // namespace flashplan
