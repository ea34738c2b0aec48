// SPDX-License-Identifier: Apache-2.0
#include "backends/dfu/DfuDevice.h"

#include "usb/UsbHandle.h"
#include "util/Numbers.h"

#include <algorithm>
#include <cctype>

namespace flashplan::dfu {

namespace {

std::string trimmedLower(std::string_view text) {
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front())))
        text.remove_prefix(1);
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back())))
        text.remove_suffix(1);
    std::string out(text);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

bool isDfuInterface(const usb::UsbAltSetting& a) {
    return a.interfaceClass == kDfuClass && a.interfaceSubClass == kDfuSubClass &&
           (a.interfaceProtocol == kRuntimeProtocol || a.interfaceProtocol == kDfuModeProtocol);
}

std::optional<std::uint16_t> hex16(std::string_view text) {
    if (text.empty() || text.size() > 4)
        return std::nullopt;
    std::uint16_t v = 0;
    for (char c : text) {
        const int d = hexDigitValue(c);
        if (d < 0)
            return std::nullopt;
        v = static_cast<std::uint16_t>(v * 16 + d);
    }
    return v;
}

bool isBusPath(std::string_view text) {
    // "1-1", "3-2.4.1": a bus number, '-', then port numbers joined by '.'.
    const auto dash = text.find('-');
    if (dash == 0 || dash == std::string_view::npos || dash + 1 == text.size())
        return false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (i == dash)
            continue;
        if (!std::isdigit(static_cast<unsigned char>(c)) && !(c == '.' && i > dash + 1 && text[i - 1] != '.'))
            return false;
    }
    return text.back() != '.';
}

} // namespace

std::string DfuDevice::description() const {
    std::string out = idText();
    if (!product.empty())
        out += " " + product;
    if (!serial.empty())
        out += " (serial " + serial + ")";
    return out + " at " + path();
}

const AltSetting* DfuDevice::findAlt(const std::string& numberOrName) const {
    if (!numberOrName.empty() && std::all_of(numberOrName.begin(), numberOrName.end(),
                                             [](unsigned char c) { return std::isdigit(c); })) {
        const unsigned long n = std::stoul(numberOrName);
        for (const AltSetting& a : alts)
            if (a.alt == n)
                return &a;
        return nullptr;
    }
    for (const AltSetting& a : alts)
        if (a.name == numberOrName)
            return &a;
    const std::string wanted = trimmedLower(numberOrName);
    for (const AltSetting& a : alts)
        if (trimmedLower(a.name) == wanted || (a.memory && trimmedLower(a.memory->name) == wanted))
            return &a;
    return nullptr;
}

Result<DeviceSelector> DeviceSelector::parse(const std::string& text) {
    DeviceSelector s;
    if (text.empty())
        return s;
    const auto colon = text.find(':');
    if (colon != std::string::npos) {
        const auto vid = hex16(std::string_view(text).substr(0, colon));
        const auto pid = hex16(std::string_view(text).substr(colon + 1));
        if (!vid || !pid)
            return makeError(Errc::Parse,
                             "'" + text + "' is not VID:PID (two hexadecimal numbers such as 0483:df11)");
        s.vendorId = vid;
        s.productId = pid;
    } else if (isBusPath(text)) {
        s.path = text;
    } else {
        s.serial = text;
    }
    return s;
}

bool DeviceSelector::matches(const DfuDevice& d) const {
    if (vendorId && (d.usb.vendorId() != *vendorId || d.usb.productId() != *productId))
        return false;
    if (!path.empty() && d.path() != path)
        return false;
    if (!serial.empty() && d.serial != serial)
        return false;
    return true;
}

std::string DeviceSelector::toString() const {
    if (vendorId) {
        char text[16];
        std::snprintf(text, sizeof text, "%04x:%04x", *vendorId, *productId);
        return text;
    }
    if (!path.empty())
        return "the device at " + path;
    if (!serial.empty())
        return "the device with serial number " + serial;
    return "any DFU device";
}

