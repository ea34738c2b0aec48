// SPDX-License-Identifier: Apache-2.0
#include "image/ImageHeader.h"

namespace flashplan {

std::string ImageHeader::version() const {
    if (mcuboot)
        return mcuboot->version.toString();
    if (wolfboot && wolfboot->version)
        return std::to_string(*wolfboot->version);
    return {};
}

std::uint64_t ImageHeader::headerSize() const {
    return mcuboot ? mcuboot->headerSize : wolfboot ? wolfboot->headerSize : 0;
}

std::uint64_t ImageHeader::payloadSize() const {
    return mcuboot ? mcuboot->imageSize : wolfboot ? wolfboot->imageSize : 0;
}

std::uint64_t ImageHeader::tlvSize() const {
    return mcuboot ? mcuboot->tlvAreaSize() : 0;
}

std::uint64_t ImageHeader::totalSize() const {
    return mcuboot ? mcuboot->totalSize() : wolfboot ? wolfboot->totalSize() : 0;
}

const std::vector<Diagnostic>& ImageHeader::findings() const {
    static const std::vector<Diagnostic> kNone;
    return mcuboot ? mcuboot->findings : wolfboot ? wolfboot->findings : kNone;
}

bool ImageHeader::hasErrors() const {
    for (const Diagnostic& d : findings())
        if (d.severity == Severity::Error)
            return true;
    return false;
}

ImageHeader recognizeHeader(const Image& image) {
    ImageHeader header;
    const auto bytes = image.bytesFrom(image.lowestAddress());
    if ((header.mcuboot = parseMcubootHeader(bytes)))
        header.kind = HeaderKind::Mcuboot;
    else if ((header.wolfboot = parseWolfbootHeader(bytes)))
        header.kind = HeaderKind::Wolfboot;
    return header;
}

} // namespace flashplan
