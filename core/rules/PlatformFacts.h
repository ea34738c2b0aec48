// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "model/Layout.h"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

// What a platform allows that a rule must know to judge a finding by its consequence there: which
// partitions share bytes by design, which are never erased on their own, which area the platform keeps
// for itself. Pure functions of the layout, for the rule packs.
namespace flashplan {

/// A Partition Manager container: a partition with `span` (kept by the importer as property pm.span).
/// Containers are groups: PM gives them the range of what they span and never writes one on its own.
bool isPmContainer(const Partition& p);

/// True when the container `c` spans `p`: `p` is in c's span (or c's span reaches it through containers
/// it spans), or `p` says it lies `inside` c (or inside a container c spans).
bool pmSpans(const Layout& layout, const Partition& c, const Partition& p);

/// The Partition Manager's free-space partition of a region: the one named after its region (external_flash
/// in region external_flash), which PM fills with what the region's other partitions leave. Nothing is
/// built into it, so a pm_static.yml that lets it cover another partition builds and boots.
bool isPmFreeSpace(const Layout& layout, const Partition& p);

/// The name of the Partition Manager's dynamic partition: PM places it in the one gap the static
/// partitions leave and ignores the address and size a pm_static.yml writes for it.
inline constexpr const char* kPmDynamicPartition = "app";

/// Why two overlapping partitions of a Partition Manager layout share bytes by design (a container with
/// what it spans, two containers), or empty when they do not.
std::string pmSharedByDesign(const Layout& layout, std::size_t a, std::size_t b);

/// False for a partition that nothing erases on its own, so that it may share a sector with its
/// neighbours: a read-only partition, or a linker memory region (compatible "zephyr,memory-region":
/// its bytes are part of the linked image), unless it is an image slot, scratch, swap or storage area,
/// which bootloaders and file systems erase sector by sector.
bool erasedOnItsOwn(const Partition& p);

} // namespace flashplan
