// SPDX-License-Identifier: Apache-2.0
#include "image/ImageFormat.h"

#include "image/Elf.h"
#include "image/IntelHex.h"
#include "image/RawBinary.h"
#include "image/SRecord.h"
#include "util/Numbers.h"

#include <algorithm>
#include <array>
#include <cctype>

namespace flashplan {

namespace {

/// How much of a file detectImageFormat() looks at: the magic, or the first record line.
constexpr std::size_t kDetectionHead = 4096;

constexpr std::array kExtensions{
    ImageExtension{".bin", ImageFormat::Binary},    ImageExtension{".hex", ImageFormat::IntelHex},
    ImageExtension{".ihex", ImageFormat::IntelHex}, ImageExtension{".ihx", ImageFormat::IntelHex},
    ImageExtension{".srec", ImageFormat::SRecord},  ImageExtension{".s19", ImageFormat::SRecord},
    ImageExtension{".s28", ImageFormat::SRecord},   ImageExtension{".s37", ImageFormat::SRecord},
    ImageExtension{".mot", ImageFormat::SRecord},   ImageExtension{".elf", ImageFormat::Elf},
    ImageExtension{".axf", ImageFormat::Elf},       ImageExtension{".out", ImageFormat::Elf},
};

std::optional<ImageExtension> extensionOf(std::string_view fileName) {
    std::string lower(fileName);
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    for (const ImageExtension& e : kExtensions)
        if (lower.ends_with(e.suffix))
            return e;
    return std::nullopt;
}

/// The first line that is not blank, without its line end.
std::string_view firstLine(std::string_view content) {
    std::size_t pos = 0;
    while (pos < content.size()) {
        std::size_t end = content.find('\n', pos);
        if (end == std::string_view::npos)
            end = content.size();
        std::string_view line = content.substr(pos, end - pos);
        while (!line.empty() && (line.back() == '\r' || line.back() == ' ' || line.back() == '\t'))
            line.remove_suffix(1);
        if (!line.empty())
            return line;
        pos = end + 1;
    }
    return {};
}

bool allHex(std::string_view s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isxdigit(c); });
}

} // namespace

std::span<const ImageExtension> imageExtensions() {
    return kExtensions;
}

DetectedImageFormat detectImageFormat(std::string_view content, std::string_view fileName) {
    const auto extension = extensionOf(fileName);
    if (extension && extension->format == ImageFormat::Binary)
        return {ImageFormat::Binary, "extension .bin"};
    if (hasElfMagic(content))
        return {ImageFormat::Elf, "ELF magic"};
    // A record line is all hex digits after its marker, which a binary's first bytes almost never are.
    const std::string_view line =
        firstLine(content.substr(0, std::min<std::size_t>(content.size(), kDetectionHead)));
    if (line.size() >= 11 && line[0] == ':' && allHex(line.substr(1)))
        return {ImageFormat::IntelHex, "Intel HEX records"};
    if (line.size() >= 8 && line[0] == 'S' && line[1] >= '0' && line[1] <= '9' && allHex(line.substr(2)))
        return {ImageFormat::SRecord, "S-records"};
    if (extension)
        return {extension->format, "extension " + std::string(extension->suffix)};
    return {ImageFormat::Binary, "no ELF magic or text records: read as a raw binary"};
}

Result<LoadedImage> loadImage(std::string_view content, const std::string& fileName,
                              const ImageLoadOptions& options) {
    const DetectedImageFormat format =
        options.format
            ? DetectedImageFormat{*options.format, "--format " + std::string(to_string(*options.format))}
            : detectImageFormat(content, fileName);
    if (options.base && format.format != ImageFormat::Binary) {
        Error e =
            makeError(Errc::InvalidArgument, "a base address applies to raw binaries only; this file is " +
                                                 std::string(to_string(format.format)) + " (" +
                                                 format.reason + ") and carries its own addresses");
        e.where.file = fileName;
        return e;
    }
    Result<Image> image = [&]() -> Result<Image> {
        switch (format.format) {
        case ImageFormat::IntelHex:
            return parseIntelHex(content, fileName);
        case ImageFormat::SRecord:
            return parseSRecord(content, fileName);
        case ImageFormat::Elf:
            return parseElf(content, fileName);
        case ImageFormat::Binary:
            break;
        }
        return loadRawBinary(content, fileName, options.base);
    }();
    if (!image)
        return image.error();
    return LoadedImage{std::move(*image), format};
}

ImageSizeLimit imageSizeLimit(const Board& board) {
    ImageSizeLimit limit{0, "the largest flash device of board " + board.id};
    for (const FlashDevice& d : board.devices)
        limit.bytes = std::max(limit.bytes, d.size());
    return board.devices.empty() ? ImageSizeLimit{} : limit;
}

ImageSizeLimit imageSizeLimit(std::span<const Board> boards) {
    const Board* largest = nullptr;
    std::uint64_t bytes = 0;
    for (const Board& b : boards)
        for (const FlashDevice& d : b.devices)
            if (d.size() > bytes) {
                bytes = d.size();
                largest = &b;
            }
    if (!largest)
        return {};
    return {bytes, "the largest flash device of the device database, on board " + largest->id +
                       "; --layout or --devices for a larger one"};
}

InputLimit imageFileLimit(ImageFormat format, const ImageSizeLimit& limit) {
    const std::string image = formatSize(limit.bytes) + " image (" + limit.reason + ")";
    switch (format) {
    case ImageFormat::IntelHex:
    case ImageFormat::SRecord:
        return {limit.bytes * 4, "a file of text records",
                "four times a " + image + ": two hex digits a byte, and each record's address and checksum"};
    case ImageFormat::Elf:
        return {limit.bytes + (std::uint64_t{512} << 20), "an ELF file",
                "a " + image + " and 512 MiB of symbols and debug information"};
    case ImageFormat::Binary:
        break;
    }
    return {limit.bytes, "an image", limit.reason};
}

Result<LoadedImage> loadImageFile(const std::filesystem::path& path, const ImageLoadOptions& options) {
    std::error_code ec;
    if (!std::filesystem::exists(path, ec)) {
        Error e = makeError(Errc::NotFound, "no such file");
        e.where.file = path.string();
        return e;
    }
    auto file = InputFile::open(path);
    if (!file)
        return file.error();
    // The format decides how large the file may be; detectImageFormat() reads no further than this head.
    auto head = file->head(kDetectionHead);
    if (!head)
        return head.error();
    const ImageFormat format =
        options.format ? *options.format : detectImageFormat(*head, path.string()).format;
    auto content = file->readAll(imageFileLimit(format, options.sizeLimit));
    if (!content)
        return content.error();
    return loadImage(*content, path.string(), options);
}

} // namespace flashplan
