// SPDX-License-Identifier: Apache-2.0
#include "image/RawBinary.h"

namespace flashplan {

Result<Image> loadRawBinary(std::string_view content, const std::string& fileName,
                            std::optional<std::uint64_t> base) {
    if (content.empty()) {
        Error e = makeError(Errc::Schema, "the file is empty: there is nothing to program");
        e.where.file = fileName;
        return e;
    }
    ImageBuilder builder(fileName, "file");
    const auto* data = reinterpret_cast<const std::uint8_t*>(content.data());
    if (auto added = builder.add(base.value_or(0), {data, content.size()}, 1); !added)
        return added.error();
    auto image = std::move(builder).build(ImageFormat::Binary);
    if (image)
        image->absolute = base.has_value();
    return image;
}

} // namespace flashplan
