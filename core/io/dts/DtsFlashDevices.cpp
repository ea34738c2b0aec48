// SPDX-License-Identifier: Apache-2.0
#include "io/dts/DtsFlashDevices.h"

#include "io/Format.h"
#include "util/Alignment.h"
#include "util/Numbers.h"

#include <algorithm>
#include <array>

namespace flashplan::dts {

namespace {

constexpr std::string_view kSerialNor =
    "serial NOR flash erases 4 KiB sectors (the smallest erase of JEDEC SFDP parts, the one Zephyr's "
    "spi-nor drivers use)";

// Flash compatibles and what they imply. Zephyr's bindings for serial NOR (jedec,spi-nor and the
// controller-specific ones that include its common binding) give `size` in bits; internal flash nodes list
// soc-nv-flash among their compatibles and give erase-block-size and write-block-size.
constexpr std::array kFlashCompatibles{
    FlashCompatible{"soc-nv-flash", FlashKind::Internal, false, 0, ""},
    FlashCompatible{"jedec,spi-nor", FlashKind::Spi, true, 4096, kSerialNor},
    FlashCompatible{"nordic,qspi-nor", FlashKind::Qspi, true, 4096, kSerialNor},
    FlashCompatible{"st,stm32-qspi-nor", FlashKind::Qspi, true, 4096, kSerialNor},
    FlashCompatible{"st,stm32-ospi-nor", FlashKind::Ospi, true, 4096, kSerialNor},
    FlashCompatible{"st,stm32-xspi-nor", FlashKind::Ospi, true, 4096, kSerialNor},
    FlashCompatible{"nxp,imx-flexspi-nor", FlashKind::Qspi, true, 4096, kSerialNor},
    FlashCompatible{"nxp,imx-flexspi-mx25um51345g", FlashKind::Ospi, true, 4096, kSerialNor},
    FlashCompatible{"nxp,imx-flexspi-hyperflash", FlashKind::Ospi, true, 256 * 1024,
                    "HyperFlash parts (S26KS) erase 256 KiB sectors"},
    FlashCompatible{"nxp,imx-flexspi*", FlashKind::Qspi, true, 4096, kSerialNor},
};

std::optional<std::vector<std::uint64_t>> cellsOf(const Node& node, std::string_view name) {
    const Property* p = node.property(name);
    return p ? p->cells() : std::nullopt;
}

std::optional<std::uint64_t> single(const Node& node, std::string_view name) {
    const auto cells = cellsOf(node, name);
    if (!cells || cells->empty())
        return std::nullopt;
    return combineCells(*cells, 0, cells->size());
}

/// `address`, in the address space of `node`'s parent, as the CPU sees it: through the `ranges` of every
/// bus above, as Zephyr's edtlib translates reg. An empty `ranges` maps addresses to themselves; a bus
/// without `ranges` ends the translation there (a flash under a flash controller at 0x4001e000 keeps
/// reg's 0x0, which Zephyr then uses as the flash base address).
std::uint64_t toCpuAddress(const Node& node, std::uint64_t address) {
    for (const Node* bus = node.parent; bus && bus->parent; bus = bus->parent) {
        const Property* p = bus->property("ranges");
        if (!p)
            return address;
        const auto ranges = p->cells();
        if (!ranges || ranges->empty())
            continue;
        const std::size_t childCells = static_cast<std::size_t>(addressCellsOf(*bus));
        const std::size_t parentCells = static_cast<std::size_t>(addressCellsOf(*bus->parent));
        const std::size_t sizeCells = static_cast<std::size_t>(sizeCellsOf(*bus));
        const std::size_t entry = childCells + parentCells + sizeCells;
        bool mapped = false;
        for (std::size_t k = 0; entry > 0 && k + entry <= ranges->size(); k += entry) {
            const auto child = combineCells(*ranges, k, childCells);
            const auto parent = combineCells(*ranges, k + childCells, parentCells);
            const auto length = combineCells(*ranges, k + childCells + parentCells, sizeCells);
            if (child && parent && length && address >= *child && address - *child < *length) {
                address = *parent + (address - *child);
                mapped = true;
                break;
            }
        }
        if (!mapped)
            return address; // no range holds it: leave it as reg says
    }
    return address;
}

std::string describe(const DtsFlash& f) {
    return f.node->path() + (f.compatible.empty() ? "" : " (" + f.compatible + ")");
}

} // namespace

const FlashCompatible* flashCompatibleOf(const Node& node) {
    for (const std::string& c : node.compatibles()) {
        for (const FlashCompatible& row : kFlashCompatibles)
            if (!row.compatible.ends_with('*') && row.compatible == c)
                return &row;
        for (const FlashCompatible& row : kFlashCompatibles)
            if (row.compatible.ends_with('*') &&
                std::string_view(c).starts_with(row.compatible.substr(0, row.compatible.size() - 1)))
                return &row;
    }
    return nullptr;
}

std::string sanitizeName(std::string_view name) {
    std::string out;
    for (const char c : name)
        out += ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_') ? c
                                                                                                        : '_';
    if (out.empty() || (out[0] >= '0' && out[0] <= '9'))
        out.insert(out.begin(), '_');
    return out;
}

DtsFlash describeFlash(const Node& node) {
    DtsFlash f;
    f.node = &node;
    f.known = flashCompatibleOf(node);
    const auto compatibles = node.compatibles();
    f.compatible = compatibles.empty() ? std::string() : compatibles.front();
    if (node.fragment)
        return f; // a node of a file not read: nothing is known of it

    std::optional<std::uint64_t> regSize;
    if (const auto reg = cellsOf(node, "reg"); reg && node.parent) {
        const std::size_t ac = static_cast<std::size_t>(addressCellsOf(*node.parent));
        const std::size_t sc = static_cast<std::size_t>(sizeCellsOf(*node.parent));
        if (reg->size() >= ac + sc) {
            f.regAddress = combineCells(*reg, 0, ac);
            if (sc > 0)
                regSize = combineCells(*reg, ac, sc);
        }
    }
    const auto sizeProperty = single(node, "size");
    bool bits = f.known ? f.known->sizeInBits : (sizeProperty && !regSize);
    f.kind = f.known ? f.known->kind : (bits ? FlashKind::Spi : FlashKind::Internal);
    if (bits && sizeProperty) {
        f.size = *sizeProperty / 8;
        f.sizeWasBits = true;
        f.sizeProperty = *sizeProperty;
    } else if (regSize && *regSize > 0) {
        f.size = regSize;
    }
    if (f.kind == FlashKind::Internal && f.regAddress)
        f.cpuAddress = toCpuAddress(node, *f.regAddress);
    f.eraseBlock = single(node, "erase-block-size");
    f.writeBlock = single(node, "write-block-size");
    return f;
}

FlashDevice buildDevice(const DtsFlash& flash, const std::string& id,
                        const std::vector<Partition>& partitions, const std::vector<std::size_t>& indexes,
                        const std::string& fileName, std::vector<Diagnostic>& notes) {
    FlashDevice d;
    d.id = id;
    d.kind = flash.kind.value_or(FlashKind::Internal);
    d.cpuBase = flash.cpuAddress;
    const std::string* labelProperty =
        flash.node->property("label") ? flash.node->property("label")->firstString() : nullptr;
    d.name = (labelProperty ? *labelProperty : std::string(flash.node->name)) +
             (flash.compatible.empty() ? "" : " (" + flash.compatible + ")");

    const std::uint64_t wbs = flash.writeBlock.value_or(1);
    d.writeBlockSize = static_cast<std::uint32_t>(std::clamp<std::uint64_t>(wbs, 1, 0x80000000u));

    std::uint64_t end = 0;
    for (const Partition& p : partitions)
        end = std::max(end, p.end());

    std::uint64_t size = flash.size.value_or(0);
    std::uint64_t sector = flash.eraseBlock.value_or(0);
    bool inferred = false;
    if (sector == 0 && flash.known && flash.known->defaultEraseBlock != 0) {
        sector = flash.known->defaultEraseBlock;
        notes.push_back({Severity::Info,
                         "dts.assumed-erase-block",
                         fileName + ": " + describe(flash) + " gives no erase-block-size, so " + id +
                             " has " + formatSize(sector) + " sectors: " + std::string(flash.known->why) +
                             "; pass --board for the real geometry",
                         {},
                         std::nullopt});
    }
    if (sector == 0) {
        // As inferDevice does: the largest power of two up to 64 KiB that divides every partition edge (and
        // the device size), but never below the write block.
        sector = 64 * 1024;
        const std::uint64_t floor = std::max<std::uint64_t>(d.writeBlockSize, 1);
        const auto divides = [&](std::uint64_t s) {
            if (size % s != 0)
                return false;
            for (const Partition& p : partitions)
                if (p.offset % s != 0 || p.size % s != 0)
                    return false;
            return true;
        };
        while (sector > floor && !divides(sector))
            sector /= 2;
        if (sector < floor || sector % floor != 0)
            sector = floor;
        inferred = true;
    }
    if (size == 0) {
        size = std::max<std::uint64_t>(alignUp(end, sector), sector);
        notes.push_back({Severity::Warning, "dts.unknown-size",
                         fileName + ": " + describe(flash) + " gives no size; " + id +
                             " is taken to end with its last partition (" + formatSize(size) +
                             "); pass --board for the real device",
                         indexes, std::nullopt});
    }

    std::vector<SectorRun> runs;
    if (sector >= size) {
        runs.push_back({1, size});
    } else {
        runs.push_back({size / sector, sector});
        if (size % sector != 0) {
            runs.push_back({1, size % sector});
            notes.push_back({Severity::Info,
                             "dts.partial-sector",
                             fileName + ": " + id + " is " + formatSize(size) + ", not a whole number of " +
                                 formatSize(sector) + " sectors; its last sector is taken to be " +
                                 formatSize(size % sector),
                             {},
                             std::nullopt});
        }
    }
    d.sectors = *SectorMap::fromRuns(runs);
    d.geometryInferred = inferred;
    if (inferred)
        notes.push_back(inferredGeometryNote(d, fileName));

    for (std::size_t k = 0; k < partitions.size(); ++k) {
        const Partition& p = partitions[k];
        if (rangeWithin(p.offset, p.size, d.size()))
            continue;
        std::string hint;
        if (flash.sizeWasBits && p.end() <= flash.sizeProperty)
            hint = " (size = <" + std::to_string(flash.sizeProperty) +
                   "> counts bits, as the binding says; was it meant as bytes?)";
        notes.push_back(
            {Severity::Warning,
             "dts.partition-outside-device",
             fileName + ": " + p.label + " (" + formatHex(p.offset) + " + " + formatHex(p.size) +
                 ") reaches past the end of " + id + " (" + formatSize(d.size()) + ")" + hint +
                 "; kept as written",
             {k < indexes.size() ? std::vector<std::size_t>{indexes[k]} : std::vector<std::size_t>{}},
             std::nullopt});
    }
    return d;
}

} // namespace flashplan::dts
