// SPDX-License-Identifier: Apache-2.0
#include "io/XmlDocument.h"

#include "util/Numbers.h"

#include <algorithm>

namespace flashplan {

Result<XmlDocument> XmlDocument::parse(std::string_view text, std::string fileName) {
    XmlDocument d;
    d.fileName_ = std::move(fileName);
    d.lineStarts_.push_back(0);
    for (std::size_t i = 0; i < text.size(); ++i)
        if (text[i] == '\n')
            d.lineStarts_.push_back(i + 1);
    d.doc_ = std::make_shared<pugi::xml_document>();
    const pugi::xml_parse_result r = d.doc_->load_buffer(
        text.data(), text.size(), pugi::parse_default | pugi::parse_comments, pugi::encoding_utf8);
    if (!r) {
        Error e = makeError(Errc::Parse, std::string("XML is not well-formed: ") + r.description());
        e.where = d.locateOffset(r.offset);
        return e;
    }
    if (!d.doc_->document_element()) {
        Error e = makeError(Errc::Parse, "the file holds no XML element");
        e.where = d.locateOffset(0);
        return e;
    }
    return d;
}

SourceLocation XmlDocument::locateOffset(std::ptrdiff_t offset) const {
    SourceLocation loc{fileName_, 0, 0};
    if (offset < 0)
        return loc;
    const auto off = static_cast<std::size_t>(offset);
    const auto it = std::upper_bound(lineStarts_.begin(), lineStarts_.end(), off);
    const auto line = static_cast<std::size_t>(it - lineStarts_.begin()); // 1-based: it points past the line
    loc.line = static_cast<int>(line);
    loc.column = static_cast<int>(off - lineStarts_[line - 1] + 1);
    return loc;
}

SourceLocation XmlDocument::locate(pugi::xml_node node) const {
    // offset_debug() points at the element's name; step back to its '<' for the column users see.
    std::ptrdiff_t off = node.offset_debug();
    if (off > 0)
        --off;
    return locateOffset(off);
}

Error XmlDocument::error(pugi::xml_node node, std::string field, std::string message, Errc code) const {
    Error e = makeError(code, std::move(message));
    e.where = locate(node);
    e.field = std::move(field);
    return e;
}

Result<void> XmlDocument::onlyAttributes(pugi::xml_node node,
                                         std::initializer_list<std::string_view> allowed) const {
    for (const pugi::xml_attribute a : node.attributes())
        if (std::find(allowed.begin(), allowed.end(), std::string_view(a.name())) == allowed.end())
            return error(node, a.name(), std::string("unknown attribute of <") + node.name() + ">");
    return {};
}

Result<void> XmlDocument::onlyChildren(pugi::xml_node node,
                                       std::initializer_list<std::string_view> allowed) const {
    for (const pugi::xml_node c : node.children()) {
        if (c.type() != pugi::node_element)
            continue;
        if (std::find(allowed.begin(), allowed.end(), std::string_view(c.name())) == allowed.end())
            return error(c, c.name(), std::string("unexpected element inside <") + node.name() + ">");
    }
    return {};
}

Result<std::string> XmlDocument::requiredText(pugi::xml_node node, const char* attr) const {
    const pugi::xml_attribute a = node.attribute(attr);
    if (!a)
        return error(node, attr, std::string("required attribute missing from <") + node.name() + ">");
    return std::string(a.value());
}

std::string XmlDocument::optionalText(pugi::xml_node node, const char* attr) const {
    return node.attribute(attr).value();
}

Result<std::uint64_t> XmlDocument::requiredNumber(pugi::xml_node node, const char* attr) const {
    auto v = optionalNumber(node, attr);
    if (!v)
        return v.error();
    if (!v->has_value())
        return error(node, attr, std::string("required attribute missing from <") + node.name() + ">");
    return **v;
}

Result<std::optional<std::uint64_t>> XmlDocument::optionalNumber(pugi::xml_node node,
                                                                 const char* attr) const {
    const pugi::xml_attribute a = node.attribute(attr);
    if (!a)
        return std::optional<std::uint64_t>{};
    auto n = parseNumber(a.value());
    if (!n)
        return error(node, attr, n.error().message, Errc::Parse);
    return std::optional<std::uint64_t>(*n);
}

Result<bool> XmlDocument::optionalBool(pugi::xml_node node, const char* attr, bool fallback) const {
    const pugi::xml_attribute a = node.attribute(attr);
    if (!a)
        return fallback;
    const std::string_view v = a.value();
    if (v == "true" || v == "1")
        return true;
    if (v == "false" || v == "0")
        return false;
    return error(node, attr, "'" + std::string(v) + "' is not true or false", Errc::Parse);
}

} // namespace flashplan
