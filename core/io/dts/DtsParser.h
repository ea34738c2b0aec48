// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "io/dts/DtsSource.h"
#include "io/dts/DtsTree.h"
#include "model/Diagnostic.h"
#include "util/Result.h"

#include <vector>

namespace flashplan::dts {

/// What a reference to a label that no given file defines means.
enum class UnknownLabels {
    AreErrors,     ///< as dtc: the file is a whole devicetree, or meant to be read with its board
    MakeFragments, ///< --board: an overlay or .dtsi read on its own; &label { } makes a fragment node
};

/// Parses devicetree source (DTS v1, after preprocess()) into `tree` the way dtc builds it: root and
/// &label / &{/path} blocks merge into the nodes they name, in order; labels (several per node) are
/// unique; /delete-node/ (by name or &label) and /delete-property/ apply where they stand;
/// /omit-if-no-ref/ nodes that nothing refers to are dropped at the end; properties may follow subnodes
/// (Zephyr accepts that, dtc 1.6 does not); /memreserve/ and /plugin/ are read and ignored. Cells are
/// numbers, 'c' characters, (expressions) and &references; a number that does not fit its cell is an
/// error. Every phandle and path reference must name a node by the end.
///
/// Errors (Errc::Parse, Errc::NotFound for an unknown label) name the file and line through `source`;
/// after an error `tree` is incomplete and must not be used. In fragment mode, what could not be
/// applied (deleting a node of the board) is reported in `notes`.
Result<void> parseDts(const PreprocessedSource& source, DtsTree& tree, UnknownLabels unknown,
                      std::vector<Diagnostic>& notes);

} // namespace flashplan::dts
