// SPDX-License-Identifier: Apache-2.0
#include "commands/EditPartitionsCommand.h"

#include "document/LayoutDocument.h"

namespace flashplan::gui {

EditPartitionsCommand::EditPartitionsCommand(LayoutDocument* document, std::vector<PartitionChange> changes,
                                             const QString& text, int mergeId)
    : document_(document), changes_(std::move(changes)), mergeId_(mergeId) {
    setText(text);
}

void EditPartitionsCommand::redo() {
    for (const PartitionChange& c : changes_)
        document_->setPartition(c.index, c.after);
}

void EditPartitionsCommand::undo() {
    for (auto it = changes_.rbegin(); it != changes_.rend(); ++it)
        document_->setPartition(it->index, it->before);
}

bool EditPartitionsCommand::mergeWith(const QUndoCommand* other) {
    const auto* next = static_cast<const EditPartitionsCommand*>(other);
    if (next->changes_.size() != changes_.size())
        return false;
    for (std::size_t i = 0; i < changes_.size(); ++i)
        if (next->changes_[i].index != changes_[i].index)
            return false;
    // Keep the first "before", take the last "after": the whole run undoes in one step.
    for (std::size_t i = 0; i < changes_.size(); ++i)
        changes_[i].after = next->changes_[i].after;
    setText(next->text());
    return true;
}

} // namespace flashplan::gui
