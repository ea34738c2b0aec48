// SPDX-License-Identifier: Apache-2.0
#include "io/dts/DtsParser.h"

#include "io/cpp/Expression.h"
#include "io/cpp/Lexer.h"
#include "io/cpp/Literals.h"
#include "io/dts/DtsLexer.h"
#include "util/Numbers.h"

#include <algorithm>
#include <unordered_set>

namespace flashplan::dts {

namespace {

/// The offset in `text` of a line and column counted in it (as an expression's errors name them).
std::size_t offsetOf(std::string_view text, const SourceLocation& at) {
    std::size_t offset = 0;
    for (int line = 1; line < at.line && offset < text.size(); ++offset)
        if (text[offset] == '\n')
            ++line;
    return std::min(text.size(), offset + static_cast<std::size_t>(std::max(at.column, 1) - 1));
}

constexpr int kMaxDepth = 256; // of nested nodes: far beyond any devicetree, and a bound on recursion

class Parser {
public:
    Parser(const PreprocessedSource& source, DtsTree& tree, UnknownLabels unknown,
           std::vector<Diagnostic>& notes)
        : source_(source), lex_(source.text()), tree_(tree), unknown_(unknown), notes_(notes) {}

    Result<void> run() {
        while (!lex_.atEnd())
            if (auto r = topLevel(); !r)
                return r;
        if (auto r = checkReferences(); !r)
            return r;
        omitUnreferenced(tree_.root());
        return {};
    }

private:
    Error error(std::size_t offset, std::string message, Errc code = Errc::Parse) const {
        return Error{code, std::move(message), source_.locate(offset), {}};
    }
    std::string at(std::size_t offset) const {
        const SourceLocation w = source_.locate(offset);
        return w.file + ":" + std::to_string(w.line);
    }
    Result<void> expect(char c, const std::string& what) {
        const std::size_t offset = lex_.offset();
        if (!lex_.accept(c))
            return error(offset, std::string("'") + c + "' expected " + what + ", found " + lex_.preview());
        return {};
    }
    void note(std::size_t offset, std::string message) {
        notes_.push_back(
            Diagnostic{Severity::Info, "dts.fragment", at(offset) + ": " + message, {}, std::nullopt});
    }

    /// Labels "a: b:" in front of a node, a property or a value.
    std::vector<std::string> labels() {
        std::vector<std::string> out;
        for (std::string_view l = lex_.label(); !l.empty(); l = lex_.label())
            out.emplace_back(l);
        return out;
    }

    void addLabels(Node& node, const std::vector<std::string>& names) {
        for (const std::string& l : names)
            tree_.addLabel(node, l);
    }

    /// &label or &{/path} after the '&'. Returns the node, or nullptr when it names nothing.
    Result<Node*> reference(std::string& ref) {
        const std::size_t offset = lex_.offset();
        ref = std::string(lex_.reference());
        if (ref.empty())
            return error(offset, "a label or {/path} must follow '&'");
        return tree_.resolve(ref);
    }

    Error unknownReference(std::size_t offset, const std::string& ref) const {
        if (ref.front() == '{')
            return error(offset, "reference to a node that does not exist: &" + ref, Errc::NotFound);
        return error(offset,
                     "reference to unknown label &" + ref +
                         " (no file read defines it; an overlay or .dtsi is read after its board's .dts, or "
                         "with --board)",
                     Errc::NotFound);
    }

