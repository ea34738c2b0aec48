// SPDX-License-Identifier: Apache-2.0
#include "io/cmsis/PdscReader.h"

#include "io/XmlDocument.h"

#include <algorithm>

namespace flashplan::cmsis {

namespace {

/// What a level of the tree passes down: attributes and the elements that accumulate.
struct Inherited {
    std::string vendor, family, subFamily;
    std::vector<PdscMemory> memories;
    std::vector<PdscAlgorithm> algorithms;
};

/// Adds `item` to `list`, replacing an inherited one with the same key (a child redefines it).
template <class T, class Key>
void addOrReplace(std::vector<T>& list, T item, Key key) {
    const auto it = std::find_if(list.begin(), list.end(), [&](const T& x) { return key(x) == key(item); });
    if (it != list.end())
        *it = std::move(item);
    else
        list.push_back(std::move(item));
}

/// What a <memory> and an <algorithm> both say: where, how much, and whether it is a default.
struct Range {
    std::uint64_t start = 0, size = 0;
    bool isDefault = false;
};

Result<Range> readRange(const XmlDocument& doc, pugi::xml_node n, const std::string& what) {
    auto start = doc.requiredNumber(n, "start");
    if (!start)
        return start.error();
    auto size = doc.requiredNumber(n, "size");
    if (!size)
        return size.error();
    if (*size == 0)
        return doc.error(n, "size", what + " has size 0");
    auto isDefault = doc.optionalBool(n, "default", false);
    if (!isDefault)
        return isDefault.error();
    return Range{*start, *size, *isDefault};
}

Result<PdscMemory> readMemory(const XmlDocument& doc, pugi::xml_node n) {
    PdscMemory m;
    m.where = doc.locate(n);
    const std::string id = doc.optionalText(n, "id");
    m.name = doc.optionalText(n, "name");
    if (m.name.empty())
        m.name = id;
    if (m.name.empty())
        return doc.error(n, "name", "a <memory> needs a name (or, old style, an id)");
    m.access = doc.optionalText(n, "access");
    if (m.access.empty() && !id.empty()) {
        // The old style says it in the id: IROM1, IROM2, ROM1.. are read-only, IRAM1, RAM1.. are RAM.
        if (id.rfind("IROM", 0) == 0 || id.rfind("ROM", 0) == 0)
            m.access = "rx";
        else if (id.rfind("IRAM", 0) == 0 || id.rfind("RAM", 0) == 0)
            m.access = "rwx";
    }
    auto range = readRange(doc, n, "memory " + m.name);
    if (!range)
        return range.error();
    auto startup = doc.optionalBool(n, "startup", false);
    if (!startup)
        return startup.error();
    m.start = range->start;
    m.size = range->size;
    m.isDefault = range->isDefault;
    m.startup = *startup;
    m.alias = doc.optionalText(n, "alias");
    m.processor = doc.optionalText(n, "Pname");
    return m;
}

Result<PdscAlgorithm> readAlgorithm(const XmlDocument& doc, pugi::xml_node n) {
    PdscAlgorithm a;
    a.where = doc.locate(n);
    auto file = doc.requiredText(n, "name");
    if (!file)
        return file.error();
    a.file = *file;
    // Packs written on Windows may say CMSIS\Flash\X.FLM.
    std::replace(a.file.begin(), a.file.end(), '\\', '/');
    auto range = readRange(doc, n, "algorithm " + a.file);
    if (!range)
        return range.error();
    a.start = range->start;
    a.size = range->size;
    a.isDefault = range->isDefault;
    a.processor = doc.optionalText(n, "Pname");
    return a;
}

/// Applies one level's own attributes and elements on top of what it inherits.
Result<Inherited> descend(const XmlDocument& doc, pugi::xml_node n, Inherited in) {
    if (const std::string vendor = doc.optionalText(n, "Dvendor"); !vendor.empty())
        in.vendor = vendor.substr(0, vendor.find(':')); // "STMicroelectronics:13": the code is for tools
    for (const pugi::xml_node m : n.children("memory")) {
        auto memory = readMemory(doc, m);
        if (!memory)
            return memory.error();
        addOrReplace(in.memories, std::move(*memory), [](const PdscMemory& x) { return x.name; });
    }
    for (const pugi::xml_node a : n.children("algorithm")) {
        auto algorithm = readAlgorithm(doc, a);
        if (!algorithm)
            return algorithm.error();
        addOrReplace(in.algorithms, std::move(*algorithm), [](const PdscAlgorithm& x) { return x.file; });
    }
    return in;
}

PdscDevice makeDevice(std::string name, std::string deviceName, const Inherited& in, SourceLocation where) {
    return {std::move(name), std::move(deviceName), in.vendor,     in.family,
            in.subFamily,    in.memories,           in.algorithms, std::move(where)};
}

Result<void> readDevice(const XmlDocument& doc, pugi::xml_node n, const Inherited& parent,
                        std::vector<PdscDevice>& out) {
    auto here = descend(doc, n, parent);
    if (!here)
        return here.error();
    auto name = doc.requiredText(n, "Dname");
    if (!name)
        return name.error();
    bool hasVariants = false;
    for (const pugi::xml_node v : n.children("variant")) {
        hasVariants = true;
        auto variant = descend(doc, v, *here);
        if (!variant)
            return variant.error();
        auto variantName = doc.requiredText(v, "Dvariant");
        if (!variantName)
            return variantName.error();
        out.push_back(makeDevice(*variantName, *name, *variant, doc.locate(v)));
    }
    if (!hasVariants)
        out.push_back(makeDevice(*name, *name, *here, doc.locate(n)));
    return {};
}

} // namespace

bool PdscMemory::isFlash() const {
    return access.find('x') != std::string::npos && access.find('r') != std::string::npos &&
           access.find('w') == std::string::npos;
}

Result<PdscPack> readPdsc(std::string_view text, const std::string& fileName) {
    auto doc = XmlDocument::parse(text, fileName);
    if (!doc)
        return doc.error();
    const pugi::xml_node root = doc->root();
    if (std::string_view(root.name()) != "package")
        return doc->error(root, root.name(), "expected a CMSIS-Pack <package> description");
    PdscPack pack;
    pack.fileName = fileName;
    pack.vendor = root.child("vendor").text().get();
    pack.name = root.child("name").text().get();
    if (const pugi::xml_node release = root.child("releases").child("release"))
        pack.version = doc->optionalText(release, "version");

    for (const pugi::xml_node family : root.child("devices").children("family")) {
        Inherited top;
        top.family = doc->optionalText(family, "Dfamily");
        auto fam = descend(*doc, family, top);
        if (!fam)
            return fam.error();
        for (const pugi::xml_node child : family.children()) {
            const std::string_view kind = child.name();
            if (kind == "device") {
                if (auto r = readDevice(*doc, child, *fam, pack.devices); !r)
                    return r.error();
            } else if (kind == "subFamily") {
                Inherited subTop = *fam;
                subTop.subFamily = doc->optionalText(child, "DsubFamily");
                auto sub = descend(*doc, child, std::move(subTop));
                if (!sub)
                    return sub.error();
                for (const pugi::xml_node device : child.children("device"))
                    if (auto r = readDevice(*doc, device, *sub, pack.devices); !r)
                        return r.error();
            }
        }
    }
    return pack;
}

} // namespace flashplan::cmsis
