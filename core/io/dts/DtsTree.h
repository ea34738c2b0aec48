// SPDX-License-Identifier: Apache-2.0
#pragma once
// The devicetree as dtc builds it: nodes with labels, properties and children, after every &label { }
// block, /delete-node/ and /delete-property/ of the source has been applied in order.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace flashplan::dts {

/// One cell of a <...> list: a number, or a phandle reference (`ref` is "label" or "{/path}").
struct Cell {
    std::uint64_t value = 0;
    std::string ref;
    friend bool operator==(const Cell&, const Cell&) = default;
};

/// One comma-separated piece of a property value.
struct ValuePart {
    enum class Kind { Cells, String, Bytes, Reference };
    Kind kind = Kind::Cells;
    int bits = 32;                   ///< Cells: the element width (/bits/ 8, 16, 32 or 64)
    std::vector<Cell> cells;         ///< Cells
    std::string text;                ///< String: its characters; Reference: "label" or "{/path}"
    std::vector<std::uint8_t> bytes; ///< Bytes: [00 11 22]
    friend bool operator==(const ValuePart&, const ValuePart&) = default;
};

struct Property {
    std::string name;
    std::vector<ValuePart> value; ///< empty for a boolean property (read-only;)
    std::size_t offset = 0;       ///< where it was (last) set, in the preprocessed text

    /// The first string of the value, or nullptr when the value does not start with one.
    const std::string* firstString() const;
    /// Every string of a string list (compatible = "a", "b").
    std::vector<std::string> strings() const;
    /// Every 32-bit cell, in order; nullopt when the value holds anything else (strings, references,
    /// other widths).
    std::optional<std::vector<std::uint64_t>> cells() const;
};

struct Node {
    std::string name; ///< "partition@10000"; empty for the root
    std::vector<std::string> labels;
    std::vector<Property> properties;
    std::vector<std::unique_ptr<Node>> children; ///< change through addChild() and removeChildren() only
    Node* parent = nullptr;
    std::size_t offset = 0;   ///< where it was first defined, in the preprocessed text
    bool omitIfNoRef = false; ///< /omit-if-no-ref/: dropped unless something refers to it
    bool fragment = false;    ///< stands for a node of a file not given (see DtsTree::fragments)

    std::string_view baseName() const;    ///< "partition" of "partition@10000"
    std::string_view unitAddress() const; ///< "10000", or empty
    std::string path() const;             ///< "/soc/flash-controller@4001e000/flash@0"
    const Property* property(std::string_view propertyName) const;
    Node* child(std::string_view childName) const;
    /// Appends a child (its parent set to this node).
    Node& addChild(std::unique_ptr<Node> node);
    /// Removes every child for which `drop` is true, in one pass (a board has thousands of pinctrl nodes
    /// that /omit-if-no-ref/ drops).
    template <class Pred>
    void removeChildren(Pred drop);
    std::vector<std::string> compatibles() const;
    bool isCompatible(std::string_view compatible) const;

private:
    std::unordered_map<std::string_view, Node*> index_; // children by name (views of their names)
};

template <class Pred>
void Node::removeChildren(Pred drop) {
    for (const auto& c : children)
        if (drop(*c))
            index_.erase(c->name);
    children.erase(std::remove_if(children.begin(), children.end(),
                                  [&](const std::unique_ptr<Node>& c) { return drop(*c); }),
                   children.end());
}

/// The tree, and its labels. In the finished tree a label names one node; while blocks are still being
/// applied two nodes may share one (until one is deleted), and a lookup finds the first in tree order,
/// as dtc's does.
class DtsTree {
public:
    DtsTree() = default;
    DtsTree(const DtsTree&) = delete;
    DtsTree& operator=(const DtsTree&) = delete;

    Node& root() { return root_; }
    const Node& root() const { return root_; }

    /// Nodes that &label { } blocks extend when no file given defines the label: only with --board,
    /// which says which board an overlay or .dtsi applies to. Each is named and labelled by its label.
    std::vector<std::unique_ptr<Node>>& fragments() { return fragments_; }
    const std::vector<std::unique_ptr<Node>>& fragments() const { return fragments_; }

    Node* byLabel(std::string_view label) const;
    /// A path such as "/soc/flash@0"; a component without '@' also matches a node with a unit address,
    /// as dtc allows.
    Node* byPath(std::string_view path) const;
    /// A reference as values hold it: "label" or "{/path}".
    Node* resolve(std::string_view ref) const;

    /// Gives `node` a label (once).
    void addLabel(Node& node, const std::string& label);
    /// Forgets the labels of `node` and everything below it (before it is deleted).
    void forgetLabels(const Node& node);
    /// A label that names two nodes, and those nodes; empty when labels are unique.
    std::pair<std::string, std::pair<const Node*, const Node*>> duplicateLabel() const;

private:
    Node root_;
    std::vector<std::unique_ptr<Node>> fragments_;
    std::unordered_map<std::string, std::vector<Node*>> labels_;
};

/// #address-cells / #size-cells that `node` sets for its children (2 and 1 when absent, as dtc does).
int addressCellsOf(const Node& node);
int sizeCellsOf(const Node& node);

/// Cells combined into one number, most significant first. nullopt when they do not fit 64 bits.
std::optional<std::uint64_t> combineCells(const std::vector<std::uint64_t>& cells, std::size_t first,
                                          std::size_t count);

/// The value in devicetree source form: <0x1 0x2 &label>, "text", [01 02], &label, joined by ", ".
/// Empty for a boolean property.
std::string printValue(const std::vector<ValuePart>& value);
/// A string in devicetree source form, with quotes and escapes.
std::string quoteString(std::string_view text);

} // namespace flashplan::dts
