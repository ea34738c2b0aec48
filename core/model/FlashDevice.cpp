// SPDX-License-Identifier: Apache-2.0
#include "model/FlashDevice.h"

#include "util/NameTable.h"

namespace flashplan {

namespace {
constexpr NameTable<FlashKind, 4> kKindNames{{
    {FlashKind::Internal, "internal"},
    {FlashKind::Spi, "spi"},
    {FlashKind::Qspi, "qspi"},
    {FlashKind::Ospi, "ospi"},
}};
} // namespace

std::string_view to_string(FlashKind kind) {
    return nameIn(kKindNames, kind, "internal");
}

std::optional<FlashKind> flashKindFromString(std::string_view text) {
    return valueIn(kKindNames, text);
}

} // namespace flashplan
