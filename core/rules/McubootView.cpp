// SPDX-License-Identifier: Apache-2.0
#include "rules/McubootView.h"

#include "model/BootloaderProfile.h"
#include "rules/BootloaderSettings.h"
#include "rules/McubootRules.h"
#include "util/Numbers.h"

#include <algorithm>
#include <array>
#include <utility>

namespace flashplan::mcuboot {

namespace {

bool flag(const BootloaderProfile& b, std::string_view name, Settings& s) {
    const std::string* v = b.setting(name);
    if (!v)
        return false;
    const auto on = parseFlag(*v);
    if (!on) {
        s.problems.push_back(std::string(name) + "=" + *v + " is neither y nor n (1/0, true/false)");
        return false;
    }
    return *on;
}

std::optional<std::uint64_t> number(const BootloaderProfile& b, std::string_view name, Settings& s) {
    const std::string* v = b.setting(name);
    if (!v)
        return std::nullopt;
    const auto n = numericSetting(b, name);
    if (!n)
        s.problems.push_back(std::string(name) + "=" + *v + " is not a number");
    return n;
}

} // namespace

bool isPowerOfTwo(std::uint64_t value) {
    return value != 0 && (value & (value - 1)) == 0;
}

Settings readSettings(const BootloaderProfile& b) {
    Settings s;
    if (const auto n = number(b, kMaxImgSectorsSetting, s)) {
        if (*n == 0)
            s.problems.push_back(std::string(kMaxImgSectorsSetting) +
                                 "=0: MCUboot needs room for one sector at least");
        else
            s.maxImgSectors = *n;
    }
    s.maxAlign = number(b, kMaxAlignSetting, s);
    if (s.maxAlign == std::uint64_t{0}) {
        s.problems.push_back(std::string(kMaxAlignSetting) + "=0 is no alignment");
        s.maxAlign.reset();
    }
    s.logicalSectorSize = number(b, kLogicalSectorSetting, s).value_or(0);

    Encryption& e = s.encryption;
    e.enabled = flag(b, kEncImagesSetting, s);
    e.aes256 = flag(b, kAes256Setting, s);
    e.saveEncTlv = flag(b, kSaveEncTlvSetting, s);
    e.hmacSha512 = flag(b, kHmacSha512Setting, s);
    const std::array exchanges{std::pair{kEncryptRsaSetting, KeyExchange::Rsa2048},
                               std::pair{kEncryptEc256Setting, KeyExchange::Ec256},
                               std::pair{kEncryptX25519Setting, KeyExchange::X25519},
                               std::pair{kEncryptKwSetting, KeyExchange::Kw}};
    std::string chosen;
    for (const auto& [name, exchange] : exchanges)
        if (flag(b, name, s)) {
            if (!chosen.empty())
                s.problems.push_back(chosen + " and " + std::string(name) +
                                     " are both set; MCUboot takes one key exchange");
            chosen = name;
            e.exchange = exchange;
        }
    // With MCUBOOT_SWAP_SAVE_ENCTLV the trailer holds the key TLVs, whose size depends on the exchange.
    if (e.enabled && e.saveEncTlv && chosen.empty())
        s.problems.push_back(
            std::string(kSaveEncTlvSetting) +
            " stores the encrypted key TLVs, whose size depends on the key exchange: set one of "
            "MCUBOOT_ENCRYPT_RSA, _EC256, _X25519 or _KW");
    if (e.enabled && e.exchange == KeyExchange::Ec256 && e.hmacSha512 && !chosen.empty())
        s.problems.push_back("ECIES-P256 does not support HMAC-SHA512 (enc_key_public.h)");
    return s;
}

View viewOf(const Layout& layout) {
    View v;
    v.layout = &layout;
    v.mode = layout.bootloader.upgradeMode();
    v.settings = readSettings(layout.bootloader);
    for (std::size_t i = 0; i < layout.partitions.size(); ++i) {
        const Partition& p = layout.partitions[i];
        switch (p.role) {
        case PartitionRole::Boot:
            v.boots.push_back(i);
            break;
        case PartitionRole::Scratch:
            v.scratches.push_back(i);
            break;
        case PartitionRole::Slot0:
            v.images[p.imageIndex].primaries.push_back(i);
            break;
        case PartitionRole::Slot1:
            v.images[p.imageIndex].secondaries.push_back(i);
            break;
        default:
            break;
        }
    }
    const auto widen = [&](std::size_t i) {
        if (const FlashDevice* d = layout.deviceOf(layout.partitions[i]))
            v.largestWriteBlock = std::max<std::uint64_t>(v.largestWriteBlock, d->writeBlockSize);
    };
    for (const auto& [n, slots] : v.images) {
        std::for_each(slots.primaries.begin(), slots.primaries.end(), widen);
        std::for_each(slots.secondaries.begin(), slots.secondaries.end(), widen);
    }
    if (v.mode == UpgradeMode::SwapUsingScratch)
        std::for_each(v.scratches.begin(), v.scratches.end(), widen);
    v.maxAlign = v.settings.maxAlign.value_or(defaultMaxAlign(v.largestWriteBlock));
    return v;
}

std::optional<Area> areaOf(const View& view, std::size_t partition) {
    const Partition& p = view.layout->partitions[partition];
    const FlashDevice* d = view.layout->deviceOf(p);
    if (!d || p.size == 0 || !rangeWithin(p.offset, p.size, d->size()))
        return std::nullopt;
    Area a{partition, &p, d, slotSectors(d->sectors, p.offset, p.size), {}};
    const std::uint64_t logical = view.settings.logicalSectorSize;
    if (logical == 0) {
        a.sectors = a.physical;
    } else {
        if (p.size % logical != 0 || p.size < logical)
            return std::nullopt;
        a.sectors = logicalSectors(p.size, logical);
    }
    return a;
}

std::optional<std::pair<Area, Area>> slotsOf(const View& view, int image) {
    const auto it = view.images.find(image);
    if (it == view.images.end() || it->second.primaries.size() != 1 || it->second.secondaries.size() != 1)
        return std::nullopt;
    auto primary = areaOf(view, it->second.primaries.front());
    auto secondary = areaOf(view, it->second.secondaries.front());
    if (!primary || !secondary)
        return std::nullopt;
    return std::pair{std::move(*primary), std::move(*secondary)};
}

std::optional<Area> scratchOf(const View& view) {
    if (view.scratches.size() != 1)
        return std::nullopt;
    return areaOf(view, view.scratches.front());
}

TrailerConfig trailerConfig(const View& view, const Area& primary) {
    TrailerConfig c;
    c.mode = view.mode.value_or(UpgradeMode::SwapUsingScratch);
    c.maxImgSectors = view.settings.maxImgSectors;
    c.maxAlign = view.maxAlign;
    c.encryption = view.settings.encryption;
    c.writeSize = primary.device->writeBlockSize;
    if (c.mode == UpgradeMode::SwapUsingScratch)
        if (const auto scratch = scratchOf(view))
            c.writeSize = std::max<std::uint64_t>(c.writeSize, scratch->device->writeBlockSize);
    return c;
}

std::uint64_t neededMaxImgSectors(const View& view) {
    std::uint64_t needed = 0;
    const auto take = [&](std::size_t i) {
        if (const auto a = areaOf(view, i))
            needed = std::max(needed, a->sectors.sectorCount());
    };
    for (const auto& [n, slots] : view.images) {
        std::for_each(slots.primaries.begin(), slots.primaries.end(), take);
        std::for_each(slots.secondaries.begin(), slots.secondaries.end(), take);
    }
    if (view.mode == UpgradeMode::SwapUsingScratch)
        std::for_each(view.scratches.begin(), view.scratches.end(), take);
    return needed;
}

std::string nameOf(const View& view, std::size_t partition) {
    const Partition& p = view.layout->partitions[partition];
    std::string name = p.label.empty() ? "partition #" + std::to_string(partition) : p.label;
    if (view.images.size() > 1 && (p.role == PartitionRole::Slot0 || p.role == PartitionRole::Slot1))
        name += " (image " + std::to_string(p.imageIndex) + ")";
    return name;
}

std::string imagePrefix(const View& view, int image) {
    return view.images.size() > 1 ? "image " + std::to_string(image) + ": " : "";
}

bool isFree(const Layout& layout, const std::string& device, std::uint64_t from, std::uint64_t to,
            std::size_t except) {
    const Partition& self = layout.partitions[except];
    for (std::size_t k = 0; k < layout.partitions.size(); ++k) {
        const Partition& q = layout.partitions[k];
        if (k == except || q.device != device || q.size == 0)
            continue;
        if (layout.isAncestor(q, self) || layout.isAncestor(self, q))
            continue;
        if (q.offset < to && from < q.end())
            return false;
    }
    return true;
}

std::optional<Fix> resizeFix(const Layout& layout, const Area& area, std::uint64_t newSize, std::string why) {
    const Partition& p = *area.partition;
    const SectorMap& map = area.device->sectors;
    if (newSize == 0 || newSize == p.size || !rangeWithin(p.offset, newSize, map.totalSize()) ||
        !map.isBoundary(p.offset + newSize))
        return std::nullopt;
    if (newSize > p.size && !isFree(layout, p.device, p.end(), p.offset + newSize, area.index))
        return std::nullopt;
    return Fix{std::string(newSize > p.size ? "Grow " : "Shrink ") + p.label + " to " + formatHex(newSize) +
                   " (" + formatSize(newSize) + ")" + (why.empty() ? "" : " " + why),
               {PartitionEdit{area.index, p.offset, newSize}},
               {}};
}

std::optional<Fix> placeFix(const Layout& layout, const Area& area, std::uint64_t size, std::string why) {
    const Partition& p = *area.partition;
    const SectorMap& map = area.device->sectors;
    const auto tryAt = [&](std::uint64_t offset) -> std::optional<Fix> {
        if (!map.isBoundary(offset) || !rangeWithin(offset, size, map.totalSize()))
            return std::nullopt;
        const std::uint64_t end = map.boundaryAtOrAbove(offset + size);
        if (!isFree(layout, p.device, offset, end, area.index))
            return std::nullopt;
        const std::string what = offset == p.offset ? "Grow " + p.label + " to " + formatHex(end - offset)
                                                    : "Move " + p.label + " to " + formatHex(offset) +
                                                          " with size " + formatHex(end - offset);
        return Fix{what + " (" + formatSize(end - offset) + ")" + (why.empty() ? "" : " " + why),
                   {PartitionEdit{area.index, offset, end - offset}},
                   {}};
    };
    if (auto f = tryAt(p.offset))
        return f;
    std::optional<Fix> found;
    const auto search = [&](std::uint64_t from, std::uint64_t to) {
        map.forEachSector(from, to - from, [&](const Sector& s) {
            if (s.offset >= from)
                found = tryAt(s.offset);
            return !found;
        });
    };
    search(p.offset, map.totalSize());
    if (!found)
        search(0, p.offset);
    return found;
}

Fix settingFix(std::string_view name, std::string value, std::string description) {
    Fix f;
    f.description = std::move(description);
    f.settings.emplace_back(std::string(name), std::move(value));
    return f;
}

std::optional<std::string> logicalSectorProblem(const Area& area, std::uint64_t logical) {
    const Partition& p = *area.partition;
    if (!isPowerOfTwo(logical))
        return formatHex(logical) + " is not a power of two";
    if (p.size % logical != 0 || p.size < logical)
        return "size " + formatHex(p.size) + " is not a multiple of it";
    if (!area.device->eraseRequired) {
        if (logical % area.device->writeBlockSize != 0)
            return "it is not a multiple of the " + std::to_string(area.device->writeBlockSize) +
                   "-byte write block of " + area.device->id;
        return std::nullopt;
    }
    const SectorMap& map = area.device->sectors;
    for (std::uint64_t off = 0; off < p.size; off += logical)
        if (!map.isBoundary(p.offset + off)) {
            const Sector s = *map.sectorAt(p.offset + off);
            return "the logical sector at " + formatHex(off) + " starts inside the " + formatSize(s.size) +
                   " sector at " + formatHex(s.offset) + " of " + area.device->id;
        }
    return std::nullopt;
}

std::optional<std::uint64_t> proposeLogicalSectorSize(const std::vector<Area>& areas) {
    std::uint64_t largest = 0, smallestArea = UINT64_MAX;
    for (const Area& a : areas) {
        largest = std::max(largest, a.physical.largestSector());
        smallestArea = std::min(smallestArea, a.size());
    }
    if (largest == 0)
        return std::nullopt;
    std::uint64_t logical = 1;
    while (logical < largest)
        logical <<= 1;
    for (; logical <= smallestArea; logical <<= 1) {
        const bool fits = std::all_of(areas.begin(), areas.end(),
                                      [&](const Area& a) { return !logicalSectorProblem(a, logical); });
        if (fits)
            return logical;
    }
    return std::nullopt;
}

std::vector<Area> physicalAreas(const View& view) {
    View physical = view;
    physical.settings.logicalSectorSize = 0;
    std::vector<Area> out;
    const auto take = [&](std::size_t i) {
        if (auto a = areaOf(physical, i))
            out.push_back(std::move(*a));
    };
    for (const auto& [n, slots] : view.images) {
        std::for_each(slots.primaries.begin(), slots.primaries.end(), take);
        std::for_each(slots.secondaries.begin(), slots.secondaries.end(), take);
    }
    if (view.mode == UpgradeMode::SwapUsingScratch)
        std::for_each(view.scratches.begin(), view.scratches.end(), take);
    return out;
}

// What the rules share to word their findings.

Diagnostic diagnostic(Severity s, const char* rule, std::string message, std::vector<std::size_t> partitions,
                      std::optional<Fix> fix) {
    return Diagnostic{s, rule, std::move(message), std::move(partitions), std::move(fix)};
}

/// "(0x5000, 20 KiB)", to follow a partition's name.
std::string sizeNote(std::uint64_t bytes) {
    return "(" + formatHex(bytes) + ", " + formatSize(bytes) + ")";
}

/// "235 sectors of 4 KiB", or the runs when they differ ("4x16K, 1x64K, 7x128K" style).
std::string describeSectors(const SectorMap& sectors) {
    const std::uint64_t n = sectors.sectorCount();
    if (sectors.runs().size() == 1)
        return std::to_string(n) + (n == 1 ? " sector of " : " sectors of ") +
               formatSize(sectors.runs()[0].size);
    return std::to_string(n) + " sectors (" + sectors.toString() + ")";
}

bool uniform(const SectorMap& sectors) {
    return sectors.runs().size() == 1;
}

std::string listNames(const View& v, const std::vector<std::size_t>& idx) {
    std::string out;
    for (std::size_t i = 0; i < idx.size(); ++i)
        out += (i == 0 ? "" : i + 1 == idx.size() ? " and " : ", ") + nameOf(v, idx[i]);
    return out;
}

/// A fix that resizes `first` to `firstSize`, or else `second` to `secondSize`.
std::optional<Fix> resizeEither(const Layout& layout, const Area& first, std::uint64_t firstSize,
                                const Area& second, std::uint64_t secondSize, const std::string& why) {
    if (auto f = resizeFix(layout, first, firstSize, why))
        return f;
    return resizeFix(layout, second, secondSize, why);
}

std::optional<McubootImageSpace> imageSpaceOf(const View& v, int image) {
    if (!v.mode)
        return std::nullopt;
    const auto slots = slotsOf(v, image);
    if (!slots)
        return std::nullopt;
    const auto& [pri, sec] = *slots;
    if (comparesSlots(*v.mode) &&
        slotsCompatible(*v.mode, pri.sectors, sec.sectors).verdict != Compatibility::Compatible)
        return std::nullopt;
    McubootImageSpace s;
    s.image = image;
    s.primary = pri.index;
    s.secondary = sec.index;
    s.slotSize = pri.size();
    s.config = trailerConfig(v, pri);
    s.space = imageSpace(s.config, pri.sectors, sec.sectors);
    return s;
}

/// "trailer 0x630 (1584 B): status 0x600 (BOOT_MAX_IMG_SECTORS=128 x 3 x BOOT_WRITE_SZ 4) + 0x30 of
/// trailer info (...) at BOOT_MAX_ALIGN 8"
std::string describeTrailer(const TrailerConfig& c) {
    std::string info = "swap size, swap info, copy done, image ok";
    if (c.mode == UpgradeMode::SwapUsingOffset)
        info += ", TLV sizes";
    if (c.encryption.enabled)
        info += c.encryption.saveEncTlv ? ", encrypted key TLVs" : ", encryption keys";
    info += " and magic";
    return "trailer " + formatHexAndSize(trailerSize(c)) + ": status " + formatHex(statusSize(c)) +
           " (BOOT_MAX_IMG_SECTORS=" + std::to_string(c.maxImgSectors) + " x " +
           std::to_string(statusStateCount(c.mode)) + " x BOOT_WRITE_SZ " + std::to_string(c.writeSize) +
           ") + " + formatHex(trailerInfoSize(c)) + " of " + info + " at BOOT_MAX_ALIGN " +
           std::to_string(c.maxAlign);
}

} // namespace flashplan::mcuboot
