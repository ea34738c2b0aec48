// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "model/Board.h"
#include "model/BootloaderProfile.h"
#include "model/Partition.h"
#include "model/Platform.h"

#include <string>
#include <utility>
#include <vector>

namespace flashplan {

/// A board, its partitions and the bootloader profile: what a .flashplan file holds.
/// Partition order is meaningful: it is the flash_area id order (fa_id = index).
struct Layout {
    std::string name;
    std::string description;
    Board board;
    std::string boardRef; ///< the database id the board came from; empty when the board is defined inline
    BootloaderProfile bootloader;
    Platform platform =
        Platform::Generic; ///< as the importer (or the .flashplan file) set it; see platformOf()
    std::vector<Partition> partitions;
    Properties properties; ///< format-specific facts of the whole layout (e.g.
                           ///< "zephyr.chosen.zephyr,code-partition")

    const FlashDevice* deviceOf(const Partition& p) const { return board.device(p.device); }
    /// Index of the partition with this label, or -1.
    int indexOf(std::string_view label) const {
        for (std::size_t i = 0; i < partitions.size(); ++i)
            if (partitions[i].label == label)
                return static_cast<int>(i);
        return -1;
    }
    /// True when `ancestor` is `p`'s parent, or its parent's parent, and so on (cycles end the walk).
    bool isAncestor(const Partition& ancestor, const Partition& p) const;
    friend bool operator==(const Layout&, const Layout&) = default;
};

} // namespace flashplan
