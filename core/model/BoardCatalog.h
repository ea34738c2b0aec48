// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "model/Board.h"

#include <string_view>

namespace flashplan {

/// Boards by id: what a file that names a board (a .flashplan `board ref`, wolfBoot's TARGET=) is
/// resolved against. The device database (db/DeviceDatabase.h) is one; the readers in io know only this,
/// so io never depends on db.
class BoardCatalog {
public:
    virtual ~BoardCatalog() = default;

    /// The board with this id, or nullptr.
    virtual const Board* find(std::string_view id) const = 0;

protected:
    BoardCatalog() = default;
    BoardCatalog(const BoardCatalog&) = default;
    BoardCatalog& operator=(const BoardCatalog&) = default;
};

} // namespace flashplan
