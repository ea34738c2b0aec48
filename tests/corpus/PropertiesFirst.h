// SPDX-License-Identifier: Apache-2.0
#pragma once
// Test-only: the corpus's own work-around for dtc 1.6.1, which refuses a property that follows a subnode
// in one node block ("Properties must precede subnodes") where Zephyr's dtlib accepts it (28 boards do
// it). As the corpus README derives its truth, each block's properties move in front of its subnodes,
// each kind keeping its order, and /delete-node/ stays among the nodes. A property and a node never share
// a name, so the tree that results is the same.

#include <string>
#include <string_view>
#include <vector>

namespace corpus {

namespace detail {

/// One statement of a block: its text up to its end (';' or a node's '{'), its body, and what follows the
/// body ("};").
struct Statement {
    std::string head;
    std::vector<Statement> body;
    bool isNode = false;
    std::string tail;
};

inline std::size_t skipQuoted(std::string_view s, std::size_t i) {
    const char quote = s[i++];
    while (i < s.size() && s[i] != quote)
        i += (s[i] == '\\' && i + 1 < s.size()) ? 2 : 1;
    return i < s.size() ? i + 1 : i;
}

/// Reads statements from s[i] to the '}' that closes the block (or the end); i ends on that '}'.
inline std::vector<Statement> readBlock(std::string_view s, std::size_t& i) {
    std::vector<Statement> out;
    Statement st;
    while (i < s.size()) {
        const char c = s[i];
        if (c == '"') {
            const std::size_t end = skipQuoted(s, i);
            st.head.append(s.substr(i, end - i));
            i = end;
        } else if (c == '\'' && i + 2 < s.size() && (s[i + 2] == '\'' || s[i + 1] == '\\')) {
            const std::size_t end = skipQuoted(s, i);
            st.head.append(s.substr(i, end - i));
            i = end;
        } else if (c == '}') {
            if (!st.head.empty())
                out.push_back(std::move(st)); // blanks before the '}'
            return out;
        } else if (c == '{') {
            st.head.push_back(c);
            ++i;
            st.isNode = true;
            st.body = readBlock(s, i);
            // s[i] is the closing '}' (or the end); the tail runs to the ';' after it.
            const std::size_t semi = s.find(';', i);
            const std::size_t end = semi == std::string_view::npos ? s.size() : semi + 1;
            st.tail = std::string(s.substr(i, end - i));
            i = end;
            out.push_back(std::move(st));
            st = Statement{};
        } else if (c == ';') {
            st.head.push_back(c);
            ++i;
            const std::string_view h = st.head;
            st.isNode = h.find("/delete-node/") != std::string_view::npos;
            out.push_back(std::move(st));
            st = Statement{};
        } else {
            st.head.push_back(c);
            ++i;
        }
    }
    if (!st.head.empty())
        out.push_back(std::move(st));
    return out;
}

inline void write(const std::vector<Statement>& block, bool reorder, std::string& out) {
    for (int pass = 0; pass < (reorder ? 2 : 1); ++pass)
        for (const Statement& st : block) {
            if (reorder && (pass == 0) == st.isNode)
                continue;
            out += st.head;
            if (!st.body.empty() || !st.tail.empty()) {
                write(st.body, true, out);
                out += st.tail;
            }
        }
}

} // namespace detail

/// `dts` (preprocessed, so without comments) with every node block's properties before its subnodes.
inline std::string propertiesFirst(std::string_view dts) {
    std::size_t i = 0;
    const auto top = detail::readBlock(dts, i);
    std::string out;
    detail::write(top, false, out);
    if (i < dts.size())
        out.append(dts.substr(i));
    return out;
}

} // namespace corpus
