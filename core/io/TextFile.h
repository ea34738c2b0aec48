// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "util/Result.h"

#include <filesystem>
#include <string>
#include <string_view>

namespace flashplan {

/// Reads a whole file. Errors name the file.
Result<std::string> readTextFile(const std::filesystem::path& path);

/// Replaces `path` with `content` atomically: the bytes go to a temporary file in the same folder,
/// which is flushed to disk and then renamed over the target, so a crash or a full disk leaves either
/// the old file or the new one, never a mix. The folder is synced so the rename itself survives.
Result<void> writeFileAtomically(const std::filesystem::path& path, std::string_view content);

} // namespace flashplan
