// SPDX-License-Identifier: Apache-2.0
#include "document/Text.h"

#include "util/Numbers.h"

#include <QLocale>

namespace flashplan::gui {

namespace {

QString plural(std::size_t n, const char* one, const char* many) {
    return QStringLiteral("%1 %2").arg(n).arg(QLatin1String(n == 1 ? one : many));
}

} // namespace

QString hexAndSize(std::uint64_t value) {
    return QStringLiteral("%1 (%2)").arg(q(formatHex(value)), q(formatSize(value)));
}

QString readableSize(std::uint64_t bytes) {
    const std::string exact = formatSize(bytes);
    if (bytes < 1024 || exact.find(" B") == std::string::npos)
        return q(exact);
    return QLocale::c().formattedDataSize(static_cast<qint64>(bytes), 1, QLocale::DataSizeIecFormat);
}

QString countsText(const DiagnosticCounts& counts, const QString& separator) {
    return plural(counts.errors, "error", "errors") + separator +
           plural(counts.warnings, "warning", "warnings") + separator + plural(counts.infos, "info", "infos");
}

QStringList roleNames() {
    QStringList names;
    for (int r = 0; r <= static_cast<int>(PartitionRole::Custom); ++r)
        names << q(to_string(static_cast<PartitionRole>(r)));
    return names;
}

} // namespace flashplan::gui
