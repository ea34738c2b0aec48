// SPDX-License-Identifier: Apache-2.0
#include "backends/openocd/DebugProbe.h"

#include "usb/UsbHandle.h"

#include <algorithm>
#include <array>
#include <optional>

namespace flashplan::programmer::openocd {

namespace {

using Kind = DebugProbe::Kind;
/// OpenOCD's ST-Link product IDs (V1, V2, V2-1 with and without mass storage, V3 loader, V3E, V3S, V3 with
/// two VCPs, V3 without mass storage, V3PWR), SEGGER's J-Links, and CMSIS-DAP probes by their usual IDs.
constexpr std::array<ProbeUsbId, 16> kProbeIds{{
    {Kind::StLink, 0x0483, 0x3744, "ST-Link V1"},
    {Kind::StLink, 0x0483, 0x3748, "ST-Link V2"},
    {Kind::StLink, 0x0483, 0x374b, "ST-Link V2-1"},
    {Kind::StLink, 0x0483, 0x3752, "ST-Link V2-1 (no mass storage)"},
    {Kind::StLink, 0x0483, 0x374d, "ST-Link V3 loader"},
    {Kind::StLink, 0x0483, 0x374e, "ST-Link V3E"},
    {Kind::StLink, 0x0483, 0x374f, "ST-Link V3S"},
    {Kind::StLink, 0x0483, 0x3753, "ST-Link V3 (two VCPs)"},
    {Kind::StLink, 0x0483, 0x3754, "ST-Link V3 (no mass storage)"},
    {Kind::StLink, 0x0483, 0x3757, "ST-Link V3PWR"},
    {Kind::JLink, 0x1366, std::nullopt, "SEGGER J-Link"},
    {Kind::CmsisDap, 0x0d28, 0x0204, "Arm DAPLink"},
    {Kind::CmsisDap, 0x2e8a, 0x000c, "Raspberry Pi Debug Probe"},
    {Kind::CmsisDap, 0x1fc9, 0x0143, "NXP MCU-Link"},
    {Kind::CmsisDap, 0x03eb, 0x2141, "Microchip Atmel-ICE"},
    {Kind::CmsisDap, 0x03eb, 0x2111, "Microchip EDBG"},
}};
constexpr std::uint8_t kClassHid = 0x03;
constexpr std::uint8_t kClassVendor = 0xff;

bool contains(const std::string& text, std::string_view what) {
    return text.find(what) != std::string::npos;
}

/// ST-Link and J-Link by ID; CMSIS-DAP probes are told by their strings, as OpenOCD's driver tells them.
std::optional<DebugProbe::Kind> kindByIds(const usb::UsbDevice& d) {
    for (const ProbeUsbId& id : kProbeIds)
        if (id.kind != Kind::CmsisDap && id.vendorId == d.vendorId() &&
            (!id.productId || *id.productId == d.productId()))
            return id.kind;
    return std::nullopt;
}

std::optional<DebugProbe> describe(const usb::UsbDevice& d, std::chrono::milliseconds timeout) {
    std::optional<DebugProbe::Kind> kind = kindByIds(d);
    std::vector<std::uint8_t> vendorInterfaceNames;
    if (!kind) {
        auto config = d.activeConfig();
        if (!config)
            return std::nullopt;
        bool candidate = false;
        for (const usb::UsbAltSetting& a : config->alts) {
            candidate = candidate || a.interfaceClass == kClassVendor || a.interfaceClass == kClassHid;
            if (a.interfaceClass == kClassVendor && a.nameIndex)
                vendorInterfaceNames.push_back(a.nameIndex);
        }
        if (!candidate)
            return std::nullopt;
    }
    DebugProbe probe{kind.value_or(DebugProbe::Kind::CmsisDap), d, {}, {}};
    auto handle = d.open();
    if (!handle)
        return kind ? std::optional(probe) : std::nullopt;
    const auto text = [&](std::uint8_t index) {
        if (!index)
            return std::string();
        auto s = (*handle)->stringDescriptor(index, timeout);
        return s ? *s : std::string();
    };
    probe.product = text(d.productIndex());
    probe.serial = text(d.serialIndex());
    if (!kind) {
        bool cmsisDap = contains(probe.product, "CMSIS-DAP");
        for (std::uint8_t index : vendorInterfaceNames)
            cmsisDap = cmsisDap || contains(text(index), "CMSIS-DAP");
        if (!cmsisDap)
            return std::nullopt;
    }
    return probe;
}

} // namespace

std::span<const ProbeUsbId> knownProbeUsbIds() {
    return kProbeIds;
}

std::string_view to_string(DebugProbe::Kind kind) {
    switch (kind) {
    case DebugProbe::Kind::CmsisDap:
        return "CMSIS-DAP";
    case DebugProbe::Kind::StLink:
        return "ST-Link";
    case DebugProbe::Kind::JLink:
        return "J-Link";
    }
    return "probe";
}

std::string_view DebugProbe::interfaceConfig() const {
    switch (kind) {
    case Kind::CmsisDap:
        return "interface/cmsis-dap.cfg";
    case Kind::StLink:
        return "interface/stlink.cfg";
    case Kind::JLink:
        return "interface/jlink.cfg";
    }
    return {};
}

std::string DebugProbe::description() const {
    std::string s = std::string(to_string(kind)) + " probe";
    if (!product.empty())
        s += " " + product;
    s += " (" + usb.idText() + ")";
    s += serial.empty() ? ", no serial number" : ", serial " + serial;
    return s + ", on " + usb.path() + " (" + std::string(interfaceConfig()) + ")";
}

Result<std::vector<DebugProbe>> listDebugProbes(usb::UsbContext& context, std::chrono::milliseconds timeout) {
    auto devices = context.devices();
    if (!devices)
        return devices.error();
    std::vector<DebugProbe> out;
    for (const usb::UsbDevice& d : *devices)
        if (auto probe = describe(d, timeout))
            out.push_back(std::move(*probe));
    std::sort(out.begin(), out.end(), [](const DebugProbe& a, const DebugProbe& b) {
        return std::pair(a.usb.bus(), a.usb.ports()) < std::pair(b.usb.bus(), b.usb.ports());
    });
    return out;
}

} // namespace flashplan::programmer::openocd
