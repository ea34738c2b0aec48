// SPDX-License-Identifier: Apache-2.0
#pragma once

namespace flashplan::gui {

/// QUndoCommand::id() values of the commands that merge with their successor (QUndoStack calls
/// mergeWith() only for equal ids other than -1). A run of arrow-key nudges of one partition is one step.
enum CommandId {
    kNudgeCommandId = 1,
};

} // namespace flashplan::gui
