// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "BackendKind.h"

namespace flashplan::programmer {

/// The sim kind: the SimulatorBackend and its one option, the folder of the device files.
const BackendKind& simulatorKind();

} // namespace flashplan::programmer
