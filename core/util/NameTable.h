// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <array>
#include <cstddef>
#include <optional>
#include <string_view>
#include <utility>

namespace flashplan {

/// A table of the words files use for the values of an enum, {value, word} per row: the one place a
/// model type's to_string() and ...FromString() look.
template <class E, std::size_t N>
using NameTable = std::array<std::pair<E, std::string_view>, N>;

/// The word of `value`, or `fallback` when the table has none.
template <class E, std::size_t N>
constexpr std::string_view nameIn(const NameTable<E, N>& table, E value, std::string_view fallback) {
    for (const auto& [v, name] : table)
        if (v == value)
            return name;
    return fallback;
}

/// The value whose word is `text`, or nullopt.
template <class E, std::size_t N>
constexpr std::optional<E> valueIn(const NameTable<E, N>& table, std::string_view text) {
    for (const auto& [v, name] : table)
        if (name == text)
            return v;
    return std::nullopt;
}

} // namespace flashplan
