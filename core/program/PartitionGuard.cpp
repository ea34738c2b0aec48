// SPDX-License-Identifier: Apache-2.0
#include "program/PartitionGuard.h"

#include "util/Numbers.h"

namespace flashplan {

Result<PartitionGuard> PartitionGuard::forPartition(const Layout& layout, std::size_t partition,
                                                    ReadOnly readOnly) {
    if (partition >= layout.partitions.size())
        return makeError(Errc::NotFound, "the layout has no partition #" + std::to_string(partition));
    const Partition& p = layout.partitions[partition];
    const FlashDevice* d = layout.deviceOf(p);
    if (!d)
        return makeError(Errc::NotFound,
                         p.label + ": device '" + p.device + "' is not on board " + layout.board.id);
    if (p.size == 0 || !rangeWithin(p.offset, p.size, d->size()))
        return makeError(Errc::OutOfRange, p.label + ": " + formatHex(p.offset) + ".." + formatHex(p.end()) +
                                               " does not lie inside " + d->id + " (" +
                                               formatSize(d->size()) + ")");
    return PartitionGuard(p, *d, readOnly);
}

Result<void> PartitionGuard::inside(const char* what, std::uint64_t offset, std::uint64_t length) const {
    const Partition& p = partition_;
    if (offset < p.offset || !rangeWithin(offset - p.offset, length, p.size)) {
        Error e =
            makeError(Errc::OutOfRange, std::string(what) + " of " + formatHex(length) + " bytes at " +
                                            formatHex(offset) + " on " + device_.id + " reaches outside " +
                                            p.label + " (" + formatHex(p.offset) + ".." + formatHex(p.end()) +
                                            "); refused before any byte moved");
        e.field = p.label;
        return e;
    }
    return {};
}

Result<void> PartitionGuard::writable(const char* what) const {
    if (partition_.readOnly && readOnly_ != ReadOnly::WriteConfirmed) {
        Error e = makeError(Errc::InvalidArgument,
                            std::string(what) + " refused: " + partition_.label + " is read-only");
        e.field = partition_.label;
        return e;
    }
    return {};
}

Result<void> PartitionGuard::checkRead(std::uint64_t offset, std::uint64_t length) const {
    return inside("read", offset, length);
}

Result<void> PartitionGuard::checkErase(std::uint64_t offset, std::uint64_t length) const {
    if (auto r = writable("erase"); !r)
        return r;
    if (auto r = inside("erase", offset, length); !r)
        return r;
    const SectorMap& map = device_.sectors;
    if (!map.isBoundary(offset) || !map.isBoundary(offset + length))
        return makeError(Errc::Misaligned, "erase of " + formatHex(offset) + ".." +
                                               formatHex(offset + length) + " on " + device_.id +
                                               " does not start and end on sector boundaries");
    return {};
}

Result<void> PartitionGuard::checkWrite(std::uint64_t offset, std::uint64_t length) const {
    if (auto r = writable("write"); !r)
        return r;
    if (auto r = inside("write", offset, length); !r)
        return r;
    const std::uint64_t wbs = device_.writeBlockSize;
    if (offset % wbs != 0 || length % wbs != 0)
        return makeError(Errc::Misaligned, "write of " + formatHex(length) + " bytes at " +
                                               formatHex(offset) + " is not in whole " + std::to_string(wbs) +
                                               "-byte write blocks of " + device_.id);
    return {};
}

} // namespace flashplan
