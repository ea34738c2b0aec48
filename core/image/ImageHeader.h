// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "image/Image.h"
#include "image/McubootHeader.h"
#include "image/WolfbootHeader.h"
#include "model/BootloaderProfile.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace flashplan {

/// Which bootloader's header an image starts with (named by to_string(BootloaderKind)).
using HeaderKind = BootloaderKind;

/// The bootloader header found at the start of an image, with the figures every kind has: version, the
/// header's size, the payload's, the TLVs' and the total the image occupies in its slot.
struct ImageHeader {
    HeaderKind kind = HeaderKind::None;
    std::optional<McubootHeader> mcuboot;
    std::optional<WolfbootHeader> wolfboot;

    /// "1.2.3+4" (MCUboot), "7" (wolfBoot), empty without a header (or a wolfBoot header without one).
    std::string version() const;
    std::uint64_t headerSize() const;  ///< MCUboot ih_hdr_size; wolfBoot IMAGE_HEADER_SIZE; 0
    std::uint64_t payloadSize() const; ///< MCUboot ih_img_size; wolfBoot image size; 0
    /// MCUboot's TLV areas after the payload; 0 for wolfBoot, whose TLVs are inside its header.
    std::uint64_t tlvSize() const;
    std::uint64_t totalSize() const; ///< header + payload + TLVs: 0 without a header
    /// The header parser's findings (rule ids "image.*").
    const std::vector<Diagnostic>& findings() const;
    bool hasErrors() const;
};

/// Looks for an MCUboot header, then a wolfBoot header, at the image's lowest address, in the bytes that
/// follow it without a gap (a signed image is one contiguous run). Never fails: an image without either
/// magic has HeaderKind::None; a malformed header is reported in findings().
ImageHeader recognizeHeader(const Image& image);

} // namespace flashplan
