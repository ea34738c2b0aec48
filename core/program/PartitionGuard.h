// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "model/Layout.h"
#include "util/Result.h"

#include <cstddef>
#include <cstdint>

namespace flashplan {

/// The checks every programmer operation passes before it reaches a backend: it acts on one partition,
/// and nothing outside that partition is read, erased or written. The same overflow-safe bounds and
/// alignment rules as the flash_area API (a range inside the area; erase on sector boundaries; writes in
/// whole write blocks), plus what a programmer adds: a read-only partition is never erased or written,
/// unless the user confirmed it for this partition by name (writing a bootloader into its partition).
/// Offsets are device offsets, as backends take them.
class PartitionGuard {
public:
    /// Whether a read-only partition may be written: only when the user said so, for this job.
    enum class ReadOnly { Refuse, WriteConfirmed };

    /// Errors: no such partition, a partition on a device the board lacks, or one outside its device.
    static Result<PartitionGuard> forPartition(const Layout& layout, std::size_t partition,
                                               ReadOnly readOnly = ReadOnly::Refuse);

    const Partition& partition() const { return partition_; }
    const FlashDevice& device() const { return device_; }

    Result<void> checkRead(std::uint64_t offset, std::uint64_t length) const;
    Result<void> checkErase(std::uint64_t offset, std::uint64_t length) const;
    Result<void> checkWrite(std::uint64_t offset, std::uint64_t length) const;

private:
    PartitionGuard(Partition p, FlashDevice d, ReadOnly readOnly)
        : partition_(std::move(p)), device_(std::move(d)), readOnly_(readOnly) {}
    Result<void> inside(const char* what, std::uint64_t offset, std::uint64_t length) const;
    Result<void> writable(const char* what) const;

    Partition partition_;
    FlashDevice device_;
    ReadOnly readOnly_ = ReadOnly::Refuse;
};

} // namespace flashplan