Result<std::optional<DfuDevice>> describeDfuDevice(const usb::UsbDevice& usb, bool readStrings,
                                                   std::chrono::milliseconds timeout) {
    auto config = usb.activeConfig();
    if (!config)
        return config.error();
    std::optional<DfuDevice> found;
    for (const usb::UsbAltSetting& a : config->alts) {
        if (!isDfuInterface(a))
            continue;
        if (!found) {
            found.emplace(DfuDevice{usb,
                                    {},
                                    {},
                                    {},
                                    config->value,
                                    a.interface,
                                    a.interfaceProtocol == kRuntimeProtocol,
                                    {},
                                    {},
                                    std::nullopt});
        } else if (a.interface != found->interface) {
            continue; // one DFU interface per device, as DFU 1.1 has it
        }
        found->alts.push_back({a.alt, {}, std::nullopt, std::nullopt});
        // The functional descriptor follows the interface descriptors (STM32 ROMs put it after the last
        // alt setting); take it from wherever it is.
        auto f = findFunctionalDescriptor(a.extra);
        if (!f)
            return f.error();
        if (*f)
            found->functional = **f;
    }
    if (!found)
        return found;
    if (auto f = findFunctionalDescriptor(config->extra); f && *f)
        found->functional = **f;
    // Names (iInterface) are string descriptors: without opening the device, alts keep their index.
    std::vector<std::uint8_t> nameIndex;
    for (const usb::UsbAltSetting& a : config->alts)
        if (isDfuInterface(a) && a.interface == found->interface)
            nameIndex.push_back(a.nameIndex);
    if (readStrings) {
        auto handle = usb.open();
        if (!handle) {
            found->stringError = handle.error();
        } else {
            auto text = [&](std::uint8_t index) -> std::string {
                auto s = (*handle)->stringDescriptor(index, timeout);
                if (!s) {
                    if (!found->stringError)
                        found->stringError = s.error();
                    return {};
                }
                return *s;
            };
            found->manufacturer = text(usb.manufacturerIndex());
            found->product = text(usb.productIndex());
            found->serial = text(usb.serialIndex());
            for (std::size_t i = 0; i < found->alts.size(); ++i)
                found->alts[i].name = text(nameIndex[i]);
        }
    }
    for (AltSetting& alt : found->alts) {
        if (!found->functional.isDfuse() || !isDfuseDescriptor(alt.name))
            continue;
        auto memory = parseDfuseDescriptor(alt.name);
        if (memory)
            alt.memory = std::move(*memory);
        else
            alt.memoryError = memory.error();
    }
    return found;
}

Result<std::vector<DfuDevice>> listDfuDevices(usb::UsbContext& context, bool readStrings,
                                              std::chrono::milliseconds timeout) {
    auto devices = context.devices();
    if (!devices)
        return devices.error();
    std::vector<DfuDevice> out;
    for (const usb::UsbDevice& d : *devices) {
        auto info = describeDfuDevice(d, readStrings, timeout);
        // A device whose descriptors cannot be read is not one we could program: leave it out.
        if (info && *info)
            out.push_back(std::move(**info));
    }
    // By bus and port, so that listings are stable whatever order the system enumerates in.
    std::sort(out.begin(), out.end(), [](const DfuDevice& a, const DfuDevice& b) {
        return std::pair(a.usb.bus(), a.usb.ports()) < std::pair(b.usb.bus(), b.usb.ports());
    });
    return out;
}

Result<DfuDevice> detachToDfuMode(usb::UsbContext& context, const DfuDevice& runtime,
                                  const Timeouts& timeouts, std::chrono::milliseconds reenumeration,
                                  usb::Discovery discovery, const StopFn& stop) {
    {
        auto handle = runtime.usb.open();
        if (!handle)
            return handle.error();
        if (auto r = (*handle)->claimInterface(runtime.interface); !r)
            return r.error();
        DfuClient client(**handle, runtime.interface, runtime.functional.transferSize, timeouts);
        const std::uint16_t detachTimeout =
            runtime.functional.detachTimeoutMs ? runtime.functional.detachTimeoutMs : 1000;
        if (auto r = client.detach(detachTimeout); !r && r.error().code != Errc::NoDevice)
            return makeError(r.error().code, runtime.description() + ": " + r.error().message);
        // Without bitWillDetach the device waits for a USB reset within wDetachTimeOut to re-enumerate.
        if (!runtime.functional.willDetach)
            if (auto r = (*handle)->reset(); !r)
                return r.error();
    }
    const std::string path = runtime.path();
    const std::string serial = runtime.serial;
    auto back = context.waitForDevice(
        [&](const usb::UsbDevice& d) {
            if (d.path() != path && serial.empty())
                return false;
            auto info = describeDfuDevice(d, !serial.empty(), timeouts.transfer);
            if (!info || !*info || (*info)->runtime)
                return false;
            return serial.empty() ? true : (*info)->serial == serial;
        },
        std::chrono::milliseconds(runtime.functional.detachTimeoutMs) + reenumeration, discovery, stop,
        runtime.description() + " in DFU mode");
    if (!back)
        return back.error();
    auto info = describeDfuDevice(*back, true, timeouts.transfer);
    if (!info)
        return info.error();
    if (!*info)
        return makeError(Errc::NoDevice, runtime.description() + " came back without a DFU interface");
    return std::move(**info);
}

} // namespace flashplan::dfu
