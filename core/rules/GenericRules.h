// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "model/Diagnostic.h"
#include "model/Layout.h"

#include <vector>

namespace flashplan {

// The generic rule pack: what is wrong with a layout whatever the bootloader. Each check returns every
// finding it makes; checkGeneric() runs them all. Severity follows the consequence on the layout's platform
// (platformOf): an error breaks build, flash or boot there. Rule ids:
//   generic.unknown-device   partition on a device the board does not have            (error)
//   generic.outside-device   partition reaching past the end of its device             (error, fix)
//   generic.overlap          two partitions sharing bytes on one device, neither nested  (error; warning
//                            in the other; on the Partition Manager containers share     for PM's app)
//                            bytes with what they span and with each other by design,
//                            and PM ignores where the file puts `app`
//   generic.sector-alignment offset or end of a top-level partition that is erased on   (error, fix;
//                            its own (not read-only, not a linker memory region; image   warning on an
//                            slots and storage always) not on a sector boundary          inferred sector map
//                                                                                        or, on ESP-IDF, an
//                                                                                        end whose sector
//                                                                                        is its own)
//   generic.write-block      offset or size not a multiple of the write-block size     (error, fix)
//   generic.write-block-unknown a device holding partitions whose write block no source (warning)
//                            says (a CMSIS-Pack import): alignment went unchecked
//   generic.label-invalid    label that is not a C identifier                          (error; warning on
//                                                                                        ESP-IDF, naming the
//                                                                                        exports that fail)
//   generic.label-duplicate  label used by two partitions                              (error)
//   generic.empty            partition of size zero                                    (error; warning on
//                                                                                        the Partition
//                                                                                        Manager)
//   generic.parent           unknown parent, a parent cycle, or a child outside its    (error)
//                            parent
//   generic.read-only-write  read-only partition with an image assigned to be written  (warning)
//   generic.free-space       unallocated space between partitions; on ESP-IDF not the  (info)
//                            bootloader and partition table area

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
