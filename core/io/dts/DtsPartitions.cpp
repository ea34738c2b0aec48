// SPDX-License-Identifier: Apache-2.0
#include "io/dts/DtsPartitions.h"

#include "io/RoleNames.h"
#include "io/dts/DtsFlashDevices.h"
#include "io/dts/DtsKeys.h"
#include "util/Numbers.h"

#include <algorithm>
#include <array>
#include <set>

namespace flashplan::dts {

namespace {

constexpr std::string_view kFixedPartitions = "fixed-partitions";
constexpr std::string_view kFixedSubpartitions = "fixed-subpartitions";
constexpr std::string_view kMappedPartition = "zephyr,mapped-partition";

// Properties that are Partition fields or the table's structure, never kept as dts.prop.*.
constexpr std::array<std::string_view, 9> kStructural{"reg",         "label",  "read-only", "#address-cells",
                                                      "#size-cells", "ranges", "phandle",   "linux,phandle",
                                                      "compatible"};

struct Reg {
    std::uint64_t address = 0;
    std::uint64_t size = 0;
};

std::optional<std::uint64_t> parseHex(std::string_view s) {
    if (s.empty() || s.size() > 16)
        return std::nullopt;
    std::uint64_t v = 0;
    for (const char c : s) {
        const int d = (c >= '0' && c <= '9')   ? c - '0'
                      : (c >= 'a' && c <= 'f') ? c - 'a' + 10
                      : (c >= 'A' && c <= 'F') ? c - 'A' + 10
                                               : -1;
        if (d < 0)
            return std::nullopt;
        v = v * 16 + static_cast<unsigned>(d);
    }
    return v;
}

/// Maps `address` through the `ranges` of `bus` into the address space of bus's parent. An absent or
/// empty `ranges` maps addresses to themselves; nullopt when no range holds the address.
std::optional<std::uint64_t> throughRanges(const Node& bus, std::uint64_t address) {
    const Property* p = bus.property("ranges");
    const auto ranges = p ? p->cells() : std::nullopt;
    if (!ranges || ranges->empty())
        return address;
    const std::size_t childCells = static_cast<std::size_t>(addressCellsOf(bus));
    const std::size_t parentCells = bus.parent ? static_cast<std::size_t>(addressCellsOf(*bus.parent)) : 2;
    const std::size_t sizeCells = static_cast<std::size_t>(sizeCellsOf(bus));
    const std::size_t entry = childCells + parentCells + sizeCells;
    for (std::size_t k = 0; entry > 0 && k + entry <= ranges->size(); k += entry) {
        const auto child = combineCells(*ranges, k, childCells);
        const auto parent = combineCells(*ranges, k + childCells, parentCells);
        const auto length = combineCells(*ranges, k + childCells + parentCells, sizeCells);
        if (child && parent && length && address >= *child && address - *child < *length)
            return *parent + (address - *child);
    }
    return std::nullopt;
}

class Scanner {
public:
    Scanner(const DtsTree& tree, const PreprocessedSource& source, std::vector<Diagnostic>& notes)
        : tree_(tree), source_(source), notes_(notes) {}

    Result<PartitionScan> run() {
        if (auto r = visit(tree_.root()); !r)
            return r.error();
        for (const auto& f : tree_.fragments())
            if (auto r = visit(*f); !r)
                return r.error();
        return std::move(out_);
    }

private:
    Error error(const Node& n, std::string message) const {
        return Error{Errc::Schema, std::move(message), source_.locate(n.offset), {}};
    }
    std::string at(const Node& n) const {
        const SourceLocation w = source_.locate(n.offset);
        return w.file + ":" + std::to_string(w.line);
    }

    Result<void> visit(const Node& n) {
        if (n.isCompatible(kFixedPartitions))
            return table(n);
        if (n.parent && n.isCompatible(kMappedPartition)) { // (a root or fragment is no partition)
            const Node& flash = flashAbove(n);
            auto reg = readReg(n);
            if (!reg)
                return reg.error();
            auto offset = mappedOffset(n, flash, reg->address);
            if (!offset)
                return offset.error();
            underFlash_ = n.parent == &flash ? &n : nullptr;
            return partition(n, flash, "", *offset, reg->address, reg->size);
        }
        for (const auto& c : n.children)
            if (auto r = visit(*c); !r)
                return r;
        return {};
    }

    /// The flash a zephyr,mapped-partition lies on: the nearest flash node above it, else the parent of
    /// its `partitions` container.
    static const Node& flashAbove(const Node& n) {
        for (const Node* p = n.parent; p; p = p->parent)
            if (p->fragment || flashCompatibleOf(*p))
                return *p;
        const Node* container = n.parent;
        return (container->baseName() == "partitions" && container->parent) ? *container->parent : *container;
    }

