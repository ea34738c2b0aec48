// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "document/LayoutDocument.h"

#include <QUndoCommand>

namespace flashplan::gui {

/// Replaces the layout's name, description and bootloader (profile and settings) as a whole.
class LayoutSettingsCommand : public QUndoCommand {
public:
    LayoutSettingsCommand(LayoutDocument* document, LayoutSettings after, const QString& text);
    void redo() override;
    void undo() override;

private:
    LayoutDocument* document_;
    LayoutSettings before_;
    LayoutSettings after_;
};

} // namespace flashplan::gui
