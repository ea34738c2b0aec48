// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "util/Result.h"

#include <chrono>
#include <cstdint>
#include <span>

namespace flashplan::usb {

/// The 8-byte setup packet of a control transfer, less wLength (the data span gives it).
struct ControlSetup {
    std::uint8_t requestType = 0;
    std::uint8_t request = 0;
    std::uint16_t value = 0;
    std::uint16_t index = 0;
};

/// How a control transfer ended when the bus itself worked: bytes moved, or a STALL, which for a
/// device class is an answer (DFU: "request not valid in this state"), not a failure of the link.
struct ControlResult {
    std::size_t length = 0;
    bool stalled = false;
};

/// Control transfers on endpoint 0 of one device. A real device is a UsbHandle; tests put an emulated
/// device model behind the same interface. Errors: Errc::NoDevice when the device is gone,
/// Errc::Timeout when it did not answer within `timeout`, Errc::Io for any other transfer failure.
class ControlPipe {
public:
    virtual ~ControlPipe() = default;
    /// Device-to-host: up to data.size() bytes into `data`.
    virtual Result<ControlResult> controlIn(const ControlSetup& setup, std::span<std::uint8_t> data,
                                            std::chrono::milliseconds timeout) = 0;
    /// Host-to-device: all of `data` (possibly none).
    virtual Result<ControlResult> controlOut(const ControlSetup& setup, std::span<const std::uint8_t> data,
                                             std::chrono::milliseconds timeout) = 0;
};

} // namespace flashplan::usb
