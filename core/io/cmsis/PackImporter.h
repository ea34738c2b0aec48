// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "io/cmsis/PdscReader.h"
#include "model/Board.h"
#include "model/Diagnostic.h"

#include <functional>
#include <span>
#include <string>
#include <vector>

namespace flashplan::cmsis {

/// The boards a pack describes and what the import had to decide or skip, each note naming the
/// description file, the line and the device.
struct PackImport {
    std::vector<Board> boards;
    std::vector<Diagnostic> notes;
};

/// Reads a file of the pack by the path the description gives ("CMSIS/Flash/X.FLM"); errors name it.
using PackFileReader = std::function<Result<std::string>(const std::string& path)>;

/// Turns a pack's devices into boards, one per part, each flash device built from the algorithms
/// (.FLM, read through `read`) that program the part's flash memory:
/// - an algorithm outside every flash region of the memory map, or whose name or region names option
///   bytes, OTP, UICR, FICR or configuration words, is not flash for partitions (note cmsis.not-flash);
/// - of several algorithms for one region the default ones are used; of two defaults for the same
///   range (one flash in two bank modes) the first listed (note cmsis.alternative);
/// - sector addresses stored as CPU addresses are rebased (note cmsis.absolute-sectors);
/// - an algorithm covering more than the part has is cut to the algorithm's range and the region
///   (note cmsis.clipped), at a sector boundary or not at all (an error);
/// - a region whose sectors equal a startup/default region's, and that is neither itself or names
///   it as @alias, is the same flash at a second address: one device, the alias in the provenance
///   (note cmsis.alias);
/// - flash regions or banks that follow each other without a gap become one device, as Zephyr's flash
///   controller drivers present one device over both banks (note cmsis.banks); apart, two devices;
/// - where `known` (the device database) has a board whose SoC is the part, with flash at the same
///   address and of the same size, its sector map and write block (datasheet figures) are used, and a
///   different erase unit in the pack is reported (note cmsis.coarser-erase); otherwise the write block
///   is unknown (FlashDevice::writeBlockKnown false).
/// Errors name the description file and line, or the algorithm file and field.
Result<PackImport> importPack(const PdscPack& pack, const PackFileReader& read, std::span<const Board> known);

} // namespace flashplan::cmsis
