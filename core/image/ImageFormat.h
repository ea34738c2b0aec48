// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "image/Image.h"
#include "io/TextFile.h"
#include "model/Board.h"

#include <cstdint>
#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace flashplan {

/// A file name ending that names an image format, as detectImageFormat() reads it (".hex").
struct ImageExtension {
    std::string_view suffix; ///< lower case, with its dot
    ImageFormat format;
};

/// Every ending detectImageFormat() knows, grouped by format in ImageFormat order: what file dialogs
/// offer.
std::span<const ImageExtension> imageExtensions();

/// A format recognised for a file, and the evidence, for people ("ELF magic", "extension .bin").
struct DetectedImageFormat {
    ImageFormat format = ImageFormat::Binary;
    std::string reason;
};

/// Recognises an image file's format. A name ending in .bin is raw whatever its bytes (a vector table
/// can start with any byte); otherwise the content decides (the ELF magic, a first line that is an Intel
/// HEX ':' record or an 'S0'..'S9' record), then the extension (.hex .ihex .ihx, .srec .s19 .s28 .s37
/// .mot, .elf .axf .out); anything else is read as a raw binary, the one format without a signature.
DetectedImageFormat detectImageFormat(std::string_view content, std::string_view fileName);

/// The most bytes an image can hold for the flash it is meant for, and why: what bounds the file read.
struct ImageSizeLimit {
    std::uint64_t bytes = std::uint64_t{1} << 32;
    std::string reason = "what a 32-bit address reaches";
};

/// The largest flash device of `board`: an image is written to one device, so none for the board is larger.
ImageSizeLimit imageSizeLimit(const Board& board);
/// The largest flash device of any of `boards` (the device database's): for an image meant for no board in
/// particular. With no boards, the default ImageSizeLimit.
ImageSizeLimit imageSizeLimit(std::span<const Board> boards);

/// How large a file in `format` holding an image of at most `limit` bytes can be: the limit itself for a
/// raw binary; four times it for Intel HEX and S-records (two hex digits a byte, and each record's address,
/// count and checksum: under three times for the 16- and 32-byte records tools write); the limit plus
/// 512 MiB for ELF, whose symbols and debug information grow with the program's source, not its flash.
InputLimit imageFileLimit(ImageFormat format, const ImageSizeLimit& limit);

/// How to read an image file.
struct ImageLoadOptions {
    std::optional<ImageFormat> format; ///< forces the format (--format); detected when empty
    std::optional<std::uint64_t> base; ///< a raw binary's CPU address (--base); only for raw binaries
    ImageSizeLimit sizeLimit;          ///< the flash it is meant for, which bounds the file read
};

/// An image and the format it was read in.
struct LoadedImage {
    Image image;
    DetectedImageFormat format;
};

/// Reads `content` (from `fileName`) in the given or detected format. A base address with a format
/// other than raw binary is Errc::InvalidArgument (those formats carry their own addresses). Errors name
/// the file and, for the text formats, the line.
Result<LoadedImage> loadImage(std::string_view content, const std::string& fileName,
                              const ImageLoadOptions& options = {});

/// Reads the file from disk, then loadImage(). Errc::Io or Errc::NotFound naming the file when it cannot
/// be read; Errc::InvalidArgument naming it when it is a folder, a device, a FIFO, empty, or larger than
/// imageFileLimit() of its format and options.sizeLimit (refused before it is read).
Result<LoadedImage> loadImageFile(const std::filesystem::path& path, const ImageLoadOptions& options = {});

} // namespace flashplan
