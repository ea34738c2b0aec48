// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "model/Partition.h"

#include <QUndoCommand>

#include <cstddef>
#include <vector>

namespace flashplan::gui {

class LayoutDocument;

/// One partition's value before and after an edit, by index in Layout::partitions.
struct PartitionChange {
    std::size_t index = 0;
    Partition before;
    Partition after;
};

/// Replaces partitions by index: the command behind a move, a resize, a table or properties edit and a
/// diagnostic's fix. It keeps whole Partition values, so undo restores exactly what was there, and refers
/// to partitions by index, never by scene item, so it survives the view being rebuilt.
class EditPartitionsCommand : public QUndoCommand {
public:
    /// `mergeId` -1: a step of its own; otherwise consecutive commands with the same id and the same
    /// partitions merge into one (arrow-key nudges).
    EditPartitionsCommand(LayoutDocument* document, std::vector<PartitionChange> changes, const QString& text,
                          int mergeId = -1);

    void redo() override;
    void undo() override;
    int id() const override { return mergeId_; }
    bool mergeWith(const QUndoCommand* other) override;

private:
    LayoutDocument* document_;
    std::vector<PartitionChange> changes_;
    int mergeId_;
};

} // namespace flashplan::gui
