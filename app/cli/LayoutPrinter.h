// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "model/Diagnostic.h"
#include "model/Layout.h"

#include <iosfwd>
#include <string>
#include <vector>

namespace flashplan::cli {

/// A board: its programmer hints and each flash device with its sector runs, offsets and CPU addresses.
void printBoard(std::ostream& out, const Board& board);
/// A layout's partition table: offsets, sizes, CPU addresses, sectors, roles, flags.
void printPartitions(std::ostream& out, const Layout& layout);
/// Name, source, bootloader with the settings it is built with (buildSettings()), board and partitions.
void printLayout(std::ostream& out, const Layout& layout, const std::string& source);
/// One line per finding, "<source>: <severity>: [<rule>] <message>", its fix (when it has one) on the
/// next; infos only when `infos`. Then the counts: "<source>: 1 error, 0 warnings" (", 2 infos" when
/// infos are shown).
void printFindings(std::ostream& out, const std::string& source, const std::vector<Diagnostic>& findings,
                   bool infos);

} // namespace flashplan::cli
