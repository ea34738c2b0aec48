// SPDX-License-Identifier: Apache-2.0
// flashplan-cli dfu list: the USB DFU devices on the bus, their alt settings and the sector maps their
// DfuSe memory descriptions give.
#include "backends/dfu/DfuDevice.h"
#include "cli/CliContext.h"
#include "io/JsonModel.h"
#include "io/LayoutFile.h"
#include "util/Numbers.h"

#include <cstdio>
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

/// The board a DfuSe device describes: one flash device per region of each alt setting that names its
/// memory, and programmer hints that lead the dfu backend back to the same device.
Result<Board> boardOf(const dfu::DfuDevice& d) {
    Board board;
    char id[32];
    std::snprintf(id, sizeof id, "dfu_%04x_%04x", unsigned{d.usb.vendorId()}, unsigned{d.usb.productId()});
    board.id = id;
    board.name = d.product.empty() ? d.idText() : d.product;
    board.vendor = d.manufacturer;
    board.programmer.dfuVendorId = d.usb.vendorId();
    board.programmer.dfuProductId = d.usb.productId();
    for (const dfu::AltSetting& a : d.alts) {
        if (!a.memory)
            continue;
        auto devices = flashDevicesFromDfuse(*a.memory, "alt" + std::to_string(a.alt));
        if (!devices)
            return devices.error();
        for (FlashDevice& f : *devices) {
            board.programmer.dfuAlts.push_back({a.alt, f.id, a.name});
            board.devices.push_back(std::move(f));
        }
    }
    if (board.devices.empty())
        return makeError(Errc::NotSupported, d.description() +
                                                 ": no alt setting describes its memory (a DfuSe memory "
                                                 "string), so there is no sector map to read");
    return board;
}

/// dfu layout -o <file>: an empty layout on the board the chosen device describes.
int writeDeviceLayout(CliContext& ctx, const std::vector<dfu::DfuDevice>& devices) {
    if (ctx.output.empty())
        return ctx.usage("dfu layout needs -o <file.flashplan>");
    if (auto w = checkOutputPath(ctx.output, "--output"); !w)
        return ctx.fail(w.error());
    auto selector = dfu::DeviceSelector::parse(ctx.program.optionsOf("dfu").get("device"));
    if (!selector)
        return ctx.fail(selector.error());
    std::vector<const dfu::DfuDevice*> matching;
    for (const dfu::DfuDevice& d : devices)
        if (!d.runtime && selector->matches(d))
            matching.push_back(&d);
    if (matching.size() != 1) {
        std::string list;
        for (const dfu::DfuDevice* d : matching)
            list += "\n  " + d->description();
        return ctx.fail(makeError(matching.empty() ? Errc::NoDevice : Errc::InvalidArgument,
                                  matching.empty() ? "no DFU device in DFU mode matches '" +
                                                         ctx.program.optionsOf("dfu").get("device") + "'"
                                                   : std::to_string(matching.size()) +
                                                         " DFU devices match; choose one with --device "
                                                         "VID:PID, serial or bus path:" +
                                                         list));
    }
    auto board = boardOf(*matching.front());
    if (!board)
        return ctx.fail(board.error());
    Layout layout;
    layout.name = board->name + " (read from its DFU descriptors)";
    layout.description = "The flash " + matching.front()->description() + " describes; no partitions yet.";
    layout.board = std::move(*board);
    if (auto r = LayoutFile::save(ctx.output, layout); !r)
        return ctx.fail(r.error());
    if (ctx.json)
        ctx.printJson({{"written", ctx.output}, {"board", toJson(layout.board)}});
    else
        ctx.out << "wrote " << ctx.output << ": " << layout.board.devices.size() << " flash device"
                << (layout.board.devices.size() == 1 ? "" : "s") << " of " << matching.front()->description()
                << '\n';
    return kExitOk;
}

} // namespace

int runDfu(CliContext& ctx) {
    if (ctx.args.size() != 1 || (ctx.args.front() != "list" && ctx.args.front() != "layout"))
        return ctx.usage("dfu takes one subcommand: list or layout");
    auto context = usb::UsbContext::create();
    if (!context)
        return ctx.fail(context.error());
    auto devices = dfu::listDfuDevices(**context, true, kStringTimeout);
    if (!devices)
        return ctx.fail(devices.error());
    if (ctx.args.front() == "layout")
        return writeDeviceLayout(ctx, *devices);
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
