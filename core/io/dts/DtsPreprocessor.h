// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "io/Format.h"
#include "io/dts/DtsSource.h"

#include <string>
#include <string_view>

namespace flashplan::dts {

/// Runs the C preprocessor (cpp::preprocess) as Zephyr runs it on board files (`cpp -x assembler-with-cpp
/// -P -undef -D__DTS__`, before dtc), so that a raw board .dts imports as the build would see it.
/// #include "x" looks in the including file's folder first, then options.includeDirs; #include <x> in
/// options.includeDirs; files are read through readImportFile(). Line markers (# 12 "file.dts") of an
/// already preprocessed file are read, so that its errors name the original.
/// Built in, as Zephyr's build defines them: __DTS__, DT_SIZE_K(x) and DT_SIZE_M(x) (dts/common/mem.h);
/// an #include <mem.h> that no include folder holds is satisfied by them.
/// A line whose '#' starts no directive (#address-cells = <1>;) is devicetree text and passes through.
/// options.overlays are read after `text`, in order, in the same run, as Zephyr's build reads a board and
/// its overlays (`-include` each): an overlay sees the board's macros, and its lines are named as its own.
///
/// Errors (Errc::NotFound for a missing include, Errc::Parse for the rest) name the file and line:
/// a missing include names the including file:line and every folder searched; an overlay that cannot
/// be read is the error of reading it.
Result<PreprocessedSource> preprocess(std::string_view text, const std::string& fileName,
                                      const ImportOptions& options);

} // namespace flashplan::dts