    Result<void> topLevel() {
        const std::size_t offset = lex_.offset();
        if (lex_.acceptKeyword("/dts-v1/") || lex_.acceptKeyword("/plugin/"))
            return expect(';', "after a /dts-v1/ or /plugin/ tag");
        if (lex_.acceptKeyword("/memreserve/")) {
            for (int k = 0; k < 2; ++k) {
                std::uint64_t ignored = 0;
                if (auto r = integer(ignored); !r)
                    return r;
            }
            return expect(';', "after /memreserve/");
        }
        if (lex_.acceptKeyword("/include/"))
            return error(offset, "dtc's /include/ is not supported; use #include");
        const bool deleting = lex_.acceptKeyword("/delete-node/");
        if (deleting || lex_.acceptKeyword("/omit-if-no-ref/")) {
            const std::size_t refAt = lex_.offset();
            if (!lex_.accept('&'))
                return error(refAt, "a &label or &{/path} must follow " +
                                        std::string(deleting ? "/delete-node/" : "/omit-if-no-ref/") +
                                        " outside a node");
            std::string ref;
            auto node = reference(ref);
            if (!node)
                return node.error();
            if (auto r = expect(';', "after the reference"); !r)
                return r;
            if (!*node) {
                if (unknown_ == UnknownLabels::MakeFragments) {
                    note(refAt, "&" + ref + " is not defined in the files read, so " +
                                    (deleting ? "deleting" : "marking") + " it has no effect here");
                    return {};
                }
                return unknownReference(refAt, ref);
            }
            if (deleting)
                deleteNode(**node);
            else
                (*node)->omitIfNoRef = true;
            return {};
        }
        const std::vector<std::string> names = labels();
        const std::size_t targetAt = lex_.offset();
        Node* target = nullptr;
        if (lex_.accept('&')) {
            std::string ref;
            auto node = reference(ref);
            if (!node)
                return node.error();
            target = *node;
            if (!target) {
                if (unknown_ != UnknownLabels::MakeFragments || ref.front() == '{')
                    return unknownReference(targetAt, ref);
                target = fragment(ref, targetAt);
            }
        } else if (lex_.peek() == '/') {
            lex_.accept('/');
            target = &tree_.root();
            if (tree_.root().offset == 0)
                tree_.root().offset = targetAt;
        } else {
            return error(targetAt, "expected '/ {', '&label {' or a /directive/ at the top level, found " +
                                       lex_.preview());
        }
        addLabels(*target, names);
        return nodeBody(*target, targetAt);
    }

    Node* fragment(const std::string& label, std::size_t offset) {
        auto node = std::make_unique<Node>();
        node->name = label;
        node->offset = offset;
        node->fragment = true;
        Node* raw = node.get();
        tree_.fragments().push_back(std::move(node));
        tree_.addLabel(*raw, label);
        return raw;
    }

    void deleteNode(Node& node) {
        tree_.forgetLabels(node);
        if (!node.parent) { // the root, or a fragment: delete what it holds
            node.removeChildren([](const Node&) { return true; });
            node.properties.clear();
            return;
        }
        node.parent->removeChildren([&](const Node& c) { return &c == &node; });
    }

    /// '{' statements '}' ';' of a node, merged into `node`.
    Result<void> nodeBody(Node& node, std::size_t openedAt, int depth = 0) {
        if (depth > kMaxDepth)
            return error(openedAt, "nodes nested more than " + std::to_string(kMaxDepth) + " deep");
        if (auto r = expect('{', "to open the node"); !r)
            return r;
        for (;;) {
            const std::size_t offset = lex_.offset();
            if (lex_.atEnd())
                return error(openedAt, "node " + node.path() +
                                           " is not closed: '}' missing before the end of " + "the input");
            if (lex_.accept('}'))
                return expect(';', "after '}'");
            if (lex_.acceptKeyword("/delete-node/")) {
                if (lex_.peek() == '&') {
                    lex_.accept('&');
                    std::string ref;
                    auto target = reference(ref);
                    if (!target)
                        return target.error();
                    if (*target)
                        deleteNode(**target);
                    else if (unknown_ != UnknownLabels::MakeFragments)
                        return unknownReference(offset, ref);
                } else {
                    const std::string_view n = lex_.name();
                    if (n.empty())
                        return error(offset, "/delete-node/ needs a node name");
                    if (Node* c = node.child(n))
                        deleteNode(*c);
                }
                if (auto r = expect(';', "after /delete-node/"); !r)
                    return r;
                continue;
            }
            if (lex_.acceptKeyword("/delete-property/")) {
                const std::string_view n = lex_.name();
                if (n.empty())
                    return error(offset, "/delete-property/ needs a property name");
                node.properties.erase(std::remove_if(node.properties.begin(), node.properties.end(),
                                                     [&](const Property& p) { return p.name == n; }),
                                      node.properties.end());
                if (auto r = expect(';', "after /delete-property/"); !r)
                    return r;
                continue;
            }
            const bool omit = lex_.acceptKeyword("/omit-if-no-ref/");
            const std::vector<std::string> names = labels();
            const std::size_t nameAt = lex_.offset();
            const std::string_view n = lex_.name();
            if (n.empty())
                return error(nameAt, "a property or child node was expected in " + node.path() + ", found " +
                                         lex_.preview());
            if (lex_.peek() == '{') {
                Node* child = node.child(n);
                if (!child) {
                    auto created = std::make_unique<Node>();
                    created->name = std::string(n);
                    created->offset = nameAt;
                    child = &node.addChild(std::move(created));
                }
                child->omitIfNoRef = child->omitIfNoRef || omit;
                addLabels(*child, names);
                if (auto r = nodeBody(*child, nameAt, depth + 1); !r)
                    return r;
                continue;
            }
            if (omit)
                return error(nameAt,
                             "/omit-if-no-ref/ applies to nodes, not to the property " + std::string(n));
            Property p;
            p.name = std::string(n);
            p.offset = nameAt;
            if (lex_.accept('=')) {
                if (auto r = value(p.value); !r)
                    return r;
            }
            if (auto r = expect(';', "after the property " + p.name); !r)
                return r;
            const auto existing = std::find_if(node.properties.begin(), node.properties.end(),
                                               [&](const Property& q) { return q.name == p.name; });
            if (existing != node.properties.end())
                *existing = std::move(p); // a later definition wins, as across blocks in dtc
            else
                node.properties.push_back(std::move(p));
        }
    }

