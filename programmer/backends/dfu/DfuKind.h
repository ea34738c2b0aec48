// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "BackendKind.h"

namespace flashplan::programmer {

/// The dfu kind: the DfuBackend, its device and alt setting, and the DFU devices on the bus.
const BackendKind& dfuKind();

} // namespace flashplan::programmer
