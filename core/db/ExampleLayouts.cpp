// SPDX-License-Identifier: Apache-2.0
#include "db/ExampleLayouts.h"

#include "builtin/EmbeddedFile.h"
#include "io/LayoutFile.h"

namespace flashplan::ExampleLayouts {

namespace {
constexpr std::string_view kExtension = ".flashplan";

std::string_view stem(std::string_view fileName) {
    return fileName.ends_with(kExtension) ? fileName.substr(0, fileName.size() - kExtension.size())
                                          : fileName;
}
} // namespace

std::vector<std::string> names() {
    std::vector<std::string> out;
    for (const builtin::EmbeddedFile& f : builtin::exampleLayoutFiles())
        out.emplace_back(stem(f.name));
    return out;
}

Result<Layout> load(std::string_view name, const DeviceDatabase& db) {
    for (const builtin::EmbeddedFile& f : builtin::exampleLayoutFiles())
        if (stem(f.name) == name)
            return LayoutFile::parse(f.text(), std::string("layouts/") + f.name, db);
    return makeError(Errc::NotFound, "no example layout named '" + std::string(name) + "'");
}

} // namespace flashplan::ExampleLayouts
