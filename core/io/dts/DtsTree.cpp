// SPDX-License-Identifier: Apache-2.0
#include "io/dts/DtsTree.h"

#include "util/Numbers.h"

#include <algorithm>
#include <cstdio>

namespace flashplan::dts {

const std::string* Property::firstString() const {
    if (value.empty() || value.front().kind != ValuePart::Kind::String)
        return nullptr;
    return &value.front().text;
}

std::vector<std::string> Property::strings() const {
    std::vector<std::string> out;
    for (const ValuePart& p : value)
        if (p.kind == ValuePart::Kind::String)
            out.push_back(p.text);
    return out;
}

std::optional<std::vector<std::uint64_t>> Property::cells() const {
    std::vector<std::uint64_t> out;
    for (const ValuePart& p : value) {
        if (p.kind != ValuePart::Kind::Cells || p.bits != 32)
            return std::nullopt;
        for (const Cell& c : p.cells) {
            if (!c.ref.empty())
                return std::nullopt;
            out.push_back(c.value);
        }
    }
    return out;
}

std::string_view Node::baseName() const {
    const std::string_view n = name;
    return n.substr(0, n.find('@'));
}

std::string_view Node::unitAddress() const {
    const std::string_view n = name;
    const auto at = n.find('@');
    return at == std::string_view::npos ? std::string_view() : n.substr(at + 1);
}

std::string Node::path() const {
    if (!parent)
        return fragment ? "&" + name : "/";
    const std::string up = parent->path();
    return (up == "/" ? std::string() : up) + "/" + name;
}

const Property* Node::property(std::string_view propertyName) const {
    for (const Property& p : properties)
        if (p.name == propertyName)
            return &p;
    return nullptr;
}

Node* Node::child(std::string_view childName) const {
    const auto it = index_.find(childName);
    return it == index_.end() ? nullptr : it->second;
}

Node& Node::addChild(std::unique_ptr<Node> node) {
    node->parent = this;
    Node& added = *node;
    children.push_back(std::move(node));
    index_[added.name] = &added;
    return added;
}

std::vector<std::string> Node::compatibles() const {
    const Property* p = property("compatible");
    return p ? p->strings() : std::vector<std::string>{};
}

bool Node::isCompatible(std::string_view compatible) const {
    for (const std::string& c : compatibles())
        if (c == compatible)
            return true;
    return false;
}

namespace {
/// The first node of `candidates` in depth-first order below `n`, or nullptr.
Node* firstInTreeOrder(const Node& n, const std::vector<Node*>& candidates) {
    for (const auto& c : n.children) {
        if (std::find(candidates.begin(), candidates.end(), c.get()) != candidates.end())
            return c.get();
        if (Node* found = firstInTreeOrder(*c, candidates))
            return found;
    }
    return nullptr;
}
} // namespace

Node* DtsTree::byLabel(std::string_view label) const {
    const auto it = labels_.find(std::string(label));
    if (it == labels_.end() || it->second.empty())
        return nullptr;
    if (it->second.size() == 1)
        return it->second.front();
    for (Node* n : it->second)
        if (n == &root_)
            return n;
    if (Node* n = firstInTreeOrder(root_, it->second))
        return n;
    return it->second.front(); // fragments
}

Node* DtsTree::byPath(std::string_view path) const {
    if (path.empty() || path.front() != '/')
        return nullptr;
    Node* n = const_cast<Node*>(&root_);
    std::size_t i = 1;
    while (i < path.size()) {
        std::size_t end = path.find('/', i);
        if (end == std::string_view::npos)
            end = path.size();
        const std::string_view component = path.substr(i, end - i);
        i = end + 1;
        if (component.empty())
            continue;
        Node* next = n->child(component);
        if (!next && component.find('@') == std::string_view::npos)
            for (const auto& c : n->children)
                if (c->baseName() == component) {
                    next = c.get();
                    break;
                }
        if (!next)
            return nullptr;
        n = next;
    }
    return n;
}

Node* DtsTree::resolve(std::string_view ref) const {
    if (ref.size() >= 2 && ref.front() == '{' && ref.back() == '}')
        return byPath(ref.substr(1, ref.size() - 2));
    return byLabel(ref);
}

void DtsTree::addLabel(Node& node, const std::string& label) {
    auto& nodes = labels_[label];
    if (std::find(nodes.begin(), nodes.end(), &node) == nodes.end())
        nodes.push_back(&node);
    if (std::find(node.labels.begin(), node.labels.end(), label) == node.labels.end())
        node.labels.push_back(label);
}

void DtsTree::forgetLabels(const Node& node) {
    for (const std::string& l : node.labels) {
        const auto it = labels_.find(l);
        if (it == labels_.end())
            continue;
        auto& nodes = it->second;
        nodes.erase(std::remove(nodes.begin(), nodes.end(), &node), nodes.end());
        if (nodes.empty())
            labels_.erase(it);
    }
    for (const auto& c : node.children)
        forgetLabels(*c);
}

std::pair<std::string, std::pair<const Node*, const Node*>> DtsTree::duplicateLabel() const {
    for (const auto& [label, nodes] : labels_)
        if (nodes.size() > 1)
            return {label, {nodes[0], nodes[1]}};
    return {};
}

namespace {
int cellsProperty(const Node& node, std::string_view name, int fallback) {
    const Property* p = node.property(name);
    if (!p)
        return fallback;
    const auto cells = p->cells();
    return (cells && cells->size() == 1 && cells->front() <= 4) ? static_cast<int>(cells->front()) : fallback;
}
} // namespace

int addressCellsOf(const Node& node) {
    return cellsProperty(node, "#address-cells", 2);
}

int sizeCellsOf(const Node& node) {
    return cellsProperty(node, "#size-cells", 1);
}

std::optional<std::uint64_t> combineCells(const std::vector<std::uint64_t>& cells, std::size_t first,
                                          std::size_t count) {
    std::uint64_t v = 0;
    for (std::size_t k = 0; k < count; ++k) {
        if (first + k >= cells.size())
            return std::nullopt;
        if (k > 0 && v > 0xffffffffULL)
            return std::nullopt; // a third cell would push bits out of 64
        v = (v << 32) | (cells[first + k] & 0xffffffffULL);
    }
    return v;
}

std::string quoteString(std::string_view text) {
    std::string out = "\"";
    for (const char c : text) {
        switch (c) {
        case '"':
            out += "\\\"";
            break;
        case '\\':
            out += "\\\\";
            break;
        case '\n':
            out += "\\n";
            break;
        case '\t':
            out += "\\t";
            break;
        default:
            if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
                char buf[8];
                std::snprintf(buf, sizeof buf, "\\x%02x", static_cast<unsigned char>(c));
                out += buf;
            } else {
                out += c;
            }
        }
    }
    return out + "\"";
}

std::string printValue(const std::vector<ValuePart>& value) {
    std::string out;
    for (const ValuePart& p : value) {
        if (!out.empty())
            out += ", ";
        switch (p.kind) {
        case ValuePart::Kind::Cells: {
            if (p.bits != 32)
                out += "/bits/ " + std::to_string(p.bits) + " ";
            out += "<";
            bool first = true;
            for (const Cell& c : p.cells) {
                out += first ? "" : " ";
                first = false;
                out += c.ref.empty() ? formatHex(c.value) : "&" + c.ref;
            }
            out += ">";
            break;
        }
        case ValuePart::Kind::String:
            out += quoteString(p.text);
            break;
        case ValuePart::Kind::Bytes: {
            out += "[";
            bool first = true;
            for (const std::uint8_t b : p.bytes) {
                char buf[4];
                std::snprintf(buf, sizeof buf, "%02x", b);
                out += (first ? "" : " ") + std::string(buf);
                first = false;
            }
            out += "]";
            break;
        }
        case ValuePart::Kind::Reference:
            out += "&" + p.text;
            break;
        }
    }
    return out;
}

} // namespace flashplan::dts
