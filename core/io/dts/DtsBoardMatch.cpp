// SPDX-License-Identifier: Apache-2.0
#include "io/dts/DtsBoardMatch.h"

#include "util/Numbers.h"

#include <algorithm>

namespace flashplan::dts {

namespace {

std::string describeDevices(const Board& board) {
    std::string s;
    for (const FlashDevice& d : board.devices)
        s += (s.empty() ? "" : "; ") + d.id + ": " + std::string(to_string(d.kind)) + " " +
             formatSize(d.size());
    return s;
}

std::string describeFlash(const DtsFlash& f) {
    std::string s = f.node->fragment ? "&" + f.node->name : f.node->path();
    if (!f.compatible.empty())
        s += " (" + f.compatible + (f.size ? ", " + formatSize(*f.size) : std::string()) + ")";
    return s;
}

} // namespace

Result<std::vector<std::string>> matchBoardDevices(const std::vector<DtsFlash>& flashes, const Board& board,
                                                   const PreprocessedSource& source,
                                                   const std::string& fileName,
                                                   std::vector<Diagnostic>& notes) {
    std::vector<std::string> ids(flashes.size());
    std::vector<bool> used(board.devices.size(), false);
    const auto take = [&](std::size_t flash, std::size_t device) {
        ids[flash] = board.devices[device].id;
        used[device] = true;
    };

    // 1. By label: the node's label is the device's id.
    for (std::size_t f = 0; f < flashes.size(); ++f)
        for (std::size_t d = 0; d < board.devices.size() && ids[f].empty(); ++d)
            if (!used[d])
                for (const std::string& l : flashes[f].node->labels)
                    if (l == board.devices[d].id) {
                        take(f, d);
                        break;
                    }

    // 2. By kind and size, then by internal/external alone: only when exactly one free device fits, so that
    // a guess never picks between two.
    const auto single = [&](std::size_t f, auto&& fits) -> int {
        int found = -1;
        for (std::size_t d = 0; d < board.devices.size(); ++d)
            if (!used[d] && fits(flashes[f], board.devices[d])) {
                if (found >= 0)
                    return -2;
                found = static_cast<int>(d);
            }
        return found;
    };
    for (std::size_t f = 0; f < flashes.size(); ++f) {
        if (!ids[f].empty() || !flashes[f].kind)
            continue;
        int d = single(f, [](const DtsFlash& fl, const FlashDevice& dev) {
            return *fl.kind == dev.kind && fl.size && *fl.size == dev.size();
        });
        if (d < 0)
            d = single(f, [](const DtsFlash& fl, const FlashDevice& dev) {
                return isExternal(*fl.kind) == isExternal(dev.kind);
            });
        if (d >= 0)
            take(f, static_cast<std::size_t>(d));
    }

    for (std::size_t f = 0; f < flashes.size(); ++f) {
        const DtsFlash& fl = flashes[f];
        if (ids[f].empty()) {
            Error e = makeError(Errc::NotFound,
                                "flash node " + describeFlash(fl) + " matches no flash device of board " +
                                    board.id + " (" + describeDevices(board) +
                                    "); name the node after the device, or leave out --board");
            e.where = source.locate(fl.node->offset);
            e.field = "--board";
            return e;
        }
        const FlashDevice* dev = board.device(ids[f]);
        if (fl.size && dev && *fl.size != dev->size())
            notes.push_back({Severity::Warning,
                             "dts.board-size-mismatch",
                             fileName + ": " + describeFlash(fl) + " is " + formatSize(*fl.size) + ", but " +
                                 board.id + "'s " + dev->id + " is " + formatSize(dev->size()) +
                                 "; the board's geometry is used",
                             {},
                             std::nullopt});
    }
    return ids;
}

} // namespace flashplan::dts
