// SPDX-License-Identifier: Apache-2.0
#include "commands/RemovePartitionsCommand.h"

#include "document/LayoutDocument.h"

#include <algorithm>

namespace flashplan::gui {

RemovePartitionsCommand::RemovePartitionsCommand(LayoutDocument* document, std::vector<std::size_t> indices,
                                                 const QString& text)
    : document_(document) {
    std::sort(indices.begin(), indices.end());
    indices.erase(std::unique(indices.begin(), indices.end()), indices.end());
    for (std::size_t i : indices)
        if (i < document->layout().partitions.size())
            removed_.emplace_back(i, document->layout().partitions[i]);
    setText(text);
}

void RemovePartitionsCommand::redo() {
    // Highest index first, so the lower indexes still name the partitions they named.
    for (auto it = removed_.rbegin(); it != removed_.rend(); ++it)
        document_->removePartition(it->first);
}

void RemovePartitionsCommand::undo() {
    std::vector<std::size_t> restored;
    for (const auto& [index, partition] : removed_) {
        document_->insertPartition(index, partition);
        restored.push_back(index);
    }
    document_->setSelection(std::move(restored));
}

} // namespace flashplan::gui
