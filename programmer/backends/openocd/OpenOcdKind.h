// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "BackendKind.h"

namespace flashplan::programmer {

/// The openocd kind: the OpenOcdBackend, its executable and configs (defaults from the board's hints).
const BackendKind& openOcdKind();

} // namespace flashplan::programmer
