// SPDX-License-Identifier: Apache-2.0
// flashplan-cli devices: the boards of the device database and their flash devices (devices import:
// CmdDevicesImport.cpp).
#include "cli/CliContext.h"
#include "cli/TextTable.h"
#include "io/JsonModel.h"
#include "util/Numbers.h"

#include <ostream>

namespace flashplan::cli {

int runDevices(CliContext& ctx) {
    if (!ctx.args.empty() && ctx.args.front() == "import")
        return runDevicesImport(ctx);
    if (!ctx.args.empty())
        return ctx.usage("devices takes no argument but import <pack>; use 'info <board>' for one board");
    const auto& boards = ctx.db.boards();
    if (ctx.json) {
        nlohmann::ordered_json list = nlohmann::ordered_json::array();
        for (const Board& b : boards)
            list.push_back(toJson(b));
        ctx.printJson({{"boards", list}});
        return kExitOk;
    }
    TextTable table({"board", "name", "soc", "flash devices"});
    for (const Board& b : boards) {
        std::string flash;
        for (const FlashDevice& d : b.devices)
            flash += (flash.empty() ? "" : "; ") + d.id + " " + formatSize(d.size()) + " " +
                     std::string(to_string(d.kind)) + " (" + d.sectors.toString() + ")";
        table.add({b.id, b.name, b.soc, flash});
    }
    ctx.out << boards.size() << " boards\n";
    table.print(ctx.out);
    return kExitOk;
}

} // namespace flashplan::cli
