// SPDX-License-Identifier: Apache-2.0
#include "io/wolfboot/WolfBootPlacement.h"

#include "io/wolfboot/WolfBootTargets.h"
#include "util/Alignment.h"
#include "util/Numbers.h"

#include <algorithm>

namespace flashplan::wolfboot {

std::string_view labelOf(AreaKind kind) {
    const ProfileLabels& labels = firstProfileOf(BootloaderKind::Wolfboot).labels;
    switch (kind) {
    case AreaKind::Bootloader:
        return labels.boot;
    case AreaKind::Boot:
        return labels.primary;
    case AreaKind::Update:
        return labels.secondary;
    case AreaKind::Swap:
        return labels.extra;
    }
    return labels.primary;
}

PartitionRole roleOf(AreaKind kind) {
    switch (kind) {
    case AreaKind::Bootloader:
        return PartitionRole::Boot;
    case AreaKind::Boot:
        return PartitionRole::Slot0;
    case AreaKind::Update:
        return PartitionRole::Slot1;
    case AreaKind::Swap:
        return PartitionRole::Swap;
    }
    return PartitionRole::Custom;
}

namespace {

constexpr std::uint64_t kInferredBaseAlignment = 16 * 1024 * 1024;
constexpr const char* kInternalId = "flash0";
constexpr const char* kExternalId = "ext_flash";

Error areaError(const AreaSpec& a, const std::string& fileName, Errc code, std::string message) {
    Error e = makeError(code, std::move(message));
    e.where.file = fileName;
    e.where.line = a.line;
    e.field = a.field;
    return e;
}

/// "0x08020000 (128 KiB)": an area as wolfBoot writes it, for messages.
std::string describe(const AreaSpec& a) {
    return std::string(labelOf(a.kind)) + " at " + (a.external ? "external offset " : "") +
           formatAddress(a.address) + " (" + formatSize(a.size) + ")";
}

Partition makePartition(const AreaSpec& a, std::string device, std::uint64_t offset) {
    Partition p;
    p.label = std::string(labelOf(a.kind));
    p.device = std::move(device);
    p.offset = offset;
    p.size = a.size;
    p.role = roleOf(a.kind);
    p.readOnly = a.kind == AreaKind::Bootloader;
    return p;
}

/// The device an internal area's offset is relative to: the first on-chip flash, else the first mapped one.
const FlashDevice* internalFlash(const Board& board) {
    for (const FlashDevice& d : board.devices)
        if (d.kind == FlashKind::Internal)
            return &d;
    for (const FlashDevice& d : board.devices)
        if (d.cpuBase)
            return &d;
    return nullptr;
}

/// What wolfBoot's ext_flash_* driver reaches: a flash that is not memory-mapped.
const FlashDevice* externalFlash(const Board& board) {
    for (const FlashDevice& d : board.devices)
        if (!d.cpuBase)
            return &d;
    return nullptr;
}

std::string windows(const Board& board) {
    std::string out;
    for (const FlashDevice& d : board.devices)
        if (d.cpuBase)
            out += (out.empty() ? "" : ", ") + d.id + " at " + formatAddress(*d.cpuBase) + ".." +
                   formatAddress(*d.cpuBase + d.size());
    return out.empty() ? "none" : out;
}

/// Puts every area on a device of `board`, or says which area does not fit.
Result<std::vector<Partition>> placeOnBoard(const std::vector<AreaSpec>& areas, const Board& board,
                                            const std::string& fileName) {
    std::vector<Partition> out;
    for (const AreaSpec& a : areas) {
        const FlashDevice* device = nullptr;
        std::uint64_t offset = a.address;
        if (a.deviceRelative) {
            device = internalFlash(board);
            if (!device)
                return areaError(a, fileName, Errc::Schema, "board " + board.id + " has no internal flash");
        } else if (a.external) {
            device = externalFlash(board);
            if (!device)
                return areaError(a, fileName, Errc::Schema,
                                 describe(a) + " is on external flash, and board " + board.id +
                                     " has no flash outside the memory map");
        } else {
            for (const FlashDevice& d : board.devices)
                if (d.cpuBase && a.address >= *d.cpuBase &&
                    rangeWithin(a.address - *d.cpuBase, a.size, d.size())) {
                    device = &d;
                    offset = a.address - *d.cpuBase;
                    break;
                }
            if (!device)
                return areaError(a, fileName, Errc::OutOfRange,
                                 describe(a) + " is not inside a memory-mapped flash of board " + board.id +
                                     " (" + windows(board) + ")");
        }
        if (!rangeWithin(offset, a.size, device->size()))
            return areaError(a, fileName, Errc::OutOfRange,
                             describe(a) + " does not fit " + device->id + " of board " + board.id + " (" +
                                 formatSize(device->size()) + ")");
        out.push_back(makePartition(a, device->id, offset));
    }
    return out;
}

/// A board of guessed devices: "flash0" for memory-mapped areas, "ext_flash" for external ones.
void inferBoard(const PartitionSpec& spec, const std::vector<AreaSpec>& areas, const std::string& fileName,
                ImportResult& out) {
    std::optional<std::uint64_t> lowest;
    for (const AreaSpec& a : areas)
        if (!a.external && !a.deviceRelative)
            lowest = std::min(lowest.value_or(a.address), a.address);
    // On-chip flash starts at a round address (0x0, 0x08000000, 0x10000000, 0x60000000...): take the
    // 16 MiB block that holds the lowest partition, so the device does not start at the first partition.
    const std::uint64_t base = lowest ? alignDown(*lowest, kInferredBaseAlignment) : 0;

    std::vector<Partition> internal, external;
    for (const AreaSpec& a : areas) {
        if (a.external) {
            out.layout.partitions.push_back(makePartition(a, kExternalId, a.address));
            external.push_back(out.layout.partitions.back());
        } else {
            out.layout.partitions.push_back(
                makePartition(a, kInternalId, a.deviceRelative ? a.address : a.address - base));
            internal.push_back(out.layout.partitions.back());
        }
    }
    Board& board = out.layout.board;
    board.id = "wolfboot";
    board.name = spec.target.empty() ? "wolfBoot target" : "wolfBoot " + spec.target;
    if (!internal.empty())
        board.devices.push_back(inferDevice(kInternalId, FlashKind::Internal, base, internal));
    if (!external.empty())
        board.devices.push_back(inferDevice(kExternalId, spec.externalKind, std::nullopt, external));
    for (const FlashDevice& d : board.devices)
        out.notes.push_back(inferredGeometryNote(d, fileName));
    if (board.devices.empty()) {
        // A layout always has a device, so that it can be saved and shown: with no partitions, a placeholder.
        board.devices.push_back(inferDevice(kInternalId, FlashKind::Internal, 0, {}));
        out.notes.push_back({Severity::Info,
                             "import.inferred-geometry",
                             fileName + ": places no partitions and names no board, so " + kInternalId +
                                 " (" + formatSize(board.devices.back().size()) +
                                 ") is a placeholder; pass --board <id> for the real flash",
                             {},
                             std::nullopt});
    }
}

/// Two areas on the same device that share bytes: an error on memory-mapped flash (wolfBoot's target.h
/// stops the build with "#error ... partitions overlap"), a warning on external flash (it does not check).
Result<void> checkOverlaps(const std::vector<AreaSpec>& areas, const std::vector<Partition>& parts,
                           const std::string& fileName, std::vector<Diagnostic>& notes) {
    for (std::size_t j = 1; j < parts.size(); ++j)
        for (std::size_t i = 0; i < j; ++i) {
            const Partition& a = parts[i];
            const Partition& b = parts[j];
            if (a.device != b.device || a.offset >= b.end() || b.offset >= a.end())
                continue;
            const std::string what =
                describe(areas[j]) + " overlaps " + describe(areas[i]) + " on " + b.device;
            if (!areas[i].external && !areas[j].external)
                return areaError(areas[j], fileName, Errc::Schema, what);
            notes.push_back(
                {Severity::Warning,
                 "import.wolfboot-overlap",
                 fileName + ": " + what +
                     " (wolfBoot does not check partitions on external flash; imported as written)",
                 {i, j},
                 std::nullopt});
        }
    return {};
}

} // namespace

Result<ImportResult> placePartitions(const PartitionSpec& spec, const ImportOptions& options,
                                     const std::string& fileName) {
    std::vector<AreaSpec> areas = spec.areas;
    std::stable_sort(areas.begin(), areas.end(),
                     [](const AreaSpec& a, const AreaSpec& b) { return a.kind < b.kind; });
    for (const AreaSpec& a : areas) {
        if (a.size == 0)
            return areaError(a, fileName, Errc::Schema, std::string(labelOf(a.kind)) + " has size 0");
        if (addOverflows(a.address, a.size))
            return areaError(a, fileName, Errc::OutOfRange,
                             describe(a) + " runs past the end of the address space");
    }

    ImportResult out;
    auto requested = requestedBoard(options);
    if (!requested)
        return requested.error();
    const Board* board = *requested;
    std::optional<std::vector<Partition>> placed;
    if (board) {
        auto r = placeOnBoard(areas, *board, fileName);
        if (!r)
            return r.error();
        placed = std::move(*r);
    } else if (const WolfBootTarget* t = findWolfBootTarget(spec.target); t && options.db) {
        board = options.db->find(t->board);
        if (board) {
            auto r = placeOnBoard(areas, *board, fileName);
            if (r) {
                placed = std::move(*r);
                out.notes.push_back({Severity::Info,
                                     "import.wolfboot-target",
                                     fileName + ": TARGET=" + spec.target + " is board " + board->id +
                                         " (pass --board to choose another)",
                                     {},
                                     std::nullopt});
            } else {
                out.notes.push_back({Severity::Warning,
                                     "import.wolfboot-target",
                                     fileName + ": TARGET=" + spec.target + " names board " + board->id +
                                         ", but " + r.error().message + "; the devices are inferred instead",
                                     {},
                                     std::nullopt});
            }
        }
    }
    if (placed) {
        out.layout.board = *board;
        out.layout.boardRef = board->id;
        out.layout.partitions = std::move(*placed);
    } else {
        inferBoard(spec, areas, fileName, out);
    }
    if (auto r = checkOverlaps(areas, out.layout.partitions, fileName, out.notes); !r)
        return r.error();

    out.layout.bootloader.set(BootloaderKind::Wolfboot);
    if (spec.sectorSize)
        out.layout.bootloader.settings.emplace_back("WOLFBOOT_SECTOR_SIZE", formatHex(*spec.sectorSize));
    return out;
}

} // namespace flashplan::wolfboot
