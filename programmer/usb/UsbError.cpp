// SPDX-License-Identifier: Apache-2.0
#include "usb/UsbError.h"

#include <libusb.h>

namespace flashplan::usb {

Error usbError(int libusbCode, const std::string& what) {
    const std::string name = libusb_error_name(libusbCode);
    switch (libusbCode) {
    case LIBUSB_ERROR_NO_DEVICE:
        return makeError(Errc::NoDevice, what + ": the device is gone (" + name + ")");
    case LIBUSB_ERROR_TIMEOUT:
        return makeError(Errc::Timeout, what + ": the device did not answer in time (" + name + ")");
    case LIBUSB_ERROR_ACCESS:
        return makeError(Errc::Io, what + ": permission denied (" + name +
                                       "); a udev rule must give your user access to the device");
    case LIBUSB_ERROR_BUSY:
        return makeError(Errc::Io,
                         what + ": the interface is in use by another program or driver (" + name + ")");
    default:
        return makeError(Errc::Io, what + ": " + name);
    }
}

} // namespace flashplan::usb
