// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "io/XmlDocument.h"
#include "model/Board.h"

namespace flashplan {

/// Reads a <board> element (the device database's and an inline board in a .flashplan file share this
/// form; schema in resources/devices/README.md). Checks what a sector map can get wrong: the sum of
/// the sector runs against the declared size, sector sizes against the write-block size, device ids.
Result<Board> readBoardXml(const XmlDocument& doc, pugi::xml_node boardNode);

/// Writes `board` as a <board> element under `parent`.
void writeBoardXml(pugi::xml_node parent, const Board& board);

} // namespace flashplan
