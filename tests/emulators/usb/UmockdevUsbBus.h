// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "EmulatedUsbDevice.h"

#include <memory>
#include <string>
#include <vector>

typedef struct _UMockdevTestbed UMockdevTestbed;

namespace flashplan::emu {

/// A umockdev testbed with emulated USB devices that have bulk endpoints (a CMSIS-DAP v2 probe), which
/// real libusb in this process and its children (openocd) enumerates and talks to through usbfs ioctls.
/// Each device sits on its own root port of bus 1 (1-1, 1-2, ...). The process must run under umockdev's
/// preload library (FLASHPLAN_UMOCKDEV_TEST_MAIN); the testbed sets UMOCKDEV_DIR while it lives.
///
/// URBs as Linux handles them: a control or bulk OUT URB is carried out when submitted and is reapable
/// at once; a bulk IN URB is answered with the device's next packet, or stays pending (REAPURBNDELAY
/// answers EAGAIN) until the device has one; DISCARDURB takes a pending URB back, which is then reaped
/// with status -ENOENT (libusb's cancellation after a timeout). A device that vanishes completes its
/// pending URBs with -ESHUTDOWN, leaves the bus with a "remove" uevent, and every later ioctl on its
/// node fails with ENODEV. Requests are served on umockdev's worker thread.
///
/// (UmockdevDfuBus is the same technique for control-only DFU devices, with re-enumeration.)
class UmockdevUsbBus {
public:
    UmockdevUsbBus();
    ~UmockdevUsbBus();
    UmockdevUsbBus(const UmockdevUsbBus&) = delete;
    UmockdevUsbBus& operator=(const UmockdevUsbBus&) = delete;

    /// Plugs a device in at the next port; the bus owns it.
    template <class Device>
    Device& plug(std::unique_ptr<Device> device) {
        Device& d = *device;
        plugDevice(std::move(device));
        return d;
    }
    /// True once the device at `port` (1-based, in plug order) has left the bus.
    bool gone(std::size_t port) const;
    /// The testbed's root (UMOCKDEV_DIR).
    std::string root() const;

    struct Node;

private:
    friend struct UsbBusCallbacks;
    void plugDevice(std::unique_ptr<EmulatedUsbDevice> device);
    void vanish(Node& node);

    UMockdevTestbed* testbed_;
    std::vector<std::unique_ptr<Node>> nodes_;
};

} // namespace flashplan::emu
