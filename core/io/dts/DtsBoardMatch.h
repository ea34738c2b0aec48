// SPDX-License-Identifier: Apache-2.0
#pragma once
// --board: which flash device of a database board each flash node of the devicetree is.

#include "io/dts/DtsFlashDevices.h"
#include "io/dts/DtsSource.h"
#include "model/Board.h"
#include "util/Result.h"

#include <string>
#include <vector>

namespace flashplan::dts {

/// For each of `flashes` (the flash nodes that hold partitions), the id of the device of `board` it is,
/// in the same order. A node matches the device whose id is one of its labels (&flash0 and flash0,
/// &mx25r64 and mx25r64); failing that, the one free device of the same kind (internal, or the same
/// external bus) and size; failing that, the one free device that is internal or external as the node is.
/// Each device is matched once. A size that differs from the board's is reported in `notes`.
/// Errors (Errc::NotFound): a node no device fits, naming the node, its file:line and the board's devices.
Result<std::vector<std::string>> matchBoardDevices(const std::vector<DtsFlash>& flashes, const Board& board,
                                                   const PreprocessedSource& source,
                                                   const std::string& fileName,
                                                   std::vector<Diagnostic>& notes);

} // namespace flashplan::dts
