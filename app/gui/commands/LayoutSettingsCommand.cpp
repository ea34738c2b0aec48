// SPDX-License-Identifier: Apache-2.0
#include "commands/LayoutSettingsCommand.h"

namespace flashplan::gui {

LayoutSettingsCommand::LayoutSettingsCommand(LayoutDocument* document, LayoutSettings after,
                                             const QString& text)
    : document_(document), before_(document->settings()), after_(std::move(after)) {
    setText(text);
}

void LayoutSettingsCommand::redo() {
    document_->setSettings(after_);
}

void LayoutSettingsCommand::undo() {
    document_->setSettings(before_);
}

} // namespace flashplan::gui
