// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "EmulatedUsbDevice.h"
#include "UmockdevPreload.h"

#include <atomic>
#include <memory>
#include <string>
#include <vector>

typedef struct _UMockdevTestbed UMockdevTestbed;

namespace flashplan::emu {

/// A umockdev testbed with emulated USB devices (EmulatedUsbDevice: a CMSIS-DAP v2 probe, DFU devices),
/// which real libusb in this process and its children (openocd, dfu-util, flashplan-cli) enumerates and
/// talks to through usbfs ioctls. Each device sits on its own root port of bus 1 (1-1, 1-2, ...) and gets
/// the next free address, as Linux hands them out. The process must run under umockdev's preload
/// library (FLASHPLAN_UMOCKDEV_TEST_MAIN, UmockdevPreload.h); the testbed sets UMOCKDEV_DIR for itself
/// and its children while it lives.
///
/// URBs as Linux handles them: a control or bulk OUT URB is carried out when submitted and is reapable
/// at once; a bulk IN URB is answered with the device's next packet, or stays pending (REAPURBNDELAY
/// answers EAGAIN) until the device has one; DISCARDURB takes a pending URB back, which is then reaped
/// with status -ENOENT (libusb's cancellation after a timeout). A URB to an endpoint the descriptors do
/// not declare fails with ENOENT.
///
/// The bus carries out what a device asks for. A device that vanishes (a fault, DfuSe leave, a reset
/// into new firmware) completes its pending URBs with -ESHUTDOWN, leaves the bus with a "remove" uevent,
/// and every later ioctl on its node but reaping what had completed fails with ENODEV. A device that
/// re-enumerates (a detached DFU run-time device) leaves the same way and comes back on the same port
/// at a new address with an "add" uevent, so libusb's hotplug sees both. Requests are served on
/// umockdev's worker thread.
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
    /// True once the device at `port` (1-based, in plug order) has left the bus for good.
    bool gone(std::size_t port) const;
    /// The device's bus path ("1-1"), the same across re-enumerations, and its current address.
    std::string path(std::size_t port) const;
    int address(std::size_t port) const;
    /// The testbed's root (UMOCKDEV_DIR).
    std::string root() const;

    struct Node;
    struct Port;

private:
    friend struct UsbBusCallbacks;
    void plugDevice(std::unique_ptr<EmulatedUsbDevice> device);
    void attach(Port& port);
    void vanish(Port& port);
    void reenumerate(Port& port);

    UMockdevTestbed* testbed_;
    std::atomic<int> nextAddress_{2}; ///< 1 is the root hub's
    std::atomic<int> scheduled_{0};   ///< re-enumerations still to run on the worker thread
    std::vector<std::unique_ptr<Port>> ports_;
};

} // namespace flashplan::emu
