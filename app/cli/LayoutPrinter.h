// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "model/Layout.h"

#include <iosfwd>
#include <string>

namespace flashplan::cli {

/// A board: its programmer hints and each flash device with its sector runs, offsets and CPU addresses.
void printBoard(std::ostream& out, const Board& board);
/// A layout's partition table: offsets, sizes, CPU addresses, sectors, roles, flags.
void printPartitions(std::ostream& out, const Layout& layout);
/// Name, source, bootloader, board and partitions.
void printLayout(std::ostream& out, const Layout& layout, const std::string& source);

} // namespace flashplan::cli
