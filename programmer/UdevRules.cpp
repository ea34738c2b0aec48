// SPDX-License-Identifier: Apache-2.0
#include "UdevRules.h"

#include "backends/openocd/DebugProbe.h"

#include <cstdio>
#include <set>
#include <utility>

namespace flashplan::programmer {

namespace {

std::string hex4(std::uint16_t v) {
    char text[8];
    std::snprintf(text, sizeof text, "%04x", v);
    return text;
}

std::string deviceRule(std::uint16_t vendor, std::optional<std::uint16_t> product, const std::string& what) {
    std::string rule = "# " + what +
                       "\nSUBSYSTEM==\"usb\", ENV{DEVTYPE}==\"usb_device\", ATTR{idVendor}==\"" +
                       hex4(vendor) + "\"";
    if (product)
        rule += ", ATTR{idProduct}==\"" + hex4(*product) + "\"";
    return rule + ", TAG+=\"uaccess\"\n";
}

} // namespace

std::string udevRules(std::span<const Board> boards) {
    std::string out =
        "# Flashplan: let the user at the seat program through USB DFU devices and debug probes\n"
        "# (written by `flashplan-cli --udev-rules`; uaccess needs a rules file sorted before "
        "73-seat-late.rules).\n"
        "ACTION==\"remove\", GOTO=\"flashplan_end\"\n\n"
        "# Any USB DFU device, in run-time (fe0101) or DFU mode (fe0102)\n"
        "SUBSYSTEM==\"usb\", ENV{DEVTYPE}==\"usb_device\", ENV{ID_USB_INTERFACES}==\"*:fe0101:*\", "
        "TAG+=\"uaccess\"\n"
        "SUBSYSTEM==\"usb\", ENV{DEVTYPE}==\"usb_device\", ENV{ID_USB_INTERFACES}==\"*:fe0102:*\", "
        "TAG+=\"uaccess\"\n\n";
    // The boards' DFU IDs: a device in run-time mode may not show its DFU interface until it is asked.
    std::set<std::pair<std::uint16_t, std::uint16_t>> seen;
    for (const Board& b : boards) {
        const ProgrammerHints& h = b.programmer;
        if (!h.dfuVendorId || !h.dfuProductId || !seen.insert({*h.dfuVendorId, *h.dfuProductId}).second)
            continue;
        std::string users;
        for (const Board& other : boards)
            if (other.programmer.dfuVendorId == h.dfuVendorId &&
                other.programmer.dfuProductId == h.dfuProductId)
                users += (users.empty() ? "" : ", ") + other.id;
        out += deviceRule(*h.dfuVendorId, h.dfuProductId, "DFU: " + users);
    }
    out += "\n";
    for (const openocd::ProbeUsbId& id : openocd::knownProbeUsbIds())
        out += deviceRule(id.vendorId, id.productId,
                          std::string(openocd::to_string(id.kind)) + ": " + std::string(id.name));
    out += "\n# Any other CMSIS-DAP probe, as OpenOCD's cmsis-dap driver finds one: by its product string\n"
           "SUBSYSTEM==\"usb\", ENV{DEVTYPE}==\"usb_device\", ATTR{product}==\"*CMSIS-DAP*\", "
           "TAG+=\"uaccess\"\n"
           "KERNEL==\"hidraw*\", ATTRS{product}==\"*CMSIS-DAP*\", TAG+=\"uaccess\"\n\n"
           "LABEL=\"flashplan_end\"\n";
    return out;
}

} // namespace flashplan::programmer
