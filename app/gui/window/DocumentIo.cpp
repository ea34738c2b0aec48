// SPDX-License-Identifier: Apache-2.0
#include "window/DocumentIo.h"

#include "document/Text.h"

#include <QStringList>

namespace flashplan::gui {

namespace {

QStringList patterns(const Format& format) {
    QStringList out;
    for (const QString& ext : q(format.extensions).split(' ', Qt::SkipEmptyParts))
        out << QStringLiteral("*") + ext;
    return out;
}

} // namespace

Result<OpenedLayout> openLayoutFile(const std::filesystem::path& path, const DeviceDatabase& db,
                                    const Format* forced) {
    ImportOptions options;
    options.db = &db;
    options.includeDirs.push_back(path.parent_path());
    auto text = readImportFile(options, path);
    if (!text)
        return text.error();
    const Format* format = forced;
    if (!format) {
        auto detected = detectFormat(*text, path.string());
        if (!detected)
            return detected.error();
        format = *detected;
    }
    if (!format->importer)
        return makeError(Errc::NotSupported, "Flashplan cannot read " + std::string(format->title));
    auto imported = format->importer->read(*text, path.string(), options);
    if (!imported)
        return imported.error();
    return OpenedLayout{std::move(imported->layout), std::move(imported->notes), format};
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

QString formatFilter(const Format& format) {
    return QStringLiteral("%1 (%2)").arg(q(format.title), patterns(format).join(' '));
}

QString openFilter() {
    QStringList all, each;
    for (const Format& f : allFormats())
        if (f.importer) {
            all << patterns(f);
            each << formatFilter(f);
        }
    all.removeDuplicates();
    return QStringLiteral("Layouts and flash maps (%1);;%2;;All files (*)")
        .arg(all.join(' '), each.join(QStringLiteral(";;")));
}

} // namespace flashplan::gui
