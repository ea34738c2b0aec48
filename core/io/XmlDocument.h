// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "util/Result.h"

#include <pugixml.hpp>

#include <cstdint>
#include <initializer_list>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace flashplan {

/// A parsed XML file that remembers where each element came from, so that every error about its
/// content can name the file, the line and the field. Attribute readers return Results whose errors
/// carry that location.
class XmlDocument {
public:
    /// Parses `text`; a syntax error (a truncated file among them) names the line and column.
    static Result<XmlDocument> parse(std::string_view text, std::string fileName);

    pugi::xml_node root() const { return doc_->document_element(); }
    const std::string& fileName() const { return fileName_; }

    SourceLocation locate(pugi::xml_node node) const;
    Error error(pugi::xml_node node, std::string field, std::string message, Errc code = Errc::Schema) const;

    /// Refuses attributes outside `allowed`, so a misspelt attribute is an error and not silently lost.
    Result<void> onlyAttributes(pugi::xml_node node, std::initializer_list<std::string_view> allowed) const;
    /// Refuses child elements outside `allowed`.
    Result<void> onlyChildren(pugi::xml_node node, std::initializer_list<std::string_view> allowed) const;

    Result<std::string> requiredText(pugi::xml_node node, const char* attr) const;
    std::string optionalText(pugi::xml_node node, const char* attr) const;
    Result<std::uint64_t> requiredNumber(pugi::xml_node node, const char* attr) const;
    Result<std::optional<std::uint64_t>> optionalNumber(pugi::xml_node node, const char* attr) const;
    /// "true"/"false" (also "1"/"0"); a missing attribute gives `fallback`.
    Result<bool> optionalBool(pugi::xml_node node, const char* attr, bool fallback) const;

private:
    XmlDocument() = default;
    SourceLocation locateOffset(std::ptrdiff_t offset) const;

    std::shared_ptr<pugi::xml_document> doc_; // shared: pugi documents are not copyable
    std::string fileName_;
    std::vector<std::size_t> lineStarts_;
};

} // namespace flashplan
