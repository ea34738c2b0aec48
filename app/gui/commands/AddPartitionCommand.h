// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "model/Partition.h"

#include <QUndoCommand>

namespace flashplan::gui {

class LayoutDocument;

/// Appends a partition (the next flash_area id) and selects it; undo removes it again.
class AddPartitionCommand : public QUndoCommand {
public:
    AddPartitionCommand(LayoutDocument* document, Partition partition, const QString& text);
    void redo() override;
    void undo() override;

private:
    LayoutDocument* document_;
    Partition partition_;
    std::size_t index_ = 0;
};

} // namespace flashplan::gui
