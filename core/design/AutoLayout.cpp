// SPDX-License-Identifier: Apache-2.0
// Layout design as a search: candidates are built on sector boundaries, each is checked by the same rule
// packs the user sees (validate(), after applyFixes() so that a pack's own repairs such as raising
// BOOT_MAX_IMG_SECTORS are taken), and the one that leaves the application the most space wins. The rules
// are never restated here, so a layout designed here is exactly as valid as the checker says.
#include "design/AutoLayout.h"

#include "rules/AutoFix.h"
#include "rules/McubootRules.h"
#include "rules/Profiles.h"
#include "rules/RulePack.h"
#include "rules/WolfBootRules.h"
#include "util/Numbers.h"

#include <algorithm>
#include <functional>

namespace flashplan {

namespace {

constexpr std::uint64_t kDefaultBootloaderSize = 64 * 1024;
constexpr std::uint64_t kWolfBootHeaderSize = 256;
// Above this many sectors in the free region, only a uniform region is searched exhaustively by
// arithmetic; smaller regions (the STM32F4-style mixed maps) are searched boundary by boundary.
constexpr std::size_t kMaxEnumeratedSectors = 96;

/// How the sizes of the two slots relate in a mode, in sectors of the primary's flash.
enum class SlotRelation { Equal, PrimaryOneMore, SecondaryOneMore };

struct ModeShape {
    SlotRelation relation = SlotRelation::Equal;
    bool scratch = false; ///< a scratch area (MCUboot swap-using-scratch)
    bool swap = false;    ///< a one-sector swap partition (wolfBoot)
};

ModeShape shapeOf(const BootloaderProfile& b) {
    if (b.kind == "wolfboot")
        return {SlotRelation::Equal, false, true};
    if (b.mode == "swap-using-scratch")
        return {SlotRelation::Equal, true, false};
    if (b.mode == "swap-using-move")
        return {SlotRelation::PrimaryOneMore, false, false};
    if (b.mode == "swap-using-offset")
        return {SlotRelation::SecondaryOneMore, false, false};
    return {};
}

Partition part(std::string label, const std::string& device, std::uint64_t offset, std::uint64_t size,
               PartitionRole role, bool readOnly = false) {
    Partition p;
    p.label = std::move(label);
    p.device = device;
    p.offset = offset;
    p.size = size;
    p.role = role;
    p.readOnly = readOnly;
    return p;
}

struct Labels {
    const char *boot, *slot0, *slot1, *extra, *storage;
};

Labels labelsFor(const BootloaderProfile& b) {
    if (b.kind == "wolfboot")
        return {"wolfboot", "boot", "update", "swap", "storage_partition"};
    if (b.kind == "none")
        return {"", "code_partition", "", "", "storage_partition"};
    // MCUboot's Zephyr port looks its partitions up by these labels (sysflash.h).
    return {"boot_partition", "slot0_partition", "slot1_partition", "scratch_partition", "storage_partition"};
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

bool passes(const std::vector<Diagnostic>& diagnostics) {
    const DiagnosticCounts n = countSeverities(diagnostics);
    return n.errors == 0 && n.warnings == 0;
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

/// Keeps the best passing candidate.
class Search {
public:
    explicit Search(Layout base) : base_(std::move(base)) {}

    void consider(std::vector<Partition> slots) {
        Layout l = base_;
        for (Partition& p : slots)
            l.partitions.push_back(std::move(p));
        FixReport fixed = applyFixes(l);
        if (!passes(fixed.remaining))
            return;
        const std::uint64_t space = applicationSpace(fixed.layout);
        if (space > bestSpace_) {
            bestSpace_ = space;
            best_ = std::move(fixed.layout);
        }
    }
    const std::optional<Layout>& best() const { return best_; }

private:
    Layout base_;
    std::optional<Layout> best_;
    std::uint64_t bestSpace_ = 0;
};

} // namespace

std::uint64_t applicationSpace(const Layout& layout) {
    const auto it = std::find_if(layout.partitions.begin(), layout.partitions.end(), [](const Partition& p) {
        return p.role == PartitionRole::Slot0 && p.imageIndex == 0 && p.parent.empty();
    });
    if (it == layout.partitions.end())
        return 0;
    if (layout.bootloader.kind == "mcuboot") {
        const auto space = mcubootImageSpace(layout, 0);
        return space && space->space.fits ? space->space.space : 0;
    }
    if (layout.bootloader.kind == "wolfboot") {
        const std::uint64_t header =
            numericSetting(layout.bootloader, "IMAGE_HEADER_SIZE").value_or(kWolfBootHeaderSize);
        return it->size > header ? it->size - header : 0;
    }
    return it->size;
}

namespace {

/// Candidates with both slots (and the scratch or swap area) in [start, end) of the code flash, in that
/// order: slot0, slot1, extra.
void searchInternal(Search& search, const FlashDevice& code, std::uint64_t start, std::uint64_t end,
                    const ModeShape& shape, const Labels& labels) {
    const SectorMap& map = code.sectors;
    const auto b = boundaries(map, start, end);
    const std::size_t n = b.size() - 1;
    const std::uint64_t extraMax = (shape.scratch || shape.swap) ? 4 : 0;
    const auto build = [&](std::uint64_t s0, std::uint64_t e0, std::uint64_t e1, std::uint64_t e2) {
        std::vector<Partition> slots{part(labels.slot0, code.id, s0, e0 - s0, PartitionRole::Slot0),
                                     part(labels.slot1, code.id, e0, e1 - e0, PartitionRole::Slot1)};
        if (e2 > e1)
            slots.push_back(part(labels.extra, code.id, e1, e2 - e1,
                                 shape.scratch ? PartitionRole::Scratch : PartitionRole::Swap));
        search.consider(std::move(slots));
    };
    if (n <= kMaxEnumeratedSectors) {
        // Every slot0 start and end on a boundary; slot1 and the extra area follow it.
        for (std::size_t i = 0; i < n; ++i)
            for (std::size_t j = i + 1; j < n; ++j)
                for (std::size_t k = j + 1; k <= n; ++k)
                    for (std::size_t m = k + (extraMax ? 1 : 0); m <= std::min<std::size_t>(n, k + extraMax);
                         ++m)
                        build(b[i], b[j], b[k], b[m]);
        return;
    }
    // Many sectors: sizes by arithmetic in units of the region's largest sector, near the optimum.
    const std::uint64_t unit = map.largestSectorIn(start, end - start);
    const std::uint64_t s0 = (start + unit - 1) / unit * unit;
    const std::uint64_t units = s0 < end ? (end - s0) / unit : 0;
    const std::uint64_t plus = shape.relation == SlotRelation::Equal ? 0 : 1;
    for (std::uint64_t extra = extraMax ? 1 : 0; extra <= extraMax; ++extra) {
        if (units < extra + 2 + plus)
            continue;
        const std::uint64_t k = (units - extra - plus) / 2;
        for (std::uint64_t kk = k; kk > 0 && kk + 3 > k; --kk) {
            const std::uint64_t a = kk + (shape.relation == SlotRelation::PrimaryOneMore ? 1 : 0);
            const std::uint64_t c = kk + (shape.relation == SlotRelation::SecondaryOneMore ? 1 : 0);
            build(s0, s0 + a * unit, s0 + (a + c) * unit, s0 + (a + c + extra) * unit);
        }
    }
}

/// Candidates with the primary (and the scratch or swap area after it) in [start, end) of the code
/// flash and the secondary at the start of the external flash.
void searchExternal(Search& search, const FlashDevice& code, const FlashDevice& ext, std::uint64_t start,
                    std::uint64_t end, const ModeShape& shape, const Labels& labels) {
    const SectorMap& map = code.sectors;
    const auto b = boundaries(map, start, end);
    const std::size_t n = b.size() - 1;
    const std::size_t extraMax = (shape.scratch || shape.swap) ? 2 : 0;
    for (std::size_t i = 0; i < (n <= kMaxEnumeratedSectors ? n : 1); ++i)
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
            std::vector<Partition> slots{part(labels.slot0, code.id, s0, primary, PartitionRole::Slot0),
                                         part(labels.slot1, ext.id, 0, secondary, PartitionRole::Slot1)};
            if (m > 0)
                slots.push_back(part(labels.extra, code.id, e0, end - e0,
                                     shape.scratch ? PartitionRole::Scratch : PartitionRole::Swap));
            search.consider(std::move(slots));
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
    const Labels labels = labelsFor(base.bootloader);
    const SectorMap& map = code->sectors;

    std::uint64_t start = 0;
    if (base.bootloader.kind != "none") {
        const std::uint64_t want = wishes.bootloaderSize ? wishes.bootloaderSize : kDefaultBootloaderSize;
        start = map.boundaryAtOrAbove(std::min(want, map.totalSize()));
        base.partitions.push_back(part(labels.boot, code->id, 0, start, PartitionRole::Boot, true));
    }
    std::uint64_t end = map.totalSize();
    if (wishes.storageSize > 0) {
        end = storageStart(map, wishes.storageSize);
        if (end <= start)
            return makeError(Errc::OutOfRange, "a " + formatSize(wishes.storageSize) +
                                                   " storage partition leaves no room on " + code->id);
        base.partitions.push_back(
            part(labels.storage, code->id, end, map.totalSize() - end, PartitionRole::Storage));
    }
    if (end <= start)
        return makeError(Errc::OutOfRange,
                         "the bootloader leaves no room for the application on " + code->id);

    Search search(base);
    const ModeShape shape = shapeOf(base.bootloader);
    if (base.bootloader.kind == "none")
        search.consider({part(labels.slot0, code->id, start, end - start, PartitionRole::Slot0)});
    else if (ext)
        searchExternal(search, *code, *ext, start, end, shape, labels);
    else
        searchInternal(search, *code, start, end, shape, labels);

    if (!search.best())
        return makeError(Errc::OutOfRange, "no " + std::string(profile->id) + " layout on " + board.id +
                                               " passes every rule with these wishes");
    Layout result = *search.best();
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
    if (result.bootloader.kind == "wolfboot")
        setProperty(result.bootloader.settings, "WOLFBOOT_SECTOR_SIZE",
                    formatHex(wolfBootSectorSize(result)));
    return result;
}

} // namespace flashplan