    /// value { ',' value } of a property.
    Result<void> value(std::vector<ValuePart>& parts) {
        for (;;) {
            labels();
            const std::size_t offset = lex_.offset();
            ValuePart part;
            if (lex_.acceptKeyword("/bits/")) {
                std::uint64_t bits = 0;
                if (auto r = integer(bits); !r)
                    return r;
                if (bits != 8 && bits != 16 && bits != 32 && bits != 64)
                    return error(offset, "/bits/ takes 8, 16, 32 or 64, not " + std::to_string(bits));
                part.bits = static_cast<int>(bits);
                if (lex_.peek() != '<')
                    return error(lex_.offset(), "'<' expected after /bits/ " + std::to_string(bits));
            }
            const char c = lex_.peek();
            if (c == '<') {
                lex_.accept('<');
                part.kind = ValuePart::Kind::Cells;
                if (auto r = cells(part); !r)
                    return r;
            } else if (c == '"') {
                part.kind = ValuePart::Kind::String;
                std::string why;
                if (!lex_.string(part.text, why))
                    return error(offset, why);
            } else if (c == '[') {
                lex_.accept('[');
                part.kind = ValuePart::Kind::Bytes;
                if (auto r = bytes(part); !r)
                    return r;
            } else if (c == '&') {
                lex_.accept('&');
                part.kind = ValuePart::Kind::Reference;
                auto node = reference(part.text);
                if (!node)
                    return node.error();
            } else {
                return error(offset,
                             "a value (<cells>, \"string\", [bytes] or &reference) was expected, found " +
                                 lex_.preview());
            }
            parts.push_back(std::move(part));
            labels();
            if (!lex_.accept(','))
                return {};
        }
    }

    /// The cells of <...> after the '<', up to and with the '>'.
    Result<void> cells(ValuePart& part) {
        for (;;) {
            labels();
            const std::size_t offset = lex_.offset();
            const char c = lex_.peek();
            if (c == '>') {
                lex_.accept('>');
                return {};
            }
            Cell cell;
            if (c == '&') {
                lex_.accept('&');
                auto node = reference(cell.ref);
                if (!node)
                    return node.error();
                part.cells.push_back(std::move(cell));
                continue;
            }
            if (c == '\0' || c == ';' || c == '{' || c == '}')
                return error(offset, "'>' expected to close the cell list, found " + lex_.preview());
            if (c == ')')
                return error(offset, "unbalanced parentheses: ')' without '('");
            if (auto r = integer(cell.value); !r)
                return r;
            if (part.bits < 64) {
                const std::uint64_t mask = (std::uint64_t{1} << part.bits) - 1;
                // dtc takes a value that fits, or a negative one (all high bits set), truncated.
                if ((cell.value & ~mask) != 0 && (cell.value | mask) != ~std::uint64_t{0})
                    return error(offset, formatHex(cell.value) + " does not fit in a " +
                                             std::to_string(part.bits) + "-bit cell");
                cell.value &= mask;
            }
            part.cells.push_back(std::move(cell));
        }
    }

