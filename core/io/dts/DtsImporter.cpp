// SPDX-License-Identifier: Apache-2.0
#include "io/dts/DtsImporter.h"

#include "io/cpp/Lexer.h"
#include "io/dts/DtsBoardMatch.h"
#include "io/dts/DtsFlashDevices.h"
#include "io/dts/DtsKeys.h"
#include "io/dts/DtsParser.h"
#include "io/dts/DtsPartitions.h"
#include "io/dts/DtsPreprocessor.h"
#include "util/Numbers.h"

#include <algorithm>
#include <filesystem>
#include <map>
#include <set>

namespace flashplan {

using namespace dts;

namespace {

bool contains(std::string_view text, std::string_view what) {
    return text.find(what) != std::string_view::npos;
}

/// A reference block at the start of a line: "&flash0 {".
bool hasReferenceBlock(std::string_view text) {
    for (std::size_t at = text.find('&'); at != std::string_view::npos; at = text.find('&', at + 1)) {
        if (at > 0 && text[at - 1] != '\n')
            continue;
        std::size_t k = at + 1;
        while (k < text.size() && cpp::isIdentifierChar(text[k]))
            ++k;
        while (k < text.size() && (text[k] == ' ' || text[k] == '\t'))
            ++k;
        if (k > at + 1 && k < text.size() && text[k] == '{')
            return true;
    }
    return false;
}

std::string stemOf(const std::string& fileName) {
    const std::string stem = std::filesystem::path(fileName).stem().string();
    return stem.empty() ? std::string("devicetree") : stem;
}

/// The flash nodes of the tree in tree order: those that hold partitions, and the enabled ones of a
/// known compatible and size that do not (a board's spare QSPI flash, to plan partitions on).
void collectFlashes(const Node& n, const std::set<const Node*>& withPartitions,
                    std::vector<const Node*>& out) {
    const bool holds = withPartitions.count(&n) != 0;
    bool spare = false;
    if (!holds && !n.fragment && flashCompatibleOf(n)) {
        const Property* status = n.property("status");
        const std::string* s = status ? status->firstString() : nullptr;
        spare = (!s || *s == "okay" || *s == "ok") && describeFlash(n).size.value_or(0) > 0;
    }
    if (holds || spare)
        out.push_back(&n);
    for (const auto& c : n.children)
        collectFlashes(*c, withPartitions, out);
}

/// How the exporter refers to a flash node: its first label, else its path.
std::string referenceTo(const Node& n) {
    if (!n.labels.empty())
        return "&" + n.labels.front();
    return "&{" + n.path() + "}";
}

std::string uniqueId(std::string id, const std::set<std::string>& taken) {
    const std::string base = id;
    for (int k = 2; taken.count(id); ++k)
        id = base + "_" + std::to_string(k);
    return id;
}

/// The chosen entries that name a partition: zephyr,code-partition = &slot0_partition; (or a path).
void readChosen(const DtsTree& tree, const std::map<const Node*, std::string>& labelOf, Layout& layout,
                const PreprocessedSource& source, std::vector<Diagnostic>& notes) {
    const Node* chosen = tree.byPath("/chosen");
    if (!chosen)
        return;
    for (const Property& p : chosen->properties) {
        if (p.value.empty())
            continue;
        const ValuePart& v = p.value.front();
        const Node* target = nullptr;
        std::string ref;
        if (v.kind == ValuePart::Kind::Reference)
            ref = v.text;
        else if (v.kind == ValuePart::Kind::Cells && v.cells.size() == 1)
            ref = v.cells.front().ref;
        if (!ref.empty())
            target = tree.resolve(ref);
        else if (v.kind == ValuePart::Kind::String && v.text.starts_with('/'))
            target = tree.byPath(v.text);
        if (target) {
            const auto it = labelOf.find(target);
            if (it != labelOf.end())
                setProperty(layout.properties, std::string(key::kChosenPrefix) + p.name, it->second);
        } else if (!ref.empty() && std::string_view(p.name).find("partition") != std::string_view::npos) {
            const SourceLocation w = source.locate(p.offset);
            notes.push_back({Severity::Info,
                             "dts.chosen-elsewhere",
                             w.file + ":" + std::to_string(w.line) + ": chosen " + p.name + " names &" + ref +
                                 ", a node of the board that the files read do not hold; not kept",
                             {},
                             std::nullopt});
        }
    }
}

} // namespace

int DtsImporter::sniff(std::string_view text, std::string_view fileName) const {
    int score = 0;
    if (contains(text, "/dts-v1/"))
        score = 90;
    else if (contains(text, "fixed-partitions") || contains(text, "zephyr,mapped-partition"))
        score = 80;
    else if (contains(text, "partition@") || hasReferenceBlock(text))
        score = 60;
    const Format* self = findFormat("dts");
    if (self && hasExtension(*self, fileName))
        score = std::max(score + 10, 50);
    return std::min(score, 100);
}

Result<ImportResult> DtsImporter::read(std::string_view text, const std::string& fileName,
                                       const ImportOptions& options) const {
    auto board = requestedBoard(options);
    if (!board)
        return board.error();
    auto source = preprocess(text, fileName, options);
    if (!source)
        return source.error();
    ImportResult result;
    std::vector<Diagnostic>& notes = result.notes;
    DtsTree tree;
    if (auto r =
            parseDts(*source, tree, *board ? UnknownLabels::MakeFragments : UnknownLabels::AreErrors, notes);
        !r)
        return r.error();
    auto scan = scanPartitions(tree, *source, notes);
    if (!scan)
        return scan.error();

    Layout& layout = result.layout;
    layout.platform = Platform::Zephyr;
    const Property* model = tree.root().property("model");
    layout.name = model && model->firstString() ? *model->firstString() : stemOf(fileName);
    std::map<const Node*, std::string> labelOf;
    for (const FoundPartition& f : scan->partitions) {
        layout.partitions.push_back(f.partition);
        labelOf[f.node] = f.partition.label;
    }

    // --board: what an overlay changes in nodes of the board other than flash (a partition's reg, say)
    // cannot be applied without the board's devicetree; say so rather than drop it silently.
    for (const auto& f : tree.fragments())
        if (std::find(scan->flashes.begin(), scan->flashes.end(), f.get()) == scan->flashes.end()) {
            const SourceLocation w = source->locate(f->offset);
            notes.push_back({Severity::Info,
                             "dts.fragment",
                             w.file + ":" + std::to_string(w.line) + ": &" + f->name +
                                 " changes a node of the board's devicetree, which was not read; give the "
                                 "board's .dts first and the overlay after it to apply it",
                             {},
                             std::nullopt});
        }

    std::map<const Node*, std::string> idOf;
    if (*board) {
        std::vector<DtsFlash> flashes;
        for (const Node* n : scan->flashes)
            flashes.push_back(describeFlash(*n));
        auto ids = matchBoardDevices(flashes, **board, *source, fileName, notes);
        if (!ids)
            return ids.error();
        layout.board = **board;
        layout.boardRef = (*board)->id;
        for (std::size_t k = 0; k < flashes.size(); ++k)
            idOf[scan->flashes[k]] = (*ids)[k];
    } else {
        const std::set<const Node*> holding(scan->flashes.begin(), scan->flashes.end());
        std::vector<const Node*> nodes;
        collectFlashes(tree.root(), holding, nodes);
        if (nodes.empty()) {
            Error e =
                makeError(Errc::NotFound, "no flash partitions and no flash device (fixed-partitions, "
                                          "zephyr,mapped-partition, soc-nv-flash, jedec,spi-nor...) found");
            e.where.file = fileName;
            return e;
        }
        std::set<std::string> taken;
        for (const Node* n : nodes) {
            const std::string id =
                uniqueId(n->labels.empty() ? sanitizeName(n->name) : n->labels.front(), taken);
            taken.insert(id);
            idOf[n] = id;
        }
        Board& b = layout.board;
        const auto compatibles = tree.root().compatibles();
        const std::string compatible = compatibles.empty() ? std::string() : compatibles.front();
        const auto comma = compatible.find(',');
        b.id = compatible.empty()
                   ? sanitizeName(stemOf(fileName))
                   : sanitizeName(comma == std::string::npos ? compatible : compatible.substr(comma + 1));
        b.name = model && model->firstString() ? *model->firstString() : b.id;
        if (comma != std::string::npos)
            b.vendor = compatible.substr(0, comma);
        for (const Node* n : nodes) {
            std::vector<Partition> on;
            std::vector<std::size_t> indexes;
            for (std::size_t k = 0; k < scan->partitions.size(); ++k)
                if (scan->partitions[k].flash == n) {
                    on.push_back(scan->partitions[k].partition);
                    indexes.push_back(k);
                }
            b.devices.push_back(buildDevice(describeFlash(*n), idOf[n], on, indexes, fileName, notes));
        }
    }

    for (std::size_t k = 0; k < scan->partitions.size(); ++k) {
        Partition& p = layout.partitions[k];
        p.device = idOf[scan->partitions[k].flash];
        const FlashDevice* d = layout.board.device(p.device);
        if (*board && d && !rangeWithin(p.offset, p.size, d->size()))
            notes.push_back({Severity::Warning,
                             "dts.partition-outside-device",
                             fileName + ": " + p.label + " (" + formatHex(p.offset) + " + " +
                                 formatHex(p.size) + ") reaches past the end of " + d->id + " (" +
                                 formatSize(d->size()) + ") of " + layout.boardRef + "; kept as written",
                             {k},
                             std::nullopt});
    }
    for (const auto& [node, id] : idOf)
        if (const std::string ref = referenceTo(*node); ref != "&" + id)
            setProperty(layout.properties, std::string(key::kFlashPrefix) + id, ref);
    // dts.flash.* in device order, so that the properties do not depend on pointer order.
    std::stable_sort(layout.properties.begin(), layout.properties.end(), [&](const auto& a, const auto& b) {
        const auto rank = [&](const std::string& k) -> std::size_t {
            for (std::size_t i = 0; i < layout.board.devices.size(); ++i)
                if (k == std::string(key::kFlashPrefix) + layout.board.devices[i].id)
                    return i;
            return layout.board.devices.size();
        };
        return rank(a.first) < rank(b.first);
    });
    readChosen(tree, labelOf, layout, *source, notes);
    return result;
}

} // namespace flashplan
