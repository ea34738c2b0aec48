// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "io/Format.h"

namespace flashplan {

/// The .flashplan format (LayoutFile) behind the Format interface.
class NativeImporter final : public Importer {
public:
    int sniff(std::string_view text, std::string_view fileName) const override;
    Result<ImportResult> read(std::string_view text, const std::string& fileName,
                              const ImportOptions& options) const override;
};

class NativeExporter final : public Exporter {
public:
    Result<std::vector<ExportedFile>> write(const Layout& layout, const std::filesystem::path& outputPath,
                                            const ExportOptions& options) const override;
};

} // namespace flashplan
