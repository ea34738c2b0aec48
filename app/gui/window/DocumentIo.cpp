// SPDX-License-Identifier: Apache-2.0
#include "window/DocumentIo.h"

namespace flashplan::gui {

Result<OpenedLayout> openLayoutFile(const std::filesystem::path& path, const DeviceDatabase& db,
                                    const Format* forced) {
    ImportOptions options;
    options.db = &db;
    options.includeDirs.push_back(path.parent_path());
    auto imported = importFile(path, forced, options);
    if (!imported)
        return imported.error();
    return OpenedLayout{std::move(imported->layout), std::move(imported->notes), imported->format};
}

Result<std::vector<std::filesystem::path>> exportLayoutFiles(const Layout& layout, const Format& format,
                                                             const std::filesystem::path& path) {
    auto files = exportToFiles(layout, format, path, ExportOptions{});
    if (!files)
        return files.error();
    std::vector<std::filesystem::path> written;
    for (const ExportedFile& f : *files)
        written.push_back(f.path);
    return written;
}

} // namespace flashplan::gui
