// SPDX-License-Identifier: Apache-2.0
#include "util/ManPage.h"

#include <cctype>

namespace flashplan {

namespace {

/// One line of text as roff reads it: a backslash is written \e, a hyphen \- (so that option names stay
/// ASCII hyphens, searchable and copyable), and a line that would start with a control character gets \&.
std::string escapeLine(const std::string& line) {
    std::string out;
    if (!line.empty() && (line.front() == '.' || line.front() == '\''))
        out += "\\&";
    for (const char c : line) {
        if (c == '\\')
            out += "\\e";
        else if (c == '-')
            out += "\\-";
        else
            out += c;
    }
    return out;
}

/// Text of several lines: each escaped and kept a line of its own (.br), as the help prints it; an empty
/// line becomes a paragraph break.
std::string escapeText(const std::string& text) {
    std::string out;
    std::size_t from = 0;
    bool first = true;
    while (from <= text.size()) {
        const std::size_t end = text.find('\n', from);
        const std::string line = text.substr(from, end == std::string::npos ? std::string::npos : end - from);
        if (line.empty()) {
            if (end == std::string::npos) // the text's closing newline
                break;
            out += ".PP\n";
            first = true;
        } else {
            out += (first ? "" : ".br\n") + escapeLine(line) + '\n';
            first = false;
        }
        if (end == std::string::npos)
            break;
        from = end + 1;
    }
    return out;
}

std::string upper(std::string s) {
    for (char& c : s)
        c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return s;
}

} // namespace

std::string toRoff(const ManPage& page) {
    std::string out;
    out += ".TH \"" + upper(escapeLine(page.name)) + "\" \"" + std::to_string(page.section) + "\" \"\" \"" +
           escapeLine(page.version) + "\" \"User Commands\"\n";
    out += ".SH NAME\n" + escapeLine(page.name) + " \\- " + escapeLine(page.summary) + "\n";
    if (!page.synopsis.empty()) {
        out += ".SH SYNOPSIS\n";
        for (std::size_t i = 0; i < page.synopsis.size(); ++i)
            out += (i ? ".br\n" : "") + escapeLine(page.synopsis[i]) + "\n";
    }
    if (!page.description.empty())
        out += ".SH DESCRIPTION\n" + escapeText(page.description);
    for (const ManPage::Section& s : page.sections) {
        out += ".SH " + upper(escapeLine(s.title)) + "\n";
        if (!s.text.empty())
            out += escapeText(s.text);
        for (const ManPage::Item& item : s.items)
            out += ".TP\n.B " + escapeLine(item.term) + "\n" + escapeText(item.text);
    }
    return out;
}

} // namespace flashplan
