// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "util/Error.h"

#include <string>

namespace flashplan::usb {

/// A libusb error code as the core's Error: LIBUSB_ERROR_NO_DEVICE -> Errc::NoDevice, TIMEOUT ->
/// Errc::Timeout, ACCESS -> Errc::Io with a hint about permissions, the rest -> Errc::Io. `what` says
/// which call failed ("open 0483:df11 at 1-1").
Error usbError(int libusbCode, const std::string& what);

} // namespace flashplan::usb
