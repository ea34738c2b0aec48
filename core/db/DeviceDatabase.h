// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "model/Board.h"
#include "model/BoardCatalog.h"
#include "util/Result.h"

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace flashplan {

/// The boards Flashplan knows: the XML files of resources/devices (compiled in) plus any folder the
/// user adds. Board ids are unique across all files; boards() is sorted by id.
class DeviceDatabase : public BoardCatalog {
public:
    /// The database compiled into the binary.
    static Result<DeviceDatabase> builtin();

    /// Adds the boards of one XML file's text; on error nothing is added. `fileName` is used in errors.
    Result<void> addXml(std::string_view text, const std::string& fileName);
    /// Adds every *.xml file of a folder, in name order; stops at the first file that fails.
    Result<void> addDirectory(const std::filesystem::path& dir);
    /// Adds every *.xml file of a folder, in name order, file by file: one that fails is skipped and its
    /// error returned with the others', so one bad file hides no other.
    std::vector<Error> addEachFile(const std::filesystem::path& dir);

    const Board* find(std::string_view id) const override;
    /// Whether the board comes from the compiled-in files, so that a layout may name it by reference and
    /// reopen anywhere; a board of a user's folder is written inline instead.
    bool isBuiltin(std::string_view id) const;
    const std::vector<Board>& boards() const { return boards_; }

    /// Reads one board file and adds its boards; on error nothing is added.
    Result<void> addFile(const std::filesystem::path& file);
    /// The board files (*.xml) of a folder, sorted by name; errors name the folder.
    static Result<std::vector<std::filesystem::path>> boardFiles(const std::filesystem::path& dir);

private:
    std::vector<Board> boards_;
    std::vector<std::string> files_; // parallel to boards_: the file each board came from
    std::vector<std::string> builtinIds_;
};

} // namespace flashplan
