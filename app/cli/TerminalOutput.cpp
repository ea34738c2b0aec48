// SPDX-License-Identifier: Apache-2.0
#include "cli/TerminalOutput.h"

#include "util/TextEscape.h"

#include <string_view>

namespace flashplan::cli {

namespace {
constexpr std::size_t kHeldMost = 4096;
} // namespace

EscapingStreambuf::~EscapingStreambuf() {
    pass(true);
    target_->pubsync();
}

bool EscapingStreambuf::pass(bool all) {
    const std::size_t n = all ? held_.size() : completeUtf8Prefix(held_);
    if (n == 0)
        return true;
    const std::string text = escapeForTerminal(std::string_view(held_).substr(0, n));
    held_.erase(0, n);
    return target_->sputn(text.data(), static_cast<std::streamsize>(text.size())) ==
           static_cast<std::streamsize>(text.size());
}

EscapingStreambuf::int_type EscapingStreambuf::overflow(int_type c) {
    if (traits_type::eq_int_type(c, traits_type::eof()))
        return traits_type::not_eof(c);
    const char ch = traits_type::to_char_type(c);
    return xsputn(&ch, 1) == 1 ? c : traits_type::eof();
}

std::streamsize EscapingStreambuf::xsputn(const char* s, std::streamsize n) {
    held_.append(s, static_cast<std::size_t>(n));
    if ((held_.find('\n') != std::string::npos || held_.size() >= kHeldMost) && !pass(false))
        return 0;
    return n;
}

int EscapingStreambuf::sync() {
    return pass(false) && target_->pubsync() == 0 ? 0 : -1;
}

} // namespace flashplan::cli