    /// reg of a partition, read with its container's #address-cells and #size-cells.
    Result<Reg> readReg(const Node& n) const {
        const Property* p = n.property("reg");
        const auto cells = p ? p->cells() : std::nullopt;
        if (!cells)
            return error(n, n.name + ": reg is not a list of numbers");
        const std::size_t ac = static_cast<std::size_t>(addressCellsOf(*n.parent));
        const std::size_t sc = static_cast<std::size_t>(sizeCellsOf(*n.parent));
        if (sc == 0)
            return error(n, n.name + ": its parent " + n.parent->name +
                                " has #size-cells = <0>, so a partition has no size");
        if (cells->size() < ac + sc)
            return error(n, n.name + ": reg has " + std::to_string(cells->size()) +
                                " cells, but #address-cells = <" + std::to_string(ac) +
                                "> and #size-cells = <" + std::to_string(sc) + "> need " +
                                std::to_string(ac + sc));
        const auto address = combineCells(*cells, 0, ac);
        const auto size = combineCells(*cells, ac, sc);
        if (!address || !size)
            return error(n, n.name + ": reg does not fit in 64 bits");
        if (addOverflows(*address, *size))
            return error(n, n.name + ": reg " + formatHex(*address) + " + " + formatHex(*size) +
                                " reaches past the end of a 64-bit address space");
        return Reg{*address, *size};
    }

    /// The device offset of a top-level mapped partition: its reg lives in the flash node's child address
    /// space (through any container's ranges), which the flash's own `ranges` ties to the flash's reg.
    Result<std::uint64_t> mappedOffset(const Node& n, const Node& flash, std::uint64_t address) const {
        for (const Node* p = n.parent; p && p != &flash; p = p->parent) {
            const auto mapped = throughRanges(*p, address);
            if (!mapped)
                return error(n, n.name + ": reg " + formatHex(address) + " lies in no range of " + p->name);
            address = *mapped;
        }
        const Property* ranges = flash.property("ranges");
        if (!ranges || flash.fragment)
            return address; // no translation: reg is the device offset, as with fixed-partitions
        const Property* reg = flash.property("reg");
        const auto regCells = reg ? reg->cells() : std::nullopt;
        std::uint64_t base = 0;
        if (regCells && flash.parent)
            base = combineCells(*regCells, 0, static_cast<std::size_t>(addressCellsOf(*flash.parent)))
                       .value_or(0);
        const auto cpu = throughRanges(flash, address);
        if (!cpu || *cpu < base)
            return error(n, n.name + ": reg " + formatHex(address) + " does not fall inside " + flash.name +
                                " through its ranges");
        return *cpu - base;
    }

    Result<void> table(const Node& t) {
        const Node& flash = t.parent ? *t.parent : t;
        for (const auto& c : t.children) {
            if (!c->property("reg")) {
                // NCS once wrote fixed-subpartitions as a sibling container at its partition's unit address.
                if (c->isCompatible(kFixedSubpartitions))
                    if (auto r = detachedSubpartitions(*c, flash); !r)
                        return r;
                continue;
            }
            auto reg = readReg(*c);
            if (!reg)
                return reg.error();
            if (auto r = partition(*c, flash, "", reg->address, reg->address, reg->size); !r)
                return r;
        }
        return {};
    }

    Result<void> detachedSubpartitions(const Node& container, const Node& flash) {
        const auto base = parseHex(container.unitAddress());
        if (!base)
            return {};
        std::string parent;
        for (const FoundPartition& f : out_.partitions)
            if (f.flash == &flash && f.partition.parent.empty() && f.partition.offset == *base)
                parent = f.partition.label;
        for (const auto& c : container.children) {
            if (!c->property("reg"))
                continue;
            auto reg = readReg(*c);
            if (!reg)
                return reg.error();
            if (addOverflows(*base, reg->address))
                return error(*c, c->name + ": its offset overflows 64 bits");
            if (auto r = partition(*c, flash, parent, *base + reg->address, reg->address, reg->size); !r)
                return r;
        }
        return {};
    }

    /// Records partition `n` at device offset `offset` (its reg said `regAddress`), then its children.
    Result<void> partition(const Node& n, const Node& flash, const std::string& parent, std::uint64_t offset,
                           std::uint64_t regAddress, std::uint64_t size) {
        if (addOverflows(offset, size))
            return error(n,
                         n.name + ": " + formatHex(offset) + " + " + formatHex(size) + " overflows 64 bits");
        FoundPartition f;
        f.node = &n;
        f.flash = &flash;
        Partition& p = f.partition;
        p.offset = offset;
        p.size = size;
        p.parent = parent;
        p.readOnly = n.property("read-only") != nullptr;
        p.label = labelFor(n, regAddress);
        keepFacts(n, regAddress, p);
        if (underFlash_ == &n)
            setProperty(p.properties, key::kUnderFlash, n.name);

        RoleGuess role;
        for (const std::string& l : n.labels) {
            role = roleFromName(l);
            if (role.role != PartitionRole::Custom)
                break;
        }
        if (const std::string* lp = findProperty(p.properties, key::kLabelProperty);
            lp && role.role == PartitionRole::Custom)
            role = roleFromName(*lp);
        p.role = role.role;
        p.imageIndex = role.imageIndex;

        const std::string label = p.label;
        if (std::find(out_.flashes.begin(), out_.flashes.end(), &flash) == out_.flashes.end())
            out_.flashes.push_back(&flash);
        out_.partitions.push_back(std::move(f));
        return children(n, flash, label, offset, regAddress);
    }

