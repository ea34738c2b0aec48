// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "model/BoardCatalog.h"
#include "model/Layout.h"

#include <filesystem>
#include <string>
#include <string_view>

namespace flashplan {

/// The native .flashplan format: versioned XML (schema in docs/flashplan-format.md). The board is
/// either a reference into the device database (<board ref="..."/>) or defined inline.
namespace LayoutFile {

/// The newest schema this Flashplan reads. Files are written with the oldest schema that holds them: 1,
/// or 2 when the layout has a platform or an inferred device geometry.
constexpr int kSchemaVersion = 2;

/// Reads a layout from text; every error names `fileName`, the line and the field.
Result<Layout> parse(std::string_view text, const std::string& fileName, const BoardCatalog& db);
/// Reads a layout file.
Result<Layout> load(const std::filesystem::path& path, const BoardCatalog& db);

/// The file's text. Numbers are written in hex; the board as a reference when Layout::boardRef is set.
std::string serialize(const Layout& layout);
/// Writes the file atomically (see writeFileAtomically).
Result<void> save(const std::filesystem::path& path, const Layout& layout);

} // namespace LayoutFile

} // namespace flashplan
