// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "image/Image.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace flashplan {

/// Reads a raw binary (.bin): the file's bytes, as one segment. A raw file carries no address, so the
/// caller gives one: with `base`, the image is absolute at that CPU address; without, it is relative
/// (Image::absolute false, addresses from 0) and goes wherever it is placed, a slot's start.
/// Errors name the file: an empty file (Errc::Schema: nothing to program), a base where the bytes would
/// run past the end of the address space (Errc::OutOfRange).
Result<Image> loadRawBinary(std::string_view content, const std::string& fileName,
                            std::optional<std::uint64_t> base = std::nullopt);

} // namespace flashplan
