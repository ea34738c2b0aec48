// SPDX-License-Identifier: Apache-2.0
#include "rules/PlatformFacts.h"

#include "model/Platform.h"

#include <algorithm>

namespace flashplan {

namespace {

/// The names of a pm.span / pm.inside property as the importer keeps it: "[a, b]" or "a".
std::vector<std::string> pmNames(const Partition& p, std::string_view key) {
    std::vector<std::string> out;
    const std::string* text = findProperty(p.properties, key);
    if (!text)
        return out;
    std::string name;
    const auto flush = [&] {
        if (!name.empty())
            out.push_back(std::move(name));
        name.clear();
    };
    for (const char c : *text) {
        if (c == ',' || c == '[' || c == ']' || c == ' ' || c == '\t' || c == '\'' || c == '"')
            flush();
        else
            name += c;
    }
    flush();
    return out;
}

/// pmSpans with a bound on the walk, so that a span cycle in a file ends it.
bool spans(const Layout& layout, const Partition& c, const Partition& p, std::size_t depth) {
    if (depth > layout.partitions.size() || !isPmContainer(c))
        return false;
    for (const std::string& name : pmNames(c, "pm.span")) {
        if (name == p.label)
            return true;
        const int i = layout.indexOf(name);
        if (i >= 0 && spans(layout, layout.partitions[static_cast<std::size_t>(i)], p, depth + 1))
            return true;
    }
    // `inside: [x]` adds p to x's span.
    for (const std::string& name : pmNames(p, "pm.inside")) {
        if (name == c.label)
            return true;
        const int i = layout.indexOf(name);
        if (i >= 0 && spans(layout, c, layout.partitions[static_cast<std::size_t>(i)], depth + 1))
            return true;
    }
    return false;
}

bool isImageOrData(PartitionRole role) {
    switch (role) {
    case PartitionRole::Slot0:
    case PartitionRole::Slot1:
    case PartitionRole::Scratch:
    case PartitionRole::Swap:
    case PartitionRole::Storage:
        return true;
    default:
        return false;
    }
}

} // namespace

bool isPmContainer(const Partition& p) {
    return findProperty(p.properties, "pm.span") != nullptr;
}

bool pmSpans(const Layout& layout, const Partition& c, const Partition& p) {
    return spans(layout, c, p, 0);
}

bool isPmFreeSpace(const Layout& layout, const Partition& p) {
    const std::string* region = findProperty(layout.properties, "pm.region." + p.device);
    return region && *region == p.label;
}

std::string pmSharedByDesign(const Layout& layout, std::size_t a, std::size_t b) {
    const Partition &pa = layout.partitions[a], &pb = layout.partitions[b];
    if (isPmContainer(pa) && isPmContainer(pb))
        return "both are Partition Manager containers, which group what they span";
    if (pmSpans(layout, pa, pb))
        return pa.label + " is a container that spans " + pb.label;
    if (pmSpans(layout, pb, pa))
        return pb.label + " is a container that spans " + pa.label;
    return {};
}

bool erasedOnItsOwn(const Partition& p) {
    if (isImageOrData(p.role))
        return true;
    const std::string* compatible = findProperty(p.properties, "dts.prop.compatible");
    const bool linkerRegion = compatible && compatible->find("zephyr,memory-region") != std::string::npos;
    return !p.readOnly && !linkerRegion;
}

} // namespace flashplan
