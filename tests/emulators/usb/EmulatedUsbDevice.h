// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace flashplan::emu {

/// The 8 bytes of a control transfer's setup stage.
struct UsbSetup {
    std::uint8_t requestType = 0;
    std::uint8_t request = 0;
    std::uint16_t value = 0;
    std::uint16_t index = 0;
    std::uint16_t length = 0;
};

/// An emulated USB device as UmockdevUsbBus serves it: control transfers on endpoint 0 and bulk
/// transfers on the endpoints its configuration descriptor declares. The bus calls it on umockdev's
/// worker thread; an implementation takes its own lock if tests look at it meanwhile.
class EmulatedUsbDevice {
public:
    virtual ~EmulatedUsbDevice() = default;

    /// The device descriptor followed by the whole configuration descriptor (the sysfs `descriptors`).
    virtual std::vector<std::uint8_t> descriptors() const = 0;
    /// The link speed in Mbit/s as sysfs says it: 12 (full speed) or 480 (high speed).
    virtual unsigned speedMbps() const = 0;

    struct ControlReply {
        bool stall = false;
        std::vector<std::uint8_t> data; ///< an IN data stage; the bus cuts it to the setup's length
    };
    /// One control transfer; `out` holds an OUT data stage.
    virtual ControlReply control(const UsbSetup& setup, std::span<const std::uint8_t> out) = 0;

    /// One bulk OUT transfer on `endpoint` (0x01...); false stalls it.
    virtual bool bulkOut(std::uint8_t endpoint, std::span<const std::uint8_t> data) = 0;
    /// The next bulk IN transfer of `endpoint` (0x81...), at most `length` bytes; nullopt while the device
    /// has nothing to send (the host's request stays pending, as a NAKed one does on the wire).
    virtual std::optional<std::vector<std::uint8_t>> bulkIn(std::uint8_t endpoint, std::size_t length) = 0;

    /// True once the device has dropped off the bus (a fault a test asked for): the bus removes it, and
    /// every later request on it fails with ENODEV, as on Linux.
    virtual bool vanished() const = 0;
};

/// A USB string descriptor (UTF-16LE, ASCII text here).
std::vector<std::uint8_t> usbStringDescriptor(const std::string& text);

} // namespace flashplan::emu
