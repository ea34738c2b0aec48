// SPDX-License-Identifier: Apache-2.0
#pragma once
// Finds the partitions of a devicetree: fixed-partitions tables, Zephyr 4.x zephyr,mapped-partition nodes,
// and partitions nested in partitions (fixed-subpartitions, or mapped partitions with ranges).

#include "io/dts/DtsSource.h"
#include "io/dts/DtsTree.h"
#include "model/Diagnostic.h"
#include "model/Partition.h"
#include "util/Result.h"

#include <string>
#include <vector>

namespace flashplan::dts {

/// One partition found, with the nodes it came from. Partition::device is left empty: which device a
/// flash node becomes is the importer's choice.
struct FoundPartition {
    const Node* node = nullptr;
    const Node* flash = nullptr; ///< the flash node (or fragment) the partition lies on
    Partition partition;
};

/// Every partition of the tree, in tree order (a parent before its children), and every flash node
/// that holds one, in the order of its first partition.
struct PartitionScan {
    std::vector<FoundPartition> partitions;
    std::vector<const Node*> flashes;
};

/// Scans `tree`. For each partition: offset and size from reg (cells combined, 64-bit safe; nested and
/// mapped ones translated through `ranges` to device offsets), read-only, label (the first DT label, else
/// the node name made an identifier), role (from the labels, then the `label` property), parent, and in
/// properties what a round trip needs (see DtsKeys.h). Errors name file:line: a reg too short for the
/// table's cells or past 2^64. Unit addresses that differ from reg go to `notes`.
Result<PartitionScan> scanPartitions(const DtsTree& tree, const PreprocessedSource& source,
                                     std::vector<Diagnostic>& notes);

/// True when `node` is a flash device node: a known flash compatible, or the parent of a partition table.
bool isFlashNode(const Node& node);

} // namespace flashplan::dts
