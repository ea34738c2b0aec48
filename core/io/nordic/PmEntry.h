// SPDX-License-Identifier: Apache-2.0
#pragma once
// One partition of a pm_static.yml as the file says it, before it becomes a Partition: the importer
// fills these, then places regions on devices (PmRegions) and nests containers (PmContainers).

#include "model/Partition.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace flashplan::pm {

/// The region the Partition Manager puts a partition in when it names none.
inline constexpr std::string_view kDefaultRegion = "flash_primary";

struct PmEntry {
    std::string name;
    int line = 0;              ///< 1-based line of the partition's name in the file
    std::uint64_t address = 0; ///< as written: a CPU address (flash_primary, RAM) or a device offset
    std::uint64_t size = 0;
    std::string region;              ///< as written, or kDefaultRegion
    std::vector<std::string> span;   ///< the names in `span` (empty when the key is absent)
    bool container = false;          ///< has a `span` key: a container of other partitions
    std::vector<std::string> inside; ///< the names in `inside`: containers that hold this partition
    Properties properties;           ///< "pm.keys", "pm.<key>" for keys without a field, in file order

    std::uint64_t end() const { return address + size; }
};

} // namespace flashplan::pm
