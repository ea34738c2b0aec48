// SPDX-License-Identifier: Apache-2.0
#include "BackendKind.h"

namespace flashplan::programmer {

const std::string& BackendOptions::get(std::string_view key) const {
    static const std::string kNone;
    const auto it = values_.find(key);
    return it == values_.end() ? kNone : it->second;
}

void BackendOptions::set(std::string_view key, std::string value) {
    values_.insert_or_assign(std::string(key), std::move(value));
}

const OptionSpec* BackendKind::option(std::string_view key) const {
    for (const OptionSpec& o : options)
        if (o.key == key)
            return &o;
    return nullptr;
}

std::string boardDefault(const OptionSpec& option, const Board& board) {
    return option.boardDefault ? option.boardDefault(board) : std::string();
}

} // namespace flashplan::programmer
