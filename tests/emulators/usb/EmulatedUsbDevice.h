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
/// transfers on the endpoints its configuration descriptor declares (a control-only device, such as a
/// DFU device, declares none and keeps the bulk defaults). The bus calls it on umockdev's worker thread;
/// an implementation takes its own lock if tests look at it meanwhile.
class EmulatedUsbDevice {
public:
    virtual ~EmulatedUsbDevice() = default;

    /// The device descriptor followed by the whole configuration descriptor (the sysfs `descriptors`),
    /// as the device is now (the bus reads it again when the device re-enumerates).
    virtual std::vector<std::uint8_t> descriptors() const = 0;
    /// The link speed in Mbit/s as sysfs says it: 12 (full speed) or 480 (high speed).
    virtual unsigned speedMbps() const = 0;

    struct ControlReply {
        bool stall = false;
        bool gone = false; ///< the device dropped off the bus before answering (the URB ends with -ENODEV)
        std::vector<std::uint8_t> data; ///< an IN data stage; the bus cuts it to the setup's length
    };
    /// One control transfer; `out` holds an OUT data stage. It may block (a test's hold): the bus serves
    /// nothing else meanwhile, as a device that does not answer holds up its host's requests.
    virtual ControlReply control(const UsbSetup& setup, std::span<const std::uint8_t> out) = 0;

    /// One bulk OUT transfer on `endpoint` (0x01...); false stalls it. The bus passes only endpoints the
    /// descriptors declare.
    virtual bool bulkOut(std::uint8_t /*endpoint*/, std::span<const std::uint8_t> /*data*/) { return false; }
    /// The next bulk IN transfer of `endpoint` (0x81...), at most `length` bytes; nullopt while the device
    /// has nothing to send (the host's request stays pending, as a NAKed one does on the wire).
    virtual std::optional<std::vector<std::uint8_t>> bulkIn(std::uint8_t /*endpoint*/,
                                                            std::size_t /*length*/) {
        return std::nullopt;
    }

    /// usbfs's SETINTERFACE (the kernel sends SET_INTERFACE itself, not as the client's control
    /// transfer); false fails the ioctl with EINVAL, as the kernel does for an alt setting that is not
    /// there.
    virtual bool setInterface(std::uint8_t /*interface*/, std::uint8_t /*alt*/) { return true; }
    /// usbfs's RESET: a USB port reset.
    virtual void portReset() {}

    /// True once the device has dropped off the bus (a fault a test asked for, or new firmware that
    /// runs): the bus removes it, and every later request on it fails with ENODEV, as on Linux.
    virtual bool vanished() const = 0;
    /// True while the device wants to leave the bus and come back as another device on the same port (a
    /// DFU run-time device after DFU_DETACH): the bus asks after each request, and once the reply has
    /// gone out removes it, calls reenumerate() and adds it again at a new address.
    virtual bool reenumerating() const { return false; }
    /// Called while the device is off the bus on its way back: from here on it is the device it comes back
    /// as (descriptors() included).
    virtual void reenumerate() {}
};

/// A USB string descriptor (UTF-16LE, ASCII text here).
std::vector<std::uint8_t> usbStringDescriptor(const std::string& text);

} // namespace flashplan::emu
