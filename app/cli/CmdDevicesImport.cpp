// SPDX-License-Identifier: Apache-2.0
// flashplan-cli devices import <pack>: a CMSIS-Pack's parts as board files in the user's device folder.
#include "cli/CliContext.h"
#include "db/UserDeviceFolder.h"
#include "io/cmsis/PackFolder.h"

#include <cstdlib>
#include <map>
#include <ostream>

namespace flashplan::cli {

namespace {

nlohmann::ordered_json noteJson(const Diagnostic& d) {
    return {{"severity", std::string(to_string(d.severity))}, {"rule", d.rule}, {"message", d.message}};
}

} // namespace

int runDevicesImport(CliContext& ctx) {
    if (ctx.args.size() != 2)
        return ctx.usage("devices import takes one .pdsc file or unpacked CMSIS-Pack folder");
    const std::filesystem::path folder = userDeviceFolder(std::getenv("XDG_DATA_HOME"), std::getenv("HOME"));
    if (folder.empty())
        return ctx.fail(
            makeError(Errc::NotFound, "no user device folder: neither XDG_DATA_HOME nor HOME is set"));
    auto imported = cmsis::importPackFrom(ctx.args[1], ctx.db.boards());
    if (!imported)
        return ctx.fail(imported.error());
    if (imported->boards.empty())
        return ctx.fail(makeError(Errc::NotFound, ctx.args[1] +
                                                      ": no part of the pack has flash Flashplan can "
                                                      "lay out; nothing written"));
    const BoardSource& pack = *imported->boards.front().source;
    const std::filesystem::path file = userPackFile(folder, pack.vendor, pack.pack);
    if (auto r = writeUserBoards(file, imported->boards); !r)
        return ctx.fail(r.error());

    if (ctx.json) {
        nlohmann::ordered_json boards = nlohmann::ordered_json::array(),
                               notes = nlohmann::ordered_json::array();
        for (const Board& b : imported->boards)
            boards.push_back(b.id);
        for (const Diagnostic& d : imported->notes)
            notes.push_back(noteJson(d));
        ctx.printJson({{"file", file.string()},
                       {"pack", {{"vendor", pack.vendor}, {"name", pack.pack}, {"version", pack.version}}},
                       {"boards", boards},
                       {"notes", notes}});
        return kExitOk;
    }
    // Warnings in full; infos (one per part and decision, thousands in a family pack) counted by rule
    // with the first as an example.
    std::map<std::string, std::pair<std::size_t, const Diagnostic*>> infos;
    for (const Diagnostic& d : imported->notes) {
        if (d.severity != Severity::Info) {
            ctx.err << to_string(d.severity) << ": [" << d.rule << "] " << d.message << '\n';
            continue;
        }
        auto& [count, first] = infos[d.rule];
        if (count++ == 0)
            first = &d;
    }
    for (const auto& [rule, entry] : infos)
        ctx.err << "info: [" << rule << "] " << entry.first << " note" << (entry.first == 1 ? "" : "s")
                << (entry.first == 1 ? ": " : ", the first: ") << entry.second->message << '\n';
    ctx.out << "wrote " << imported->boards.size() << " board" << (imported->boards.size() == 1 ? "" : "s")
            << " of " << pack.vendor << " " << pack.pack << " " << pack.version << " to " << file.string()
            << "\nwrite-block sizes: a pack does not give them; boards the device database knows took the "
               "datasheet's, the others say write-block=\"unknown\"\n";
    return kExitOk;
}

} // namespace flashplan::cli
