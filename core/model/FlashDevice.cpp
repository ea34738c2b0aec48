// SPDX-License-Identifier: Apache-2.0
#include "model/FlashDevice.h"

#include <array>
#include <utility>

namespace flashplan {

namespace {
constexpr std::array<std::pair<FlashKind, std::string_view>, 4> kKindNames{{
    {FlashKind::Internal, "internal"},
    {FlashKind::Spi, "spi"},
    {FlashKind::Qspi, "qspi"},
    {FlashKind::Ospi, "ospi"},
}};
} // namespace

std::string_view to_string(FlashKind kind) {
    for (const auto& [k, name] : kKindNames)
        if (k == kind)
            return name;
    return "internal";
}

std::optional<FlashKind> flashKindFromString(std::string_view text) {
    for (const auto& [k, name] : kKindNames)
        if (name == text)
            return k;
    return std::nullopt;
}

} // namespace flashplan
