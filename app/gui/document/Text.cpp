// SPDX-License-Identifier: Apache-2.0
#include "document/Text.h"

#include "util/Numbers.h"

namespace flashplan::gui {

namespace {

QString plural(std::size_t n, const char* one, const char* many) {
    return QStringLiteral("%1 %2").arg(n).arg(QLatin1String(n == 1 ? one : many));
}

} // namespace

QString hexAndSize(std::uint64_t value) {
    return q(formatHexAndSize(value));
}

QString readableSize(std::uint64_t bytes) {
    return q(formatSizeRounded(bytes));
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
