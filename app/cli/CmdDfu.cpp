// SPDX-License-Identifier: Apache-2.0
// flashplan-cli dfu list: the USB DFU devices on the bus, their alt settings and the sector maps their
// DfuSe memory descriptions give.
#include "backends/dfu/DfuDevice.h"
#include "cli/CliContext.h"
#include "io/JsonModel.h"
#include "util/Numbers.h"

#include <ostream>

namespace flashplan::cli {

namespace {

constexpr std::chrono::milliseconds kStringTimeout{2000};

std::string accessText(std::uint8_t access) {
    std::string out;
    out += (access & kDfuseReadable) ? 'r' : '-';
    out += (access & kDfuseErasable) ? 'e' : '-';
    out += (access & kDfuseWritable) ? 'w' : '-';
    return out;
}

nlohmann::ordered_json memoryJson(const dfu::AltSetting& alt) {
    nlohmann::ordered_json regions = nlohmann::ordered_json::array();
    for (const DfuseRegion& r : alt.memory->regions) {
        nlohmann::ordered_json groups = nlohmann::ordered_json::array();
        for (const DfuseSectorGroup& g : r.groups)
            groups.push_back({{"count", g.count}, {"size", g.size}, {"access", accessText(g.access)}});
        regions.push_back({{"address", r.address}, {"size", r.size()}, {"groups", groups}});
    }
    nlohmann::ordered_json devices = nlohmann::ordered_json::array();
    if (auto d = flashDevicesFromDfuse(*alt.memory, "alt" + std::to_string(alt.alt)))
        for (const FlashDevice& f : *d)
            devices.push_back(toJson(f));
    return {{"name", alt.memory->name}, {"regions", regions}, {"devices", devices}};
}

nlohmann::ordered_json deviceJson(const dfu::DfuDevice& d) {
    nlohmann::ordered_json alts = nlohmann::ordered_json::array();
    for (const dfu::AltSetting& a : d.alts) {
        nlohmann::ordered_json alt{
            {"alt", a.alt}, {"name", a.name}, {"memory", nullptr}, {"memory_error", nullptr}};
        if (a.memory)
            alt["memory"] = memoryJson(a);
        if (a.memoryError)
            alt["memory_error"] = toJson(*a.memoryError);
        alts.push_back(alt);
    }
    const dfu::FunctionalDescriptor& f = d.functional;
    return {{"vid", d.usb.vendorId()},
            {"pid", d.usb.productId()},
            {"id", d.idText()},
            {"path", d.path()},
            {"bus", d.usb.bus()},
            {"address", d.usb.address()},
            {"serial", d.serial},
            {"manufacturer", d.manufacturer},
            {"product", d.product},
            {"mode", d.runtime ? "runtime" : "dfu"},
            {"interface", d.interface},
            {"dfu_version", f.versionText()},
            {"dfuse", f.isDfuse()},
            {"transfer_size", f.transferSize},
            {"detach_timeout_ms", f.detachTimeoutMs},
            {"attributes",
             {{"download", f.canDownload},
              {"upload", f.canUpload},
              {"manifestation_tolerant", f.manifestationTolerant},
              {"will_detach", f.willDetach}}},
            {"alts", alts},
            {"error", d.stringError ? toJson(*d.stringError) : nlohmann::ordered_json()}};
}

void printDevice(std::ostream& out, const dfu::DfuDevice& d) {
    const dfu::FunctionalDescriptor& f = d.functional;
    out << d.description() << "\n  " << (d.runtime ? "run-time mode" : "DFU mode") << ", DFU "
        << f.versionText() << (f.isDfuse() ? " (DfuSe)" : "") << ", transfer size " << f.transferSize
        << ", detach timeout " << f.detachTimeoutMs << " ms," << (f.canDownload ? " download" : "")
        << (f.canUpload ? " upload" : "") << (f.manifestationTolerant ? " manifestation-tolerant" : "")
        << (f.willDetach ? " will-detach" : "") << '\n';
    if (d.stringError)
        out << "  (names unreadable: " << d.stringError->message << ")\n";
    for (const dfu::AltSetting& a : d.alts) {
        out << "  alt " << int(a.alt) << ": \"" << a.name << "\"\n";
        if (a.memoryError)
            out << "    not a valid DfuSe memory description: " << a.memoryError->message << '\n';
        if (!a.memory)
            continue;
        for (const DfuseRegion& r : a.memory->regions) {
            std::vector<SectorRun> runs;
            std::string access;
            for (const DfuseSectorGroup& g : r.groups) {
                runs.push_back({g.count, g.size});
                access += (access.empty() ? "" : ",") + accessText(g.access);
            }
            const auto map = SectorMap::fromRuns(runs);
            out << "    " << formatAddress(r.address) << ' ' << formatSize(r.size()) << ": "
                << (map ? map->toString() : std::string("?")) << " (" << access << ")\n";
        }
    }
}

} // namespace

int runDfu(CliContext& ctx) {
    if (ctx.args.size() != 1 || ctx.args.front() != "list")
        return ctx.usage("dfu takes one subcommand: list");
    auto context = usb::UsbContext::create();
    if (!context)
        return ctx.fail(context.error());
    auto devices = dfu::listDfuDevices(**context, true, kStringTimeout);
    if (!devices)
        return ctx.fail(devices.error());
    if (ctx.json) {
        nlohmann::ordered_json list = nlohmann::ordered_json::array();
        for (const dfu::DfuDevice& d : *devices)
            list.push_back(deviceJson(d));
        ctx.printJson({{"devices", list}});
        return kExitOk;
    }
    ctx.out << devices->size() << (devices->size() == 1 ? " DFU device\n" : " DFU devices\n");
    for (const dfu::DfuDevice& d : *devices)
        printDevice(ctx.out, d);
    return kExitOk;
}

} // namespace flashplan::cli
