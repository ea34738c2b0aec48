// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "model/Diagnostic.h"
#include "model/Partition.h"

#include <QString>
#include <QStringList>

#include <cstdint>
#include <string_view>

namespace flashplan::gui {

/// The core's UTF-8 text as a QString.
inline QString q(std::string_view text) {
    return QString::fromUtf8(text.data(), static_cast<qsizetype>(text.size()));
}

/// "0x60000 (384 KiB)": formatHexAndSize(), as the map, the table and the forms show a size or offset.
QString hexAndSize(std::uint64_t value);

/// "384 KiB", "39.6 KiB", "512 B": formatSizeRounded(), a byte count for the eye.
QString readableSize(std::uint64_t bytes);

/// "1 error, 0 warnings, 2 infos" (joined by `separator`).
QString countsText(const DiagnosticCounts& counts, const QString& separator = QStringLiteral(", "));

/// Every role's name, in the order of PartitionRole (for the role lists of the table and the form).
QStringList roleNames();

} // namespace flashplan::gui
