// SPDX-License-Identifier: Apache-2.0
#include "usb/UsbContext.h"

#include "usb/UsbError.h"

#include <libusb.h>

#include <thread>

namespace flashplan::usb {

/// libusb's C callback, handing each event to its watch.
struct HotplugDispatch {
    static int LIBUSB_CALL call(libusb_context*, libusb_device* device, libusb_hotplug_event event,
                                void* self) {
        auto* watch = static_cast<HotplugWatch*>(self);
        watch->fn_(UsbDevice(device), event == LIBUSB_HOTPLUG_EVENT_DEVICE_ARRIVED);
        return 0; // stay registered
    }
};

namespace {
// Between two looks at the bus when polling, and the longest a hotplug wait blocks before checking
// `stop` again: short enough for a prompt cancel, long enough to cost nothing.
constexpr std::chrono::milliseconds kStep{25};
} // namespace

Result<std::unique_ptr<UsbContext>> UsbContext::create() {
    libusb_context* context = nullptr;
    if (const int rc = libusb_init(&context); rc != 0)
        return usbError(rc, "start libusb");
    return std::unique_ptr<UsbContext>(new UsbContext(context));
}

UsbContext::~UsbContext() {
    libusb_exit(context_);
}

Result<std::vector<UsbDevice>> UsbContext::devices() {
    libusb_device** list = nullptr;
    const ssize_t n = libusb_get_device_list(context_, &list);
    if (n < 0)
        return usbError(static_cast<int>(n), "list USB devices");
    std::vector<UsbDevice> out;
    out.reserve(static_cast<std::size_t>(n));
    for (ssize_t i = 0; i < n; ++i)
        out.emplace_back(list[i]);
    libusb_free_device_list(list, 1);
    return out;
}

bool UsbContext::hasHotplug() const {
    return libusb_has_capability(LIBUSB_CAP_HAS_HOTPLUG) != 0;
}

Result<std::unique_ptr<HotplugWatch>> UsbContext::watchHotplug(HotplugFn fn) {
    if (!hasHotplug())
        return makeError(Errc::NotSupported, "libusb has no hotplug events on this platform");
    std::unique_ptr<HotplugWatch> watch(new HotplugWatch(context_, std::move(fn)));
    const int rc = libusb_hotplug_register_callback(
        context_,
        static_cast<libusb_hotplug_event>(LIBUSB_HOTPLUG_EVENT_DEVICE_ARRIVED |
                                          LIBUSB_HOTPLUG_EVENT_DEVICE_LEFT),
        LIBUSB_HOTPLUG_NO_FLAGS, LIBUSB_HOTPLUG_MATCH_ANY, LIBUSB_HOTPLUG_MATCH_ANY, LIBUSB_HOTPLUG_MATCH_ANY,
        &HotplugDispatch::call, watch.get(), &watch->handle_);
    if (rc != 0)
        return usbError(rc, "watch USB hotplug events");
    return watch;
}

Result<void> UsbContext::handleEvents(std::chrono::milliseconds timeout) {
    timeval tv{};
    tv.tv_sec = static_cast<time_t>(timeout.count() / 1000);
    tv.tv_usec = static_cast<suseconds_t>((timeout.count() % 1000) * 1000);
    if (const int rc = libusb_handle_events_timeout_completed(context_, &tv, nullptr); rc != 0)
        return usbError(rc, "handle USB events");
    return {};
}

Result<UsbDevice> UsbContext::waitForDevice(const std::function<bool(const UsbDevice&)>& match,
                                            std::chrono::milliseconds timeout, Discovery discovery,
                                            const std::function<bool()>& stop, const std::string& what) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    const bool hotplug =
        discovery == Discovery::Hotplug || (discovery == Discovery::Automatic && hasHotplug());
    std::unique_ptr<HotplugWatch> watch;
    std::vector<UsbDevice> arrived;
    if (hotplug) {
        auto w = watchHotplug([&](const UsbDevice& d, bool in) {
            if (in)
                arrived.push_back(d);
        });
        if (!w)
            return w.error();
        watch = std::move(*w);
    }
    // A device already present counts; with hotplug the watch is in place first, so none is missed.
    auto present = devices();
    if (!present)
        return present.error();
    for (const UsbDevice& d : *present)
        if (match(d))
            return d;
    for (;;) {
        if (stop && stop())
            return makeError(Errc::Cancelled, "cancelled while waiting for " + what);
        const auto now = std::chrono::steady_clock::now();
        if (now >= deadline)
            return makeError(Errc::Timeout,
                             what + " did not appear within " + std::to_string(timeout.count()) + " ms");
        const auto step = std::min<std::chrono::milliseconds>(
            kStep, std::chrono::ceil<std::chrono::milliseconds>(deadline - now));
        if (hotplug) {
            if (auto r = handleEvents(step); !r)
                return r.error();
            for (const UsbDevice& d : arrived)
                if (match(d))
                    return d;
            arrived.clear();
        } else {
            std::this_thread::sleep_for(step);
            auto now_present = devices();
            if (!now_present)
                return now_present.error();
            for (const UsbDevice& d : *now_present)
                if (match(d))
                    return d;
        }
    }
}

HotplugWatch::~HotplugWatch() {
    libusb_hotplug_deregister_callback(context_, handle_);
}

} // namespace flashplan::usb
