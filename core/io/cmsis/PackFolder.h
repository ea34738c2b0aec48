// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "io/cmsis/PackImporter.h"

#include <filesystem>
#include <span>
#include <string>

namespace flashplan::cmsis {

/// A pack on disk: its description file and the folder the paths inside it are relative to.
struct PackFolder {
    std::filesystem::path pdsc;
    std::filesystem::path root;
};

/// What `devices import` was given: a .pdsc file (its folder is the root), or an unpacked pack's
/// folder (the one .pdsc at its top). Errors: a missing path, a folder with no or several .pdsc files,
/// a .pack or .zip archive (Flashplan reads no zip files yet: unzip it first), any other file.
Result<PackFolder> locatePack(const std::filesystem::path& input);

/// Reads a file by the path its description gives, under `root` only: a path that is absolute or climbs
/// out with ".." is refused. Where the exact name is missing, a name differing only in case is taken,
/// since packs written on Windows do not always match their own files' case.
Result<std::string> readPackFile(const std::filesystem::path& root, const std::string& path);

/// locatePack, readPdsc and importPack together: the boards of a pack on disk.
Result<PackImport> importPackFrom(const std::filesystem::path& input, std::span<const Board> known);

} // namespace flashplan::cmsis
