// SPDX-License-Identifier: Apache-2.0
#include "io/LayoutFile.h"

#include "io/BoardXml.h"
#include "io/TextFile.h"
#include "io/XmlDocument.h"
#include "util/Numbers.h"

#include <algorithm>
#include <sstream>

namespace flashplan::LayoutFile {

namespace {

Result<void> readBoard(const XmlDocument& doc, pugi::xml_node n, const BoardCatalog& db, Layout& layout) {
    if (const pugi::xml_attribute ref = n.attribute("ref")) {
        if (auto r = doc.onlyAttributes(n, {"ref"}); !r)
            return r;
        if (n.first_child())
            return doc.error(n, "ref", "a board given by reference has no content of its own");
        const Board* b = db.find(ref.value());
        if (!b)
            return doc.error(n, "ref",
                             std::string("board '") + ref.value() +
                                 "' is not in the device database (flashplan-cli devices lists them)",
                             Errc::NotFound);
        layout.board = *b;
        layout.boardRef = b->id;
        return {};
    }
    auto b = readBoardXml(doc, n);
    if (!b)
        return b.error();
    layout.board = std::move(*b);
    return {};
}

Result<void> readBootloader(const XmlDocument& doc, pugi::xml_node n, BootloaderProfile& profile) {
    if (auto r = doc.onlyAttributes(n, {"kind", "mode"}); !r)
        return r;
    if (auto r = doc.onlyChildren(n, {"setting"}); !r)
        return r;
    auto kind = doc.requiredText(n, "kind");
    if (!kind)
        return kind.error();
    profile.kind = *kind;
    profile.mode = doc.optionalText(n, "mode");
    for (const pugi::xml_node s : n.children("setting")) {
        if (auto r = doc.onlyAttributes(s, {"name", "value"}); !r)
            return r;
        auto name = doc.requiredText(s, "name");
        if (!name)
            return name.error();
        auto value = doc.requiredText(s, "value");
        if (!value)
            return value.error();
        if (profile.setting(*name))
            return doc.error(s, "name", "setting '" + *name + "' is given twice");
        profile.settings.emplace_back(*name, *value);
    }
    return {};
}

Result<void> readProperties(const XmlDocument& doc, pugi::xml_node n, Properties& properties) {
    for (const pugi::xml_node c : n.children("property")) {
        if (auto r = doc.onlyAttributes(c, {"name", "value"}); !r)
            return r;
        auto name = doc.requiredText(c, "name");
        if (!name)
            return name.error();
        auto value = doc.requiredText(c, "value");
        if (!value)
            return value.error();
        if (findProperty(properties, *name))
            return doc.error(c, "name", "property '" + *name + "' is given twice");
        properties.emplace_back(*name, *value);
    }
    return {};
}

void writeProperties(pugi::xml_node n, const Properties& properties) {
    for (const auto& [name, value] : properties) {
        pugi::xml_node c = n.append_child("property");
        c.append_attribute("name") = name.c_str();
        c.append_attribute("value") = value.c_str();
    }
}

Result<Partition> readPartition(const XmlDocument& doc, pugi::xml_node n) {
    if (auto r = doc.onlyAttributes(
            n, {"label", "device", "offset", "size", "role", "read-only", "image-index", "image", "parent"});
        !r)
        return r.error();
    if (auto r = doc.onlyChildren(n, {"property"}); !r)
        return r.error();
    Partition p;
    auto label = doc.requiredText(n, "label");
    if (!label)
        return label.error();
    p.label = *label;
    auto device = doc.requiredText(n, "device");
    if (!device)
        return device.error();
    p.device = *device;
    auto offset = doc.requiredNumber(n, "offset");
    if (!offset)
        return offset.error();
    p.offset = *offset;
    auto size = doc.requiredNumber(n, "size");
    if (!size)
        return size.error();
    p.size = *size;
    if (addOverflows(p.offset, p.size))
        return doc.error(n, "size", "offset + size does not fit in 64 bits");
    const std::string role = doc.optionalText(n, "role");
    if (!role.empty()) {
        const auto r = partitionRoleFromString(role);
        if (!r)
            return doc.error(
                n, "role",
                "'" + role +
                    "' is not a role (boot, slot0, slot1, scratch, swap, storage, reserved, custom)");
        p.role = *r;
    }
    auto ro = doc.optionalBool(n, "read-only", false);
    if (!ro)
        return ro.error();
    p.readOnly = *ro;
    auto image = doc.optionalNumber(n, "image-index");
    if (!image)
        return image.error();
    if (image->value_or(0) > 255)
        return doc.error(n, "image-index", "image indexes go from 0 to 255");
    p.imageIndex = static_cast<int>(image->value_or(0));
    p.image = doc.optionalText(n, "image");
    p.parent = doc.optionalText(n, "parent");
    if (auto r = readProperties(doc, n, p.properties); !r)
        return r.error();
    return p;
}

/// The oldest schema that holds the layout, so that a file without schema 2's additions (a platform, an
/// inferred geometry) stays readable by a Flashplan that reads schema 1.
int schemaOf(const Layout& layout) {
    const bool inferred =
        layout.boardRef.empty() && std::any_of(layout.board.devices.begin(), layout.board.devices.end(),
                                               [](const FlashDevice& d) { return d.geometryInferred; });
    return layout.platform != Platform::Generic || inferred ? 2 : 1;
}

} // namespace

Result<Layout> parse(std::string_view text, const std::string& fileName, const BoardCatalog& db) {
    auto doc = XmlDocument::parse(text, fileName);
    if (!doc)
        return doc.error();
    const pugi::xml_node root = doc->root();
    if (std::string_view(root.name()) != "flashplan-layout")
        return doc->error(root, root.name(), "expected a <flashplan-layout> document");
    if (auto r = doc->onlyAttributes(root, {"schema", "name", "platform"}); !r)
        return r.error();
    if (auto r = doc->onlyChildren(root, {"description", "board", "bootloader", "partition", "property"}); !r)
        return r.error();
    auto schema = doc->requiredNumber(root, "schema");
    if (!schema)
        return schema.error();
    if (*schema > kSchemaVersion)
        return doc->error(root, "schema",
                          "written by a newer Flashplan (schema " + std::to_string(*schema) +
                              "; this version reads up to " + std::to_string(kSchemaVersion) + ")");
    if (*schema < 1)
        return doc->error(root, "schema", "schema versions start at 1");

    Layout layout;
    layout.name = doc->optionalText(root, "name");
    layout.description = root.child("description").text().get();
    if (const std::string platform = doc->optionalText(root, "platform"); !platform.empty()) {
        const auto p = platformFromString(platform);
        if (!p)
            return doc->error(
                root, "platform",
                "'" + platform +
                    "' is not a platform (generic, zephyr, partition-manager, wolfboot, esp-idf)");
        layout.platform = *p;
    }

    const pugi::xml_node board = root.child("board");
    if (!board)
        return doc->error(root, "board", "the layout names no <board>");
    if (board.next_sibling("board"))
        return doc->error(board.next_sibling("board"), "board", "a layout has exactly one <board>");
    if (auto r = readBoard(*doc, board, db, layout); !r)
        return r.error();

    if (const pugi::xml_node bl = root.child("bootloader"))
        if (auto r = readBootloader(*doc, bl, layout.bootloader); !r)
            return r.error();

    if (auto r = readProperties(*doc, root, layout.properties); !r)
        return r.error();
    for (const pugi::xml_node n : root.children("partition")) {
        auto p = readPartition(*doc, n);
        if (!p)
            return p.error();
        layout.partitions.push_back(std::move(*p));
    }
    return layout;
}

Result<Layout> load(const std::filesystem::path& path, const BoardCatalog& db) {
    auto text = readTextFile(path);
    if (!text)
        return text.error();
    return parse(*text, path.string(), db);
}

std::string serialize(const Layout& layout) {
    pugi::xml_document doc;
    pugi::xml_node decl = doc.append_child(pugi::node_declaration);
    decl.append_attribute("version") = "1.0";
    decl.append_attribute("encoding") = "UTF-8";
    pugi::xml_node root = doc.append_child("flashplan-layout");
    root.append_attribute("schema") = schemaOf(layout);
    root.append_attribute("name") = layout.name.c_str();
    if (layout.platform != Platform::Generic)
        root.append_attribute("platform") = std::string(to_string(layout.platform)).c_str();
    if (!layout.description.empty())
        root.append_child("description").text() = layout.description.c_str();
    if (!layout.boardRef.empty())
        root.append_child("board").append_attribute("ref") = layout.boardRef.c_str();
    else
        writeBoardXml(root, layout.board);
    if (!layout.bootloader.is(BootloaderKind::None) || !layout.bootloader.settings.empty()) {
        pugi::xml_node bl = root.append_child("bootloader");
        bl.append_attribute("kind") = layout.bootloader.kind.c_str();
        if (!layout.bootloader.mode.empty())
            bl.append_attribute("mode") = layout.bootloader.mode.c_str();
        for (const auto& [name, value] : layout.bootloader.settings) {
            pugi::xml_node s = bl.append_child("setting");
            s.append_attribute("name") = name.c_str();
            s.append_attribute("value") = value.c_str();
        }
    }
    for (const Partition& p : layout.partitions) {
        pugi::xml_node n = root.append_child("partition");
        n.append_attribute("label") = p.label.c_str();
        n.append_attribute("device") = p.device.c_str();
        n.append_attribute("offset") = formatHex(p.offset).c_str();
        n.append_attribute("size") = formatHex(p.size).c_str();
        n.append_attribute("role") = std::string(to_string(p.role)).c_str();
        if (p.readOnly)
            n.append_attribute("read-only") = "true";
        if (p.imageIndex != 0)
            n.append_attribute("image-index") = p.imageIndex;
        if (!p.image.empty())
            n.append_attribute("image") = p.image.c_str();
        if (!p.parent.empty())
            n.append_attribute("parent") = p.parent.c_str();
        writeProperties(n, p.properties);
    }
    writeProperties(root, layout.properties);
    std::ostringstream out;
    doc.save(out, "  ", pugi::format_default, pugi::encoding_utf8);
    return out.str();
}

Result<void> save(const std::filesystem::path& path, const Layout& layout) {
    return writeFileAtomically(path, serialize(layout));
}

} // namespace flashplan::LayoutFile