    /// A number, 'c' or (expression): what a cell or /memreserve/ holds.
    Result<void> integer(std::uint64_t& value) {
        const char c = lex_.peek();
        const std::size_t start = lex_.offset();
        const std::string_view from = lex_.text().substr(start);
        if (c >= '0' && c <= '9') {
            const std::size_t n = cpp::ppNumberLength(from, false);
            auto v = cpp::readIntegerLiteral(from.substr(0, n), false);
            if (!v)
                return error(start, v.error().message);
            value = v->value;
            lex_.seek(start + n);
            return {};
        }
        if (c == '\'') {
            const std::size_t n = cpp::readCharLiteral(from, value);
            if (n == 0)
                return error(start, "malformed character literal");
            lex_.seek(start + n);
            return {};
        }
        if (c == '(') {
            const std::size_t end = lex_.matchParen(start);
            if (end == std::string_view::npos)
                return error(start, "unbalanced parentheses: '(' without ')'");
            const std::string_view expression = from.substr(0, end - start);
            auto v = cpp::evaluateText(expression, cpp::Dialect::Devicetree);
            if (!v)
                return error(start + offsetOf(expression, v.error().where), v.error().message);
            value = v->bits;
            lex_.seek(end);
            return {};
        }
        if (cpp::isIdentifierStart(c)) {
            std::size_t n = 0;
            while (n < from.size() && cpp::isIdentifierChar(from[n]))
                ++n;
            const std::string name(from.substr(0, n));
            std::size_t k = n;
            while (k < from.size() && (from[k] == ' ' || from[k] == '\t'))
                ++k;
            if (k < from.size() && from[k] == '(')
                return error(start, "unknown macro " + name +
                                        "() used as a function (its #define or #include "
                                        "is missing)");
            return error(start, "'" + name + "' is not a number (a macro that is not defined?)");
        }
        return error(start, "a number, 'c' or (expression) was expected, found " + lex_.preview());
    }

    Result<void> bytes(ValuePart& part) {
        for (;;) {
            labels();
            const std::size_t offset = lex_.offset();
            const char c = lex_.peek();
            if (c == ']') {
                lex_.accept(']');
                return {};
            }
            const auto hex = [](char h) {
                return (h >= '0' && h <= '9')   ? h - '0'
                       : (h >= 'a' && h <= 'f') ? h - 'a' + 10
                       : (h >= 'A' && h <= 'F') ? h - 'A' + 10
                                                : -1;
            };
            const std::string_view t = lex_.text().substr(offset);
            if (t.size() < 2 || hex(t[0]) < 0 || hex(t[1]) < 0)
                return error(offset, "a byte string holds pairs of hex digits, found " + lex_.preview());
            part.bytes.push_back(static_cast<std::uint8_t>(hex(t[0]) * 16 + hex(t[1])));
            lex_.seek(offset + 2);
        }
    }

    /// Every phandle and path reference left in the finished tree must name a node (dtc's rule; a
    /// property overwritten later, or in a deleted node, no longer counts). The nodes they name are
    /// kept by /omit-if-no-ref/. Labels must by then be unique.
    Result<void> checkReferences() {
        if (auto r = checkReferencesIn(tree_.root()); !r)
            return r;
        for (const auto& f : tree_.fragments())
            if (auto r = checkReferencesIn(*f); !r)
                return r;
        const auto [label, nodes] = tree_.duplicateLabel();
        if (!label.empty())
            return error(nodes.second->offset, "duplicate label '" + label + "': it names both " +
                                                   nodes.first->path() + " (" + at(nodes.first->offset) +
                                                   ") and " + nodes.second->path());
        return {};
    }

    Result<void> checkReferencesIn(const Node& node) {
        for (const Property& p : node.properties)
            for (const ValuePart& part : p.value) {
                if (part.kind == ValuePart::Kind::Reference) {
                    if (auto r = noteReference(part.text, p.offset); !r)
                        return r;
                } else if (part.kind == ValuePart::Kind::Cells) {
                    for (const Cell& c : part.cells)
                        if (!c.ref.empty())
                            if (auto r = noteReference(c.ref, p.offset); !r)
                                return r;
                }
            }
        for (const auto& c : node.children)
            if (auto r = checkReferencesIn(*c); !r)
                return r;
        return {};
    }

    Result<void> noteReference(const std::string& ref, std::size_t offset) {
        if (Node* n = tree_.resolve(ref)) {
            referenced_.insert(n);
            return {};
        }
        if (unknown_ == UnknownLabels::MakeFragments)
            return {}; // it names a node of the board the fragment goes on
        return unknownReference(offset, ref);
    }

    void omitUnreferenced(Node& node) {
        const auto omitted = [&](const Node& c) { return c.omitIfNoRef && !referenced_.count(&c); };
        for (const auto& c : node.children) {
            if (omitted(*c))
                tree_.forgetLabels(*c);
            else
                omitUnreferenced(*c);
        }
        node.removeChildren(omitted);
    }

    const PreprocessedSource& source_;
    DtsLexer lex_;
    DtsTree& tree_;
    UnknownLabels unknown_;
    std::vector<Diagnostic>& notes_;
    std::unordered_set<const Node*> referenced_;
};

} // namespace

Result<void> parseDts(const PreprocessedSource& source, DtsTree& tree, UnknownLabels unknown,
                      std::vector<Diagnostic>& notes) {
    return Parser(source, tree, unknown, notes).run();
}

} // namespace flashplan::dts
