// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "io/Format.h"

namespace flashplan {

/// The JSON layout document for scripts: {"schema": "flashplan-layout/1", "layout": <layout>}, where
/// <layout> is the shape of docs/cli-json.md. Reading also takes the output of `flashplan-cli import
/// --json` (any document with a "layout" member). Numbers may be JSON integers or strings parseNumber
/// reads ("0x20000", "128K"); fields derived from others (index, end, cpu_address, sectors) are ignored.
class JsonImporter final : public Importer {
public:
    int sniff(std::string_view text, std::string_view fileName) const override;
    Result<ImportResult> read(std::string_view text, const std::string& fileName,
                              const ImportOptions& options) const override;
};

class JsonExporter final : public Exporter {
public:
    Result<std::vector<ExportedFile>> write(const Layout& layout, const std::filesystem::path& outputPath,
                                            const ExportOptions& options) const override;
};

inline constexpr const char* kJsonLayoutSchema = "flashplan-layout/1";

} // namespace flashplan
