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
    if (line.empty() || line.front() == '#' || line == "\r")
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
    while (!head.empty()) {
        const auto nl = head.find('\n');
        const std::string_view line = head.substr(0, nl);
        head.remove_prefix(nl == std::string_view::npos ? head.size() : nl + 1);
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

Result<ImportResult> WolfBootConfigImporter::read(std::string_view text, const std::string& fileName,
                                                  const ImportOptions& options) const {
    auto vars = MakeVariables::evaluate(text, fileName);
    if (!vars)
        return vars.error();
    const auto find = [&](std::string_view name) { return vars->find(name); };
    const auto valueOf = [&](std::string_view name) -> const std::string* {
        const MakeVariable* v = vars->find(name);
        return v ? &v->value : nullptr;
    };

    PartitionSpec spec;
    std::set<std::string, std::less<>> represented; // variables the layout holds in other ways
    std::vector<Diagnostic> notes;
    if (const MakeVariable* t = find(kTarget))
        spec.target = t->value;
    if (const MakeVariable* ss = find(kSectorSize)) {
        auto v = numberOf(*ss, fileName);
        if (!v)
            return v.error();
        spec.sectorSize = *v;
        represented.insert(ss->name);
    }

    const ExternalFlags ext = externalFlags(valueOf);
    spec.externalKind = ext.kind;
    const MakeVariable* noPartitions = find(kNoPartitions);
    if (noPartitions && noPartitions->value == "1") {
        notes.push_back(
            {Severity::Info,
             "import.wolfboot-no-partitions",
             fileName + ":" + std::to_string(noPartitions->line) +
                 ": WOLFBOOT_NO_PARTITIONS=1: wolfBoot uses no fixed partitions on this target (it "
                 "loads from a disk or by partition number), so the partition addresses are kept "
                 "as variables, not placed",
             {},
             std::nullopt});
    } else {
        const MakeVariable* partitionSize = find(kPartitionSize);
        const MakeVariable* sectorSize = find(kSectorSize);
        for (const NamedArea& area : kNamedAreas) {
            const MakeVariable* address = find(area.addressName);
            if (!address)
                continue;
            auto a = numberOf(*address, fileName);
            if (!a)
                return a.error();
            if (area.kind == AreaKind::Swap && *a == kNoPartitionAddress) {
                notes.push_back({Severity::Info,
                                 "import.wolfboot-no-swap",
                                 fileName + ":" + std::to_string(address->line) +
                                     ": WOLFBOOT_PARTITION_SWAP_ADDRESS is 0xFFFFFFFF: no swap partition (as "
                                     "dual-bank targets have it)",
                                 {},
                                 std::nullopt});
                continue;
            }
            const MakeVariable* sizeVar = area.kind == AreaKind::Swap ? sectorSize : partitionSize;
            if (!sizeVar)
                return variableError(*address, fileName, Errc::Schema,
                                     std::string(area.kind == AreaKind::Swap ? kSectorSize : kPartitionSize) +
                                         " is not set, so the " + std::string(labelOf(area.kind)) +
                                         " partition at " + address->value + " has no size");
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
            spec.areas.push_back(s);
            represented.insert(address->name);
            represented.insert(sizeVar->name);
        }
        if (!spec.areas.empty())
            represented.insert(std::string(kExtFlash)); // the exporter writes it from the partitions
    }

    auto placed = placePartitions(spec, options, fileName);
    if (!placed)
        return placed.error();
    ImportResult out = std::move(*placed);
    out.notes.insert(out.notes.begin(), notes.begin(), notes.end());
    out.layout.name = spec.target.empty() ? "wolfBoot" : "wolfBoot " + spec.target;
    for (const MakeVariable& v : vars->variables())
        if (!represented.count(v.name))
            out.layout.properties.emplace_back(std::string(kPropertyPrefix) + v.name, v.value);
    return out;
}

} // namespace flashplan
