// SPDX-License-Identifier: Apache-2.0
#include "io/NativeFormat.h"

#include "io/LayoutFile.h"

namespace flashplan {

int NativeImporter::sniff(std::string_view text, std::string_view fileName) const {
    if (text.find("<flashplan-layout") != std::string_view::npos)
        return 100;
    return fileName.ends_with(".flashplan") ? 60 : 0;
}

Result<ImportResult> NativeImporter::read(std::string_view text, const std::string& fileName,
                                          const ImportOptions& options) const {
    if (!options.db)
        return makeError(Errc::InvalidArgument, "reading a .flashplan file needs the device database");
    auto layout = LayoutFile::parse(text, fileName, *options.db);
    if (!layout)
        return layout.error();
    return ImportResult{std::move(*layout), {}};
}

Result<std::vector<ExportedFile>> NativeExporter::write(const Layout& layout,
                                                        const std::filesystem::path& outputPath,
                                                        const ExportOptions&) const {
    return std::vector<ExportedFile>{{outputPath, LayoutFile::serialize(layout)}};
}

} // namespace flashplan
