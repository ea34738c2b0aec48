// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "model/Partition.h"

#include <QUndoCommand>

#include <cstddef>
#include <utility>
#include <vector>

namespace flashplan::gui {

class LayoutDocument;

/// Deletes partitions; undo puts each back at its old index, so flash_area ids come back as they were.
class RemovePartitionsCommand : public QUndoCommand {
public:
    RemovePartitionsCommand(LayoutDocument* document, std::vector<std::size_t> indices, const QString& text);
    void redo() override;
    void undo() override;

private:
    LayoutDocument* document_;
    std::vector<std::pair<std::size_t, Partition>> removed_; // ascending index
};

} // namespace flashplan::gui
