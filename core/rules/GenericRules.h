// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "model/Diagnostic.h"
#include "model/Layout.h"

#include <vector>

namespace flashplan {

// The generic rule pack: what is wrong with a layout whatever the bootloader. Each check returns every
// finding it makes; checkGeneric() runs them all. Rule ids:
//   generic.unknown-device   partition on a device the board does not have            (error)
//   generic.outside-device   partition reaching past the end of its device             (error, fix)
//   generic.overlap          two partitions sharing bytes on one device, neither nested  (error)
//                            in the other
//   generic.sector-alignment offset or end of a top-level partition not on a sector     (error, fix)
//                            boundary
//   generic.write-block      offset or size not a multiple of the write-block size     (error, fix)
//   generic.label-invalid    label that is not a C identifier                          (error)
//   generic.label-duplicate  label used by two partitions                              (error)
//   generic.empty            partition of size zero                                    (error)
//   generic.parent           unknown parent, a parent cycle, or a child outside its    (error)
//                            parent
//   generic.read-only-write  read-only partition with an image assigned to be written  (warning)
//   generic.free-space       unallocated space between partitions                      (info)

std::vector<Diagnostic> checkDevices(const Layout& layout);
std::vector<Diagnostic> checkBounds(const Layout& layout);
std::vector<Diagnostic> checkOverlaps(const Layout& layout);
std::vector<Diagnostic> checkSectorAlignment(const Layout& layout);
std::vector<Diagnostic> checkWriteBlockAlignment(const Layout& layout);
std::vector<Diagnostic> checkLabels(const Layout& layout);
std::vector<Diagnostic> checkEmpty(const Layout& layout);
std::vector<Diagnostic> checkParents(const Layout& layout);
std::vector<Diagnostic> checkReadOnlyWrites(const Layout& layout);
std::vector<Diagnostic> checkFreeSpace(const Layout& layout);

std::vector<Diagnostic> checkGeneric(const Layout& layout);

} // namespace flashplan
