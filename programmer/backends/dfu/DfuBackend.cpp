// SPDX-License-Identifier: Apache-2.0
#include "backends/dfu/DfuBackend.h"

#include "backends/dfu/DfuseClient.h"
#include "util/Numbers.h"

#include <algorithm>

namespace flashplan::programmer {

namespace {

std::string listOf(const std::vector<dfu::DfuDevice>& devices) {
    std::string out;
    for (const dfu::DfuDevice& d : devices)
        out += (out.empty() ? "" : "; ") + d.description() + (d.runtime ? " [run-time]" : "");
    return out.empty() ? "none" : out;
}

std::string altList(const dfu::DfuDevice& d) {
    std::string out;
    for (const dfu::AltSetting& a : d.alts)
        out += (out.empty() ? "" : ", ") + std::to_string(a.alt) + " \"" + a.name + "\"";
    return out;
}

dfu::StopFn stopOn(JobContext& ctx) {
    return [&ctx] { return ctx.cancelled(); };
}

/// The candidates for the address of a device's offset 0, most specific first.
std::vector<std::uint64_t> baseCandidates(const FlashDevice& d) {
    std::vector<std::uint64_t> out;
    if (d.cpuBase)
        out.push_back(*d.cpuBase);
    if (d.xip)
        out.push_back(d.xip->address);
    out.push_back(0);
    return out;
}

} // namespace

DfuBackend::DfuBackend(DfuBackendOptions options) : options_(std::move(options)) {
}

DfuBackend::~DfuBackend() {
    disconnect();
}

Result<void> DfuBackend::connect(const Board& board, JobContext& ctx) {
    disconnect();
    board_ = board;
    auto selector = dfu::DeviceSelector::parse(options_.device);
    if (!selector)
        return selector.error();
    if (selector->empty() && board.programmer.dfuVendorId && board.programmer.dfuProductId) {
        selector->vendorId = board.programmer.dfuVendorId;
        selector->productId = board.programmer.dfuProductId;
    }
    auto context = usb::UsbContext::create();
    if (!context)
        return context.error();
    context_ = std::move(*context);
    auto all = dfu::listDfuDevices(*context_, true, options_.timeouts.transfer);
    if (!all)
        return all.error();
    std::vector<dfu::DfuDevice> matching;
    for (dfu::DfuDevice& d : *all)
        if (selector->matches(d))
            matching.push_back(d);
    // The board's VID:PID names its DFU mode; with no device in that mode, a lone run-time device (an
    // application with a DFU interface, whose IDs are its own) is the one to detach.
    if (matching.empty() && options_.device.empty() && all->size() == 1 && all->front().runtime)
        matching.push_back(all->front());
    if (matching.empty())
        return makeError(Errc::NoDevice,
                         "no DFU device matches " + selector->toString() + "; on the bus: " + listOf(*all));
    if (matching.size() > 1)
        return makeError(Errc::InvalidArgument, std::to_string(matching.size()) + " DFU devices match " +
                                                    selector->toString() + " (" + listOf(matching) +
                                                    "): choose one by serial number or bus path");
    dfu::DfuDevice chosen = std::move(matching.front());
    if (chosen.runtime) {
        ctx.log("detaching " + chosen.description() + " from its application to DFU mode");
        auto detached = dfu::detachToDfuMode(*context_, chosen, options_.timeouts, options_.reenumeration,
                                             options_.discovery, stopOn(ctx));
        if (!detached)
            return detached.error();
        chosen = std::move(*detached);
    }
    if (chosen.stringError)
        return *chosen.stringError;
    auto handle = chosen.usb.open();
    if (!handle)
        return handle.error();
    handle_ = std::move(*handle);
    if (auto r = handle_->claimInterface(chosen.interface); !r) {
        handle_.reset();
        return r;
    }
    device_ = std::move(chosen);
    client_ = std::make_unique<dfu::DfuClient>(*handle_, device_->interface, device_->functional.transferSize,
                                               options_.timeouts);
    ctx.log("DFU " + device_->functional.versionText() + " device " + device_->description() +
            ", transfer size " + std::to_string(client_->transferSize()) + ", alt settings " +
            altList(*device_));
    return {};
}

void DfuBackend::disconnect() {
    client_.reset();
    handle_.reset();
    device_.reset();
    context_.reset();
    currentAlt_ = -1;
    plain_.reset();
    plainCache_.reset();
}

Result<std::vector<FlashDevice>> DfuBackend::describe(JobContext& ctx) {
    if (!device_)
        return makeError(Errc::NoDevice, "the DFU backend is not connected");
    std::vector<FlashDevice> out;
    for (const dfu::AltSetting& a : device_->alts) {
        if (!a.memory) {
            ctx.log("alt setting " + std::to_string(a.alt) + " \"" + a.name +
                    "\" describes no memory layout");
            continue;
        }
        std::string id = "alt" + std::to_string(a.alt);
        for (const DfuAlt& hint : board_.programmer.dfuAlts)
            if (hint.index == a.alt && !hint.device.empty())
                id = hint.device;
        auto devices = flashDevicesFromDfuse(*a.memory, id);
        if (!devices)
            return devices.error();
        out.insert(out.end(), devices->begin(), devices->end());
    }
    return out;
}

Result<DfuBackend::Target> DfuBackend::targetFor(const FlashDevice& device) {
    if (!device_)
        return makeError(Errc::NoDevice, "the DFU backend is not connected");
    const dfu::AltSetting* alt = nullptr;
    if (!options_.alt.empty()) {
        alt = device_->findAlt(options_.alt);
        if (!alt)
            return makeError(Errc::NotFound, device_->description() + " has no alt setting \"" +
                                                 options_.alt + "\"; it has " + altList(*device_));
    } else {
        for (const DfuAlt& hint : board_.programmer.dfuAlts)
            if (hint.device == device.id && (alt = device_->findAlt(std::to_string(hint.index))))
                break;
    }
    const bool dfuse = device_->functional.isDfuse();
    if (!alt && dfuse) {
        // The alt whose memory holds the device's first address, of the same kind (on-chip or not).
        for (const dfu::AltSetting& a : device_->alts) {
            if (!a.memory)
                continue;
            auto described = flashDevicesFromDfuse(*a.memory, "x");
            const bool external = described && !described->empty() && isExternal(described->front().kind);
            for (std::uint64_t base : baseCandidates(device))
                if (!alt && external == isExternal(device.kind) && a.memory->sectorAt(base))
                    alt = &a;
        }
    }
    if (!alt && device_->alts.size() == 1)
        alt = &device_->alts.front();
    if (!alt)
        return makeError(Errc::NotFound, "which alt setting of " + device_->description() + " holds " +
                                             device.id + "? choose one of " + altList(*device_) +
                                             " with --alt");
    Target t{alt, 0, dfuse};
    if (dfuse) {
        if (!alt->memory)
            return makeError(Errc::Parse,
                             "alt setting " + std::to_string(alt->alt) + " \"" + alt->name +
                                 "\" is no DfuSe memory description" +
                                 (alt->memoryError ? ": " + alt->memoryError->message : std::string()));
        const auto bases = baseCandidates(device);
        const auto it = std::find_if(bases.begin(), bases.end(),
                                     [&](std::uint64_t b) { return alt->memory->sectorAt(b).has_value(); });
        if (it == bases.end())
            return makeError(Errc::OutOfRange, device.id + " (at " + formatAddress(bases.front()) +
                                                   ") is not in the memory of alt setting " +
                                                   std::to_string(alt->alt) + " \"" + alt->name + "\"");
        t.base = *it;
    }
    return t;
}

Result<void> DfuBackend::use(const Target& target, JobContext& ctx) {
    client_->setStop(stopOn(ctx));
    if (currentAlt_ == target.alt->alt)
        return {};
    if (auto r = handle_->setAltSetting(device_->interface, target.alt->alt); !r)
        return r;
    currentAlt_ = target.alt->alt;
    plainCache_.reset();
    return client_->toIdle();
}

Result<void> DfuBackend::dfuseAllows(const Target& target, std::uint64_t address, std::uint64_t length,
                                     std::uint8_t access, const char* what) const {
    if (address + length > 0x100000000ull)
        return makeError(Errc::OutOfRange, std::string(what) + " at " + formatAddress(address) +
                                               ": DfuSe addresses are 32 bits");
    if (!target.alt->memory->allows(address, length, access))
        return makeError(Errc::OutOfRange, std::string(what) + " [" + formatAddress(address) + ", " +
                                               formatAddress(address + length) + "): alt setting \"" +
                                               target.alt->name + "\" does not allow it there");
    return {};
}

Result<void> DfuBackend::erase(const FlashDevice& device, std::uint64_t offset, std::uint64_t length,
                               JobContext& ctx) {
    auto target = targetFor(device);
    if (!target)
        return target.error();
    if (!target->dfuse)
        return stagePlain(device, offset, {}, length);
    if (auto r = use(*target, ctx); !r)
        return r;
    const std::uint64_t from = target->base + offset, to = from + length;
    if (auto r = dfuseAllows(*target, from, length, kDfuseErasable, "erase"); !r)
        return r;
    dfu::DfuseClient dfuse(*client_);
    for (std::uint64_t at = from; at < to;) {
        if (auto c = ctx.checkCancelled(); !c)
            return c;
        const auto page = target->alt->memory->sectorAt(at);
        // A page larger than the range would take bytes outside it (another partition) with it.
        if (page->address < from || page->address + page->size > to)
            return makeError(Errc::Misaligned, "the device's page [" + formatAddress(page->address) + ", " +
                                                   formatAddress(page->address + page->size) +
                                                   ") reaches outside the range to erase [" +
                                                   formatAddress(from) + ", " + formatAddress(to) + ")");
        if (auto r = dfuse.erasePage(static_cast<std::uint32_t>(page->address)); !r)
            return r;
        at = page->address + page->size;
    }
    return {};
}

Result<void> DfuBackend::write(const FlashDevice& device, std::uint64_t offset,
                               std::span<const std::uint8_t> data, JobContext& ctx) {
    auto target = targetFor(device);
    if (!target)
        return target.error();
    if (!target->dfuse)
        return stagePlain(device, offset, data, data.size());
    if (auto r = use(*target, ctx); !r)
        return r;
    const std::uint64_t address = target->base + offset;
    if (auto r = dfuseAllows(*target, address, data.size(), kDfuseWritable, "write"); !r)
        return r;
    return dfu::DfuseClient(*client_).write(static_cast<std::uint32_t>(address), data, {});
}

Result<std::vector<std::uint8_t>> DfuBackend::read(const FlashDevice& device, std::uint64_t offset,
                                                   std::uint64_t length, JobContext& ctx) {
    auto target = targetFor(device);
    if (!target)
        return target.error();
    if (auto r = use(*target, ctx); !r)
        return r.error();
    if (!target->dfuse)
        return readPlain(*target, offset, length, ctx);
    const std::uint64_t address = target->base + offset;
    if (auto r = dfuseAllows(*target, address, length, kDfuseReadable, "read"); !r)
        return r.error();
    return dfu::DfuseClient(*client_).read(static_cast<std::uint32_t>(address), length, {});
}

Result<std::vector<SectorState>> DfuBackend::compare(const FlashDevice& device,
                                                     std::span<const ExpectedRange> ranges, JobContext& ctx) {
    std::vector<SectorState> states;
    if (ranges.empty())
        return states;
    auto target = targetFor(device);
    if (!target)
        return target.error();
    // The ranges are consecutive sectors: one read of the whole span costs one address and one abort,
    // not one per sector.
    std::uint64_t from = ranges.front().offset, to = from;
    for (const ExpectedRange& r : ranges) {
        from = std::min(from, r.offset);
        to = std::max(to, r.offset + r.bytes.size());
    }
    auto current = read(device, from, to - from, ctx);
    if (!current)
        return current.error();
    bool allMatch = true;
    for (const ExpectedRange& r : ranges) {
        const auto bytes = std::span(*current).subspan(r.offset - from, r.bytes.size());
        states.push_back(classifySector(bytes, r.bytes, device.eraseValue));
        allMatch = allMatch && states.back() == SectorState::Matches;
    }
    if (!target->dfuse && !allMatch) {
        ctx.log("plain DFU rewrites the whole image: no sector can be skipped");
        std::fill(states.begin(), states.end(), SectorState::Unknown);
    }
    return states;
}

Result<void> DfuBackend::stagePlain(const FlashDevice& device, std::uint64_t offset,
                                    std::span<const std::uint8_t> data, std::uint64_t length) {
    if (plain_ && plain_->deviceId != device.id)
        return makeError(Errc::NotSupported,
                         "plain DFU: one device per job (" + plain_->deviceId + " is pending)");
    if (!plain_)
        plain_ = PlainImage{device.id, {}};
    std::vector<std::uint8_t>& bytes = plain_->bytes;
    // The device writes its stream from the start of its memory: every byte before `offset` must
    // already be part of the image (written or erased in this job), or it would be lost.
    if (offset > bytes.size())
        return makeError(Errc::NotSupported, "plain DFU writes " + device.id +
                                                 " from its start as one image; nothing "
                                                 "was given for [" +
                                                 formatHex(bytes.size()) + ", " + formatHex(offset) + ")");
    if (offset + length > bytes.size())
        bytes.resize(static_cast<std::size_t>(offset + length), device.eraseValue);
    std::copy(data.begin(), data.end(), bytes.begin() + static_cast<std::ptrdiff_t>(offset));
    return {};
}

Result<void> DfuBackend::commit(const FlashDevice& device, JobContext& ctx) {
    if (!plain_)
        return {};
    auto target = targetFor(device);
    if (!target)
        return target.error();
    if (auto r = use(*target, ctx); !r)
        return r;
    const PlainImage image = std::move(*plain_);
    plain_.reset();
    plainCache_.reset();
    ctx.log("downloading " + formatSize(image.bytes.size()) + " to alt setting " +
            std::to_string(target->alt->alt) + " \"" + target->alt->name + "\"");
    auto state = client_->download(image.bytes, {});
    if (!state)
        return state.error();
    if (*state == static_cast<std::uint8_t>(dfu::State::ManifestWaitReset)) {
        ctx.log("the device is not manifestation tolerant: resetting it");
        (void)handle_->reset();
        return makeError(Errc::NotSupported,
                         "the image is downloaded and the device restarted: it cannot be read "
                         "back until it is in DFU mode again");
    }
    return {};
}

Result<std::vector<std::uint8_t>> DfuBackend::readPlain(const Target& target, std::uint64_t offset,
                                                        std::uint64_t length, JobContext& ctx) {
    if (!plainCache_ || plainCache_->alt != target.alt->alt ||
        (!plainCache_->complete && plainCache_->bytes.size() < offset + length)) {
        if (auto r = client_->toIdle(); !r)
            return r.error();
        auto bytes = client_->upload(offset + length, {});
        if (!bytes)
            return bytes.error();
        const bool complete = bytes->size() < offset + length;
        plainCache_ = PlainCache{target.alt->alt, std::move(*bytes), complete};
        (void)ctx;
    }
    if (plainCache_->bytes.size() < offset + length)
        return makeError(Errc::OutOfRange, "plain DFU: the device's memory ends at " +
                                               formatHex(plainCache_->bytes.size()) + ", before " +
                                               formatHex(offset + length));
    const auto first = plainCache_->bytes.begin() + static_cast<std::ptrdiff_t>(offset);
    return std::vector<std::uint8_t>(first, first + static_cast<std::ptrdiff_t>(length));
}

Result<void> DfuBackend::reset(JobContext& ctx) {
    if (!device_)
        return makeError(Errc::NoDevice, "the DFU backend is not connected");
    client_->setStop(stopOn(ctx));
    if (device_->functional.isDfuse()) {
        // Leave to the start of the first memory, where the chip boots from.
        std::optional<std::uint32_t> address;
        for (const dfu::AltSetting& a : device_->alts)
            if (!address && a.memory && !a.memory->regions.empty())
                address = static_cast<std::uint32_t>(a.memory->regions.front().address);
        if (auto r = client_->toIdle(); !r)
            return r;
        ctx.log("leaving DFU mode" + (address ? " to " + formatAddress(*address) : std::string()));
        if (auto r = dfu::DfuseClient(*client_).leave(address); !r)
            return r;
    } else {
        ctx.log("resetting " + device_->description() + " to start its firmware");
        if (auto r = handle_->reset(); !r)
            return r;
    }
    // The device left the bus; nothing more can be done with this session.
    client_.reset();
    handle_.reset();
    device_.reset();
    return {};
}

} // namespace flashplan::programmer
