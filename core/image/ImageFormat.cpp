// SPDX-License-Identifier: Apache-2.0
#include "image/ImageFormat.h"

#include "image/Elf.h"
#include "image/IntelHex.h"
#include "image/RawBinary.h"
#include "image/SRecord.h"
#include "io/TextFile.h"

#include <algorithm>
#include <array>
#include <cctype>

namespace flashplan {

namespace {

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
    const std::string_view line = firstLine(content.substr(0, std::min<std::size_t>(content.size(), 4096)));
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

Result<LoadedImage> loadImageFile(const std::filesystem::path& path, const ImageLoadOptions& options) {
    std::error_code ec;
    if (!std::filesystem::exists(path, ec)) {
        Error e = makeError(Errc::NotFound, "no such file");
        e.where.file = path.string();
        return e;
    }
    auto content = readTextFile(path);
    if (!content)
        return content.error();
    return loadImage(*content, path.string(), options);
}

} // namespace flashplan