    /// The partitions nested in partition `n` (at `offset`, reg `regAddress`): through n's `ranges` when
    /// it has one (fixed-subpartitions, mapped partitions), else relative to n.
    Result<void> children(const Node& n, const Node& flash, const std::string& label, std::uint64_t offset,
                          std::uint64_t regAddress) {
        for (const auto& c : n.children) {
            if (!c->property("reg"))
                continue;
            auto reg = readReg(*c);
            if (!reg)
                return reg.error();
            std::uint64_t absolute = 0;
            if (n.property("ranges")) {
                const auto inParent = throughRanges(n, reg->address);
                if (!inParent || *inParent < regAddress)
                    return error(*c, c->name + ": reg " + formatHex(reg->address) + " lies in no range of " +
                                         n.name);
                absolute = offset + (*inParent - regAddress);
            } else {
                if (addOverflows(offset, reg->address))
                    return error(*c, c->name + ": its offset overflows 64 bits");
                absolute = offset + reg->address;
            }
            if (auto r = partition(*c, flash, label, absolute, reg->address, reg->size); !r)
                return r;
        }
        return {};
    }

    /// The first DT label; without one, the node name made an identifier, its unit address the one reg
    /// gives (partition@220000 with reg 0x204000 is partition_204000), since that is the name an export
    /// writes and so the one a later import sees.
    std::string labelFor(const Node& n, std::uint64_t regAddress) {
        if (!n.labels.empty()) {
            used_.insert(n.labels.front());
            return n.labels.front();
        }
        std::string label = sanitizeName(std::string(n.baseName()) + "@" + formatHex(regAddress).substr(2));
        const std::string base = label;
        for (int k = 2; used_.count(label) || tree_.byLabel(label); ++k)
            label = base + "_" + std::to_string(k);
        used_.insert(label);
        return label;
    }

    void keepFacts(const Node& n, std::uint64_t regAddress, Partition& p) {
        if (const Property* lp = n.property("label"))
            if (const std::string* s = lp->firstString())
                setProperty(p.properties, key::kLabelProperty, *s);
        if (n.labels.size() > 1) {
            std::string more;
            for (std::size_t k = 1; k < n.labels.size(); ++k)
                more += (k > 1 ? " " : "") + n.labels[k];
            setProperty(p.properties, key::kMoreLabels, more);
        }
        if (n.labels.empty())
            setProperty(p.properties, key::kUnlabeled, "true");
        if (n.baseName() != "partition")
            setProperty(p.properties, key::kNodeName, std::string(n.baseName()));
        const auto unit = parseHex(n.unitAddress());
        if (!unit || *unit != regAddress) {
            setProperty(p.properties, key::kUnitAddress, std::string(n.unitAddress()));
            notes_.push_back(
                {Severity::Info,
                 "dts.unit-address",
                 at(n) + ": " + n.name + " (" + p.label + ") has reg address " + formatHex(regAddress) +
                     "; Flashplan, like Zephyr, trusts reg, and writes " + std::string(n.baseName()) + "@" +
                     formatHex(regAddress).substr(2) + " on export",
                 {},
                 std::nullopt});
        }
        for (const Property& prop : n.properties) {
            if (std::find(kStructural.begin(), kStructural.end(), std::string_view(prop.name)) !=
                kStructural.end())
                continue;
            setProperty(p.properties, std::string(key::kPropertyPrefix) + prop.name, printValue(prop.value));
        }
        // compatible is structure when it only says fixed-subpartitions or zephyr,mapped-partition.
        std::vector<ValuePart> rest;
        for (const std::string& c : n.compatibles())
            if (c != kFixedSubpartitions && c != kMappedPartition)
                rest.push_back(ValuePart{ValuePart::Kind::String, 32, {}, c, {}});
        if (!rest.empty())
            setProperty(p.properties, std::string(key::kPropertyPrefix) + "compatible", printValue(rest));
    }

    const DtsTree& tree_;
    const PreprocessedSource& source_;
    std::vector<Diagnostic>& notes_;
    PartitionScan out_;
    std::set<std::string> used_;
    const Node* underFlash_ = nullptr; // the mapped partition being recorded sits directly in its flash node
};

} // namespace

bool isFlashNode(const Node& node) {
    if (node.fragment || flashCompatibleOf(node))
        return true;
    for (const auto& c : node.children)
        if (c->isCompatible(kFixedPartitions))
            return true;
    return false;
}

Result<PartitionScan> scanPartitions(const DtsTree& tree, const PreprocessedSource& source,
                                     std::vector<Diagnostic>& notes) {
    return Scanner(tree, source, notes).run();
}

} // namespace flashplan::dts
