// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "db/DeviceDatabase.h"

#include <filesystem>
#include <string>
#include <vector>

namespace flashplan {

/// The user's device folder, where `flashplan-cli devices import` writes and from which the GUI and the
/// CLI load boards at start: $XDG_DATA_HOME/flashplan/devices, or ~/.local/share/flashplan/devices when
/// XDG_DATA_HOME is unset, empty or relative (the XDG Base Directory rule). Takes the two variables'
/// values (nullptr when unset), so that it reads no environment itself; empty when neither gives a path.
std::filesystem::path userDeviceFolder(const char* xdgDataHome, const char* home);

/// Adds every board file of the user's device folder to `db`, as --devices adds a folder, but file by
/// file: a file that fails (a syntax error, a board id another file has) is skipped and its error
/// returned, so one bad file does not hide the others or stop the program. A folder that does not exist
/// adds nothing and is no error.
std::vector<Error> addUserDevices(DeviceDatabase& db, const std::filesystem::path& folder);

/// The file a pack's boards go to in the user's folder: "<vendor>.<pack>.xml", one per pack, so that a
/// new import of the same pack replaces the old one.
std::filesystem::path userPackFile(const std::filesystem::path& folder, const std::string& vendor,
                                   const std::string& pack);

/// Writes `boards` as one board file, replacing a file of that name atomically and making its folder
/// when missing. Refused with nothing written (Errc::InvalidArgument naming the board and the file that
/// has it) when a board id is one the compiled-in database or another board file of the folder has
/// already: the folder would no longer load.
Result<void> writeUserBoards(const std::filesystem::path& file, const std::vector<Board>& boards);

} // namespace flashplan
