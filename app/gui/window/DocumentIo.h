// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "db/DeviceDatabase.h"
#include "io/Format.h"
#include "model/Layout.h"
#include "util/Result.h"

#include <filesystem>
#include <vector>

namespace flashplan::gui {

/// A layout read from a file, in whatever format it was.
struct OpenedLayout {
    Layout layout;
    std::vector<Diagnostic> notes; ///< what the importer had to assume
    const Format* format = nullptr;
};

/// Reads a layout file in any importable format: `forced` when given, else the one detectFormat()
/// recognises from the content and name. Errors name the file, the line and the reason.
Result<OpenedLayout> openLayoutFile(const std::filesystem::path& path, const DeviceDatabase& db,
                                    const Format* forced = nullptr);

/// Writes a layout with a format's exporter, every file it returns atomically; returns the files.
Result<std::vector<std::filesystem::path>> exportLayoutFiles(const Layout& layout, const Format& format,
                                                             const std::filesystem::path& path);

} // namespace flashplan::gui
