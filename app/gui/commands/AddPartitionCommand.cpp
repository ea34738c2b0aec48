// SPDX-License-Identifier: Apache-2.0
#include "commands/AddPartitionCommand.h"

#include "document/LayoutDocument.h"

namespace flashplan::gui {

AddPartitionCommand::AddPartitionCommand(LayoutDocument* document, Partition partition, const QString& text)
    : document_(document), partition_(std::move(partition)) {
    setText(text);
}

void AddPartitionCommand::redo() {
    index_ = document_->layout().partitions.size();
    document_->insertPartition(index_, partition_);
    document_->setSelection({index_});
}

void AddPartitionCommand::undo() {
    document_->removePartition(index_);
}

} // namespace flashplan::gui
