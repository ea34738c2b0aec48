// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "usb/UsbDevice.h"

#include <chrono>
#include <functional>
#include <memory>
#include <vector>

struct libusb_context;

namespace flashplan::usb {

class HotplugWatch;

/// How waitForDevice() learns that a device arrived.
enum class Discovery {
    Automatic, ///< hotplug events where libusb has them, else polling
    Hotplug,   ///< libusb hotplug callbacks (Errc::NotSupported where libusb lacks them)
    Polling,   ///< a fresh device list every few tens of milliseconds
};

/// One libusb context: the devices on the bus, hotplug events, and waiting for a device to appear. Owns
/// no device; contexts are independent, so two programmers can use two at once.
class UsbContext {
public:
    /// Errors: Errc::Io when libusb cannot start (no USB support on the machine).
    static Result<std::unique_ptr<UsbContext>> create();
    ~UsbContext();
    UsbContext(const UsbContext&) = delete;
    UsbContext& operator=(const UsbContext&) = delete;

    /// The devices on the bus now.
    Result<std::vector<UsbDevice>> devices();
    /// True when libusb can report arrivals and removals on this platform.
    bool hasHotplug() const;

    using HotplugFn = std::function<void(const UsbDevice& device, bool arrived)>;
    /// Calls `fn` for every device that arrives or leaves from now on, from inside handleEvents(), until
    /// the watch is destroyed. Errors: Errc::NotSupported without hotplug support.
    Result<std::unique_ptr<HotplugWatch>> watchHotplug(HotplugFn fn);
    /// Runs libusb's event handling for at most `timeout` (delivers hotplug callbacks).
    Result<void> handleEvents(std::chrono::milliseconds timeout);

    /// Waits up to `timeout` for a device that `match` accepts (one already present counts), checking
    /// `stop` between steps. Errors: Errc::Timeout naming `what`, Errc::Cancelled when `stop` said so.
    Result<UsbDevice> waitForDevice(const std::function<bool(const UsbDevice&)>& match,
                                    std::chrono::milliseconds timeout, Discovery discovery,
                                    const std::function<bool()>& stop, const std::string& what);

    libusb_context* raw() const { return context_; }

private:
    explicit UsbContext(libusb_context* context) : context_(context) {}
    libusb_context* context_;
};

/// A hotplug registration; unregisters when destroyed (before its context).
class HotplugWatch {
public:
    ~HotplugWatch();
    HotplugWatch(const HotplugWatch&) = delete;
    HotplugWatch& operator=(const HotplugWatch&) = delete;

private:
    friend class UsbContext;
    HotplugWatch(libusb_context* context, UsbContext::HotplugFn fn) : context_(context), fn_(std::move(fn)) {}
    libusb_context* context_;
    UsbContext::HotplugFn fn_;
    int handle_ = 0;
    friend struct HotplugDispatch;
};

} // namespace flashplan::usb
