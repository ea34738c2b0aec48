// SPDX-License-Identifier: Apache-2.0
#pragma once
// Which devicetree nodes are flash devices, and the FlashDevice each one describes.

#include "io/dts/DtsTree.h"
#include "model/Diagnostic.h"
#include "model/FlashDevice.h"
#include "model/Partition.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace flashplan::dts {

/// What a flash compatible says about the device: how it is attached, how its size is written, and the
/// erase block to assume when the node has no erase-block-size. Rows of a table, not branches.
struct FlashCompatible {
    std::string_view compatible; ///< exact, or a prefix when it ends with '*'
    FlashKind kind;
    bool sizeInBits; ///< the `size` property counts bits (jedec,spi-nor and its kin); reg is a chip select
    std::uint64_t defaultEraseBlock; ///< 0: inferred from the partitions
    std::string_view why;            ///< why that default, for the note
};

/// The row for the first of the node's compatibles that Flashplan knows, or nullptr.
const FlashCompatible* flashCompatibleOf(const Node& node);

/// A flash node as the devicetree describes it.
struct DtsFlash {
    const Node* node = nullptr;
    const FlashCompatible* known = nullptr;  ///< nullptr for an unknown compatible or a fragment
    std::string compatible;                  ///< its first compatible, for messages
    std::optional<FlashKind> kind;           ///< unknown for a fragment (a node of a file not read)
    std::optional<std::uint64_t> size;       ///< bytes
    std::optional<std::uint64_t> cpuAddress; ///< of offset 0, for memory-mapped (internal) flash
    std::optional<std::uint64_t> regAddress; ///< reg's address as written (in the parent's space)
    std::optional<std::uint64_t> eraseBlock; ///< erase-block-size
    std::optional<std::uint64_t> writeBlock; ///< write-block-size
    bool sizeWasBits = false;                ///< size came from a `size` property in bits
    std::uint64_t sizeProperty = 0;          ///< that property's value
};

/// Reads a flash node: kind from its compatible; size from `size` (bits) for serial NOR, else from reg;
/// the CPU address of internal flash from reg, through the `ranges` of the buses above it (as Zephyr's
/// edtlib: a bus without `ranges` ends the translation).
DtsFlash describeFlash(const Node& node);

/// Builds the FlashDevice of an inline board for `flash`, whose partitions are `partitions` (indexes
/// `indexes` in the layout, for the notes). Where the devicetree leaves something out it assumes, and
/// says so in `notes`: a missing erase-block-size is the compatible's default (4 KiB for SPI NOR) or,
/// for internal flash, the largest power of two up to 64 KiB that divides every partition edge; a
/// missing size reaches to the last partition. Partitions beyond the device are kept and reported.
FlashDevice buildDevice(const DtsFlash& flash, const std::string& id,
                        const std::vector<Partition>& partitions, const std::vector<std::size_t>& indexes,
                        const std::string& fileName, std::vector<Diagnostic>& notes);

/// A devicetree node or label name made a C identifier ("flash@8000000" -> "flash_8000000").
std::string sanitizeName(std::string_view name);

} // namespace flashplan::dts
