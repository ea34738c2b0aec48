// SPDX-License-Identifier: Apache-2.0
// flashplan-cli image <file>: what the loader sees in a firmware image (format, segments, start address,
// MCUboot/wolfBoot header), and with --layout/--partition where it lands in a slot, whether it fits once
// the bootloader's trailer is counted, and whether flash would take it there: the same preflight as flash.
// Exit 0 readable (and flash would take it), 1 a malformed header (with --strict: a header warning too)
// or flash would refuse it, 2 unreadable file or bad usage.
#include "cli/CliContext.h"
#include "cli/TextTable.h"
#include "image/ImageFit.h"
#include "image/ImageFormat.h"
#include "io/JsonModel.h"
#include "program/Preflight.h"
#include "util/Numbers.h"

#include <ostream>

namespace flashplan::cli {

namespace {

using json = nlohmann::ordered_json;

/// The command's parsed options.
struct ImageRequest {
    ImageLoadOptions load;
    std::optional<std::uint64_t> trailerReserve; ///< else the bootloader's, as flash counts it
};

/// The slot an image was fitted to: the layout, the partition and flash's preflight of it there.
struct SlotCheck {
    LoadedLayout layout;
    std::size_t index = 0;
    Preflight check;
};

/// "0x08000000" for an absolute address, "+0x200" for an offset into a relative raw image.
std::string addressText(const Image& image, std::uint64_t address) {
    return image.absolute ? formatAddress(address) : "+" + formatHex(address);
}

std::string rangeText(std::uint64_t begin, std::uint64_t end, std::optional<std::uint64_t> cpuBegin) {
    std::string text = "offset " + formatHex(begin) + ".." + formatHex(end);
    if (cpuBegin)
        text += " (CPU " + formatAddress(*cpuBegin) + ".." + formatAddress(*cpuBegin + (end - begin)) + ")";
    return text;
}

std::string joined(const std::vector<std::string>& items) {
    std::string out;
    for (const std::string& s : items)
        out += (out.empty() ? "" : ", ") + s;
    return out.empty() ? "none" : out;
}

// ---- text ----

void printHeader(std::ostream& out, const ImageHeader& h) {
    if (h.kind == HeaderKind::None) {
        out << "Header:  none (no MCUboot or wolfBoot magic at the first byte)\n";
        return;
    }
    if (h.mcuboot) {
        const McubootHeader& m = *h.mcuboot;
        out << "Header:  MCUboot, version " << h.version() << '\n';
        TextTable t({"field", "value"});
        t.add({"header size", formatHexAndSize(m.headerSize)});
        t.add({"payload size", formatHexAndSize(m.imageSize)});
        t.add({"protected TLVs", formatHexAndSize(m.protectedTlvSize)});
        t.add({"TLV area", formatHexAndSize(m.unprotectedTlvSize)});
        t.add({"total size", formatHexAndSize(m.totalSize())});
        t.add({"load address", formatAddress(m.loadAddress)});
        t.add({"flags", formatHex(m.flags) + " " + joined(mcubootFlagNames(m.flags))});
        std::vector<std::string> tlvs;
        for (const McubootTlv& tlv : m.tlvs)
            tlvs.push_back(mcubootTlvName(tlv.type) + (tlv.isProtected ? " (protected)" : "") + " " +
                           std::to_string(tlv.length) + " B");
        t.add({"TLVs", joined(tlvs)});
        t.print(out);
        return;
    }
    const WolfbootHeader& w = *h.wolfboot;
    out << "Header:  wolfBoot, version " << (w.version ? std::to_string(*w.version) : "?") << '\n';
    TextTable t({"field", "value"});
    t.add({"header size", formatHexAndSize(w.headerSize) + (w.headerSizeKnown ? "" : ", assumed")});
    t.add({"payload size", formatHexAndSize(w.imageSize)});
    t.add({"total size", formatHexAndSize(w.totalSize())});
    if (w.timestamp)
        t.add({"timestamp", std::to_string(*w.timestamp)});
    if (w.imageType)
        t.add({"image type", formatHex(*w.imageType) + " " + wolfbootImageTypeText(*w.imageType)});
    std::vector<std::string> tlvs;
    for (const WolfbootTlv& tlv : w.tlvs)
        tlvs.push_back(wolfbootTlvName(tlv.type) + " " + std::to_string(tlv.length) + " B");
    t.add({"TLVs", joined(tlvs)});
    t.print(out);
}

void printSlot(std::ostream& out, const SlotCheck& slot) {
    const Layout& l = slot.layout.layout;
    const Partition& p = l.partitions[slot.index];
    const FlashDevice* d = l.deviceOf(p);
    out << "Slot:    " << p.label << " of " << slot.layout.source << ": " << p.device << " "
        << rangeText(p.offset, p.end(), d ? d->cpuAddress(p.offset) : std::nullopt) << ", "
        << formatSize(p.size) << '\n';
    if (const auto& f = slot.check.fit) {
        TextTable t({"field", "value"});
        t.add({"lands at", rangeText(f->offset, f->end, f->ranges.front().cpuAddress)});
        t.add({"used", formatHexAndSize(f->used) + " from the slot's start"});
        t.add({"trailer reserve", formatHexAndSize(f->trailerReserve)});
        t.add({"available", formatHexAndSize(f->available)});
        t.print(out);
        if (f->fits)
            out << "  fits: yes, free bytes " << f->freeBytes << " (" << formatHex(f->freeBytes) << ")\n";
        else
            out << "  fits: no, " << f->shortfall << " (" << formatHex(f->shortfall) << ") bytes too many\n";
    } else {
        out << "  fits: no\n";
    }
    if (slot.check.padded)
        out << "  padded by imgtool: the image fits without its padding, and its trailer asks for "
            << (*slot.check.padded == mcuboot::UpgradeRequest::None
                    ? std::string("nothing (erased)")
                    : "a " + std::string(mcuboot::to_string(*slot.check.padded)) + " upgrade")
            << '\n';
    if (slot.check.ready()) {
        out << "  flash: would take it\n";
        return;
    }
    out << "  flash: would refuse it:\n";
    for (const Diagnostic& reason : slot.check.reasons)
        out << "    [" << reason.rule << "] " << reason.message << '\n';
}

void printText(std::ostream& out, const std::string& file, const LoadedImage& loaded,
               const ImageHeader& header, const std::optional<SlotCheck>& slot) {
    const Image& image = loaded.image;
    out << "Image:   " << file << '\n';
    out << "Format:  " << to_string(image.format) << " (" << loaded.format.reason << ")\n";
    if (!image.detail.empty())
        out << "Detail:  " << image.detail << '\n';
    out << "Bytes:   " << formatHexAndSize(image.totalSize()) << " in " << image.segments().size()
        << (image.segments().size() == 1 ? " segment, " : " segments, ")
        << addressText(image, image.lowestAddress()) << ".." << addressText(image, image.endAddress())
        << (image.absolute ? "" : " (relative: placed at a slot's start)") << '\n';
    TextTable segments({"segment", "address", "end", "size"});
    for (std::size_t i = 0; i < image.segments().size(); ++i) {
        const Segment& s = image.segments()[i];
        segments.add({std::to_string(i), addressText(image, s.address), addressText(image, s.end()),
                      formatHexAndSize(s.size())});
    }
    segments.print(out);
    out << "Start:   " << (image.startAddress ? formatAddress(*image.startAddress) : std::string("none"))
        << '\n';
    printHeader(out, header);
    if (slot)
        printSlot(out, *slot);
    for (const Diagnostic& d : header.findings())
        out << file << ": " << to_string(d.severity) << ": [" << d.rule << "] " << d.message << '\n';
}

// ---- JSON ----

json headerJson(const ImageHeader& h) {
    json out = {{"kind", std::string(to_string(h.kind))}};
    if (h.kind == HeaderKind::None)
        return out;
    out["version"] = h.version().empty() ? json(nullptr) : json(h.version());
    out["header_size"] = h.headerSize();
    out["payload_size"] = h.payloadSize();
    out["tlv_size"] = h.tlvSize();
    out["total_size"] = h.totalSize();
    json tlvs = json::array();
    if (h.mcuboot) {
        const McubootHeader& m = *h.mcuboot;
        out[std::string(to_string(h.kind))] = {
            {"load_address", m.loadAddress},
            {"flags", m.flags},
            {"flag_names", mcubootFlagNames(m.flags)},
            {"protected_tlv_size", m.protectedTlvSize},
            {"version",
             {{"major", m.version.major},
              {"minor", m.version.minor},
              {"revision", m.version.revision},
              {"build", m.version.build}}},
        };
        for (const McubootTlv& t : m.tlvs)
            tlvs.push_back({{"type", t.type},
                            {"name", mcubootTlvName(t.type)},
                            {"offset", t.offset},
                            {"length", t.length},
                            {"protected", t.isProtected}});
    } else {
        const WolfbootHeader& w = *h.wolfboot;
        out[std::string(to_string(h.kind))] = {
            {"header_size_known", w.headerSizeKnown},
            {"timestamp", w.timestamp ? json(*w.timestamp) : json(nullptr)},
            {"image_type", w.imageType ? json(*w.imageType) : json(nullptr)},
            {"image_type_text", w.imageType ? json(wolfbootImageTypeText(*w.imageType)) : json(nullptr)},
        };
        for (const WolfbootTlv& t : w.tlvs)
            tlvs.push_back({{"type", t.type},
                            {"name", wolfbootTlvName(t.type)},
                            {"offset", t.offset},
                            {"length", t.length},
                            {"protected", true}}); // wolfBoot signs its whole header
    }
    out["tlvs"] = tlvs;
    return out;
}

json slotJson(const SlotCheck& slot) {
    const Partition& p = slot.layout.layout.partitions[slot.index];
    const ImageFit* f = slot.check.fit ? &*slot.check.fit : nullptr;
    json out = {{"layout", slot.layout.source},
                {"partition", p.label},
                {"partition_index", slot.index},
                {"device", p.device},
                {"fits", f && f->fits},
                {"flashable", slot.check.ready()},
                {"padded_request", slot.check.padded
                                       ? json(std::string(mcuboot::to_string(*slot.check.padded)))
                                       : json(nullptr)},
                {"reasons", toJson(slot.check.reasons, slot.layout.layout)}};
    const auto number = [&](std::uint64_t ImageFit::*field) { return f ? json(f->*field) : json(nullptr); };
    json ranges = json::array();
    if (f)
        for (const PlacedRange& r : f->ranges)
            ranges.push_back({{"offset", r.offset},
                              {"size", r.size},
                              {"cpu_address", r.cpuAddress ? json(*r.cpuAddress) : json(nullptr)}});
    out["offset"] = number(&ImageFit::offset);
    out["end"] = number(&ImageFit::end);
    out["cpu_address"] =
        f && f->ranges.front().cpuAddress ? json(*f->ranges.front().cpuAddress) : json(nullptr);
    out["ranges"] = f ? ranges : json(nullptr);
    out["used"] = number(&ImageFit::used);
    out["available"] = number(&ImageFit::available);
    out["trailer_reserve"] = slot.check.reserve;
    out["free"] = number(&ImageFit::freeBytes);
    out["shortfall"] = number(&ImageFit::shortfall);
    return out;
}

json documentJson(const std::string& file, const LoadedImage& loaded, const ImageHeader& header,
                  const std::optional<SlotCheck>& slot) {
    const Image& image = loaded.image;
    json segments = json::array();
    for (const Segment& s : image.segments())
        segments.push_back({{"address", s.address}, {"size", s.size()}, {"end", s.end()}});
    json findings = json::array();
    for (const Diagnostic& d : header.findings())
        findings.push_back(
            {{"severity", std::string(to_string(d.severity))}, {"rule", d.rule}, {"message", d.message}});
    return {
        {"source", file},
        {"format", std::string(to_string(image.format))},
        {"format_reason", loaded.format.reason},
        {"detail", image.detail.empty() ? json(nullptr) : json(image.detail)},
        {"absolute", image.absolute},
        {"size", image.totalSize()},
        {"lowest_address", image.lowestAddress()},
        {"end_address", image.endAddress()},
        {"segments", segments},
        {"start_address", image.startAddress ? json(*image.startAddress) : json(nullptr)},
        {"header", headerJson(header)},
        {"findings", findings},
        {"fit", slot ? slotJson(*slot) : json(nullptr)},
    };
}

/// Turns the command's options into a request; a usage error names the option.
Result<ImageRequest> parseRequest(const CliContext& ctx) {
    ImageRequest r;
    const CliImageOptions& o = ctx.image;
    auto load = imageLoadOptions(o);
    if (!load)
        return load.error();
    r.load = *load;
    if (!o.trailerReserve.empty()) {
        auto reserve = parseNumber(o.trailerReserve);
        if (!reserve)
            return makeError(Errc::InvalidArgument,
                             "--trailer-reserve " + o.trailerReserve + ": " + reserve.error().message);
        r.trailerReserve = *reserve;
    }
    if (o.layout.empty() != o.partition.empty())
        return makeError(Errc::InvalidArgument, "--layout and --partition go together");
    if (!o.trailerReserve.empty() && o.partition.empty())
        return makeError(Errc::InvalidArgument, "--trailer-reserve needs --layout and --partition");
    return r;
}

} // namespace

int runImage(CliContext& ctx) {
    if (ctx.args.size() != 1)
        return ctx.usage("image takes exactly one image file");
    const auto request = parseRequest(ctx);
    if (!request)
        return ctx.usage(request.error().message);
    const std::string& file = ctx.args.front();
    // The layout first: its board bounds how large an image file can be before it is read.
    std::optional<LoadedLayout> layout;
    std::size_t partition = 0;
    ImageLoadOptions load = request->load;
    load.sizeLimit = imageSizeLimit(ctx.db.boards());
    if (!ctx.image.layout.empty()) {
        auto loadedLayout = loadLayoutArgument(ctx.image.layout, ctx);
        if (!loadedLayout)
            return ctx.fail(loadedLayout.error());
        auto index = findPartition(*loadedLayout, ctx.image.partition);
        if (!index) {
            Error e = index.error();
            e.field = "--partition";
            return ctx.fail(e);
        }
        layout = std::move(*loadedLayout);
        partition = *index;
        load.sizeLimit = imageSizeLimit(layout->layout.board);
    }
    const auto loaded = loadImageFile(file, load);
    if (!loaded)
        return ctx.fail(loaded.error());
    const ImageHeader header = recognizeHeader(loaded->image);

    std::optional<SlotCheck> slot;
    if (layout) {
        PreflightRequest pre;
        pre.kind = JobKind::Flash;
        pre.partition = partition;
        pre.image = {file, &loaded->image, std::nullopt};
        pre.trailerReserve = request->trailerReserve;
        slot.emplace(SlotCheck{std::move(*layout), partition, {}});
        pre.layout = &slot->layout.layout;
        slot->check = preflight(pre);
    }

    if (ctx.json)
        ctx.printJson(documentJson(file, *loaded, header, slot));
    else
        printText(ctx.out, file, *loaded, header, slot);
    bool fails = header.hasErrors() || (slot && !slot->check.ready());
    for (const Diagnostic& d : header.findings())
        fails = fails || (ctx.strict && d.severity == Severity::Warning);
    return fails ? kExitFindings : kExitOk;
}

} // namespace flashplan::cli
