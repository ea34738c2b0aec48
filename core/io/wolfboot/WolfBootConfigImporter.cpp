// SPDX-License-Identifier: Apache-2.0
#include "io/wolfboot/WolfBootConfigImporter.h"

#include "io/wolfboot/ConfigFlags.h"
#include "io/wolfboot/MakeVariables.h"
#include "io/wolfboot/WolfBootNames.h"
#include "io/wolfboot/WolfBootPlacement.h"
#include "util/Numbers.h"

#include <set>

namespace flashplan {

using namespace wolfboot;

namespace {

Error variableError(const MakeVariable& v, const std::string& fileName, Errc code, std::string message) {
    Error e = makeError(code, std::move(message));
    e.where.file = fileName;
    e.where.line = v.line;
    e.field = v.name;
    return e;
}

Result<std::uint64_t> numberOf(const MakeVariable& v, const std::string& fileName) {
    auto n = parseNumber(v.value);
    if (!n)
        return variableError(v, fileName, Errc::Parse, n.error().message);
    return n;
}

/// True for a line a make fragment of assignments may hold: blank, comment, or NAME op VALUE.
bool looksLikeAssignment(std::string_view line) {
    while (!line.empty() && (line.front() == ' ' || line.front() == '\t'))
        line.remove_prefix(1);
    if (line.empty() || line.front() == '#')
        return true;
    const auto eq = line.find('=');
    if (eq == std::string_view::npos || eq == 0)
        return false;
    for (char c : line.substr(0, eq))
        if (c == ' ' || c == '\t' || c == '(' || c == '$' || c == '"')
            return c == ' ' || c == '\t'; // "NAME = value" is fine, "ifeq (" or "$(x)=" is not
    return true;
}

} // namespace

int WolfBootConfigImporter::sniff(std::string_view text, std::string_view fileName) const {
    // Read the head only: a .config is a few hundred lines, and sniffing must stay cheap on large files.
    std::string_view head = text.substr(0, 64 * 1024);
    int assignments = 0;
    bool wolfBootNames = false;
    bool continued = false; // the line before ended in a backslash: this one belongs to it
    while (!head.empty()) {
        const auto nl = head.find('\n');
        std::string_view line = head.substr(0, nl);
        head.remove_prefix(nl == std::string_view::npos ? head.size() : nl + 1);
        if (!line.empty() && line.back() == '\r')
            line.remove_suffix(1);
        const bool wasContinued = continued;
        continued = !line.empty() && line.back() == '\\';
        if (wasContinued)
            continue;
        if (!looksLikeAssignment(line))
            return 0;
        if (line.find('=') != std::string_view::npos && line.find_first_not_of(" \t") != line.find('#')) {
            ++assignments;
            wolfBootNames = wolfBootNames || line.starts_with("WOLFBOOT_") || line.starts_with("TARGET");
        }
    }
    if (assignments == 0)
        return 0;
    if (wolfBootNames)
        return 90;
    return fileName.ends_with(".config") ? 30 : 5; // a make fragment, maybe not wolfBoot's
}

namespace {

/// What the .config says of its partitions, and which variables that used up.
struct ConfigReading {
    PartitionSpec spec;
    std::set<std::string, std::less<>> represented; ///< variables the layout holds other than as properties
    std::vector<Diagnostic> notes;
};

Diagnostic infoAt(const std::string& fileName, const MakeVariable& v, const char* rule,
                  const std::string& text) {
    return {Severity::Info, rule, fileName + ":" + std::to_string(v.line) + ": " + text, {}, std::nullopt};
}

/// The BOOT, UPDATE and SWAP areas from their address variables and sizes.
Result<void> readAreas(const MakeVariables& vars, const ExternalFlags& ext, const std::string& fileName,
                       ConfigReading& r) {
    const MakeVariable* partitionSize = vars.find(kPartitionSize);
    const MakeVariable* sectorSize = vars.find(kSectorSize);
    for (const NamedArea& area : kNamedAreas) {
        const MakeVariable* address = vars.find(area.addressName);
        if (!address)
            continue;
        auto a = numberOf(*address, fileName);
        if (!a)
            return a.error();
        if (area.kind == AreaKind::Swap && *a == kNoPartitionAddress) {
            r.notes.push_back(infoAt(fileName, *address, "import.wolfboot-no-swap",
                                     "WOLFBOOT_PARTITION_SWAP_ADDRESS is 0xFFFFFFFF: no swap partition (as "
                                     "dual-bank targets have it)"));
            continue;
        }
        const bool isSwap = area.kind == AreaKind::Swap;
        const MakeVariable* sizeVar = isSwap ? sectorSize : partitionSize;
        if (!sizeVar)
            return variableError(*address, fileName, Errc::Schema,
                                 std::string(isSwap ? kSectorSize : kPartitionSize) + " is not set, so the " +
                                     std::string(labelOf(area.kind)) + " partition at " + address->value +
                                     " has no size");
        auto size = numberOf(*sizeVar, fileName);
        if (!size)
            return size.error();
        AreaSpec s;
        s.kind = area.kind;
        s.address = *a;
        s.size = *size;
        s.external = area.kind == AreaKind::Boot     ? ext.boot
                     : area.kind == AreaKind::Update ? ext.update
                                                     : ext.swap;
        s.line = address->line;
        s.field = address->name;
        r.spec.areas.push_back(s);
        r.represented.insert(address->name);
        r.represented.insert(sizeVar->name);
    }
    if (!r.spec.areas.empty())
        r.represented.insert(std::string(kExtFlash)); // the exporter writes it from the partitions
    return {};
}

} // namespace

Result<ImportResult> WolfBootConfigImporter::read(std::string_view text, const std::string& fileName,
                                                  const ImportOptions& options) const {
    auto vars = MakeVariables::evaluate(text, fileName);
    if (!vars)
        return vars.error();

    ConfigReading r;
    if (const MakeVariable* t = vars->find(kTarget))
        r.spec.target = t->value;
    if (const MakeVariable* ss = vars->find(kSectorSize)) {
        auto v = numberOf(*ss, fileName);
        if (!v)
            return v.error();
        r.spec.sectorSize = *v;
        r.represented.insert(ss->name);
    }
    const ExternalFlags ext = externalFlags([&](std::string_view name) -> const std::string* {
        const MakeVariable* v = vars->find(name);
        return v ? &v->value : nullptr;
    });
    r.spec.externalKind = ext.kind;
    const MakeVariable* noPartitions = vars->find(kNoPartitions);
    if (noPartitions && noPartitions->value == "1") {
        r.notes.push_back(
            infoAt(fileName, *noPartitions, "import.wolfboot-no-partitions",
                   "WOLFBOOT_NO_PARTITIONS=1: wolfBoot uses no fixed partitions on this target (it "
                   "loads from a disk or by partition number), so the partition addresses are "
                   "kept as variables, not placed"));
    } else if (auto areas = readAreas(*vars, ext, fileName, r); !areas) {
        return areas.error();
    }

    auto placed = placePartitions(r.spec, options, fileName);
    if (!placed)
        return placed.error();
    ImportResult out = std::move(*placed);
    out.notes.insert(out.notes.begin(), r.notes.begin(), r.notes.end());
    out.layout.name = r.spec.target.empty() ? "wolfBoot" : "wolfBoot " + r.spec.target;
    out.layout.platform = Platform::Wolfboot;
    for (const MakeVariable& v : vars->variables())
        if (!r.represented.count(v.name))
            out.layout.properties.emplace_back(std::string(kPropertyPrefix) + v.name, v.value);
    return out;
}

} // namespace flashplan
