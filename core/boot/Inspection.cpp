// SPDX-License-Identifier: Apache-2.0
#include "boot/Inspection.h"

#include "boot/SlotTrailer.h"
#include "image/McubootHeader.h"
#include "image/WolfbootHeader.h"
#include "util/Numbers.h"

#include <algorithm>

namespace flashplan {

namespace {

/// The first bytes that tell what a partition holds: MCUboot's struct image_header.
constexpr std::uint64_t kProbeSize = McubootHeader::kHeaderStructSize;

std::uint16_t le16(std::span<const std::uint8_t> b, std::size_t at) {
    return static_cast<std::uint16_t>(b[at] | (b[at + 1] << 8));
}

struct Reader {
    const FlashReader& read;
    const Partition& partition;
    const FlashDevice& device;
    std::uint64_t* bytesRead;

    /// Bytes at an offset from the partition's start, clipped to the partition.
    Result<std::vector<std::uint8_t>> at(std::uint64_t offset, std::uint64_t length) const {
        if (offset >= partition.size)
            return std::vector<std::uint8_t>{};
        length = std::min(length, partition.size - offset);
        auto bytes = read(device, partition.offset + offset, length);
        if (!bytes) {
            Error e = bytes.error();
            e.field = partition.label;
            return e;
        }
        *bytesRead += bytes->size();
        return bytes;
    }
};

Result<void> inspectMcuboot(const Reader& r, std::span<const std::uint8_t> head,
                            const InspectOptions& options, PartitionInspection& out) {
    out.content = PartitionContent::Mcuboot;
    const auto header = parseMcubootHeader(head);
    if (!header)
        return {};
    out.version = header->version.toString();
    out.loadAddress = header->loadAddress;
    // The TLV info after header, payload and protected TLVs gives where the image ends.
    const std::uint64_t tlvInfo =
        std::uint64_t(header->headerSize) + header->imageSize + header->protectedTlvSize;
    auto info = r.at(tlvInfo, 4);
    if (!info)
        return info.error();
    if (info->size() < 4 || le16(*info, 0) != McubootHeader::kTlvInfoMagic) {
        out.problem = "no TLV info (magic 0x6907) at " + formatHex(tlvInfo) +
                      ": the image is cut short or not "
                      "one bootutil can walk";
        out.imageSize = tlvInfo;
        return {};
    }
    out.imageSize = tlvInfo + le16(*info, 2);
    if (!options.hashes)
        return {};
    auto image = r.at(0, out.imageSize);
    if (!image)
        return image.error();
    auto check = mcuboot::checkSlotImage(*image, r.partition.size, r.device.eraseValue, options.key);
    if (!check) {
        out.problem = check.error().message;
        return {};
    }
    out.check = std::move(*check);
    return {};
}

} // namespace

std::string_view to_string(PartitionContent content) {
    switch (content) {
    case PartitionContent::Empty:
        return "erased";
    case PartitionContent::Mcuboot:
        return "mcuboot";
    case PartitionContent::Wolfboot:
        return "wolfboot";
    case PartitionContent::Unknown:
        return "unknown";
    }
    return "unknown";
}

std::string PartitionInspection::summary() const {
    switch (content) {
    case PartitionContent::Empty:
        return "erased (no image header)";
    case PartitionContent::Unknown:
        return "unknown data";
    case PartitionContent::Wolfboot: {
        std::string s = "wolfBoot v" + (version.empty() ? std::string("?") : version);
        if (!imageType.empty())
            s += " (" + imageType + ")";
        s += ", " + formatSize(imageSize);
        if (!problem.empty())
            return s + ", " + problem;
        if (wolfbootCheck) {
            s += ", " + wolfbootCheck->digest.message();
            if (wolfbootCheck->signature)
                s += ", " + wolfbootCheck->signature->message();
        }
        return s;
    }
    case PartitionContent::Mcuboot:
        break;
    }
    std::string s = "MCUboot " + (version.empty() ? std::string("?") : version);
    if (imageSize > 0)
        s += ", " + formatSize(imageSize);
    if (!problem.empty())
        return s + ", " + problem;
    if (check) {
        if (check->hash)
            s += ", " + check->hash->message();
        if (check->signature)
            s += ", " + check->signature->message();
        if (check->image != mcuboot::SlotImage::Valid && !check->problem.empty() &&
            (!check->hash || check->hash->ok()))
            s += ", " + check->problem;
    }
    return s;
}

std::string PairInspection::verdict() const {
    return next ? next->verdict() : "not modelled: " + next.error().message;
}

const PartitionInspection* Inspection::find(std::size_t partition) const {
    for (const PartitionInspection& p : partitions)
        if (p.partition == partition)
            return &p;
    return nullptr;
}

std::vector<std::string> Inspection::badges(std::size_t partition) const {
    const PartitionInspection* p = find(partition);
    if (!p)
        return {};
    std::vector<std::string> out;
    switch (p->content) {
    case PartitionContent::Empty:
        out.push_back("erased");
        break;
    case PartitionContent::Unknown:
        out.push_back("unknown data");
        break;
    case PartitionContent::Wolfboot:
        out.push_back("wolfBoot v" + (p->version.empty() ? std::string("?") : p->version));
        if (!p->problem.empty())
            out.push_back("cut short");
        else if (p->wolfbootCheck &&
                 p->wolfbootCheck->digest.status == wolfboot::DigestCheck::Status::Mismatch)
            out.push_back("hash mismatch");
        else if (p->wolfbootCheck &&
                 p->wolfbootCheck->digest.status == wolfboot::DigestCheck::Status::NoDigest)
            out.push_back("no digest");
        else if (p->wolfbootCheck && p->wolfbootCheck->signature &&
                 (p->wolfbootCheck->signature->status == wolfboot::SignatureCheck::Status::BadSignature ||
                  p->wolfbootCheck->signature->status == wolfboot::SignatureCheck::Status::KeyMismatch))
            out.push_back("bad signature");
        break;
    case PartitionContent::Mcuboot:
        out.push_back(p->version.empty() ? std::string("MCUboot image") : "v" + p->version);
        if (!p->problem.empty())
            out.push_back("cut short");
        else if (p->check && p->check->hash && p->check->hash->status == mcuboot::HashCheck::Status::Mismatch)
            out.push_back("hash mismatch");
        else if (p->check && p->check->hash &&
                 p->check->hash->status == mcuboot::HashCheck::Status::NoHashTlv)
            out.push_back("no hash TLV");
        else if (p->check && p->check->signature &&
                 p->check->signature->status != mcuboot::SignatureCheck::Status::Verified &&
                 p->check->signature->status != mcuboot::SignatureCheck::Status::Unchecked)
            out.push_back("bad signature");
        else if (p->check && p->check->image == mcuboot::SlotImage::Invalid)
            out.push_back("invalid image");
        break;
    }
    for (const PairInspection& pair : pairs) {
        if (!pair.next)
            continue;
        const mcuboot::NextBoot& next = *pair.next;
        if (partition == pair.secondary && next.refused())
            out.push_back("upgrade refused at next boot");
        else if (partition == pair.secondary && next.type == mcuboot::SwapType::Test)
            out.push_back("will swap at next boot (test)");
        else if (partition == pair.secondary && next.type == mcuboot::SwapType::Perm)
            out.push_back("will swap at next boot (permanent)");
        else if (partition == pair.primary && next.type == mcuboot::SwapType::Revert)
            out.push_back("will revert at next boot");
    }
    return out;
}

Result<Inspection> inspectLayout(const Layout& layout, const FlashReader& read,
                                 const InspectOptions& options) {
    Inspection out;
    for (std::size_t i = 0; i < layout.partitions.size(); ++i) {
        const Partition& p = layout.partitions[i];
        const FlashDevice* device = layout.deviceOf(p);
        if (!device || p.size == 0 || p.end() > device->size())
            continue;
        PartitionInspection part;
        part.partition = i;
        const Reader r{read, p, *device, &part.bytesRead};
        auto head = r.at(0, kProbeSize);
        if (!head)
            return head.error();
        const bool erased =
            std::all_of(head->begin(), head->end(), [&](std::uint8_t b) { return b == device->eraseValue; });
        if (erased) {
            part.content = PartitionContent::Empty;
        } else if (hasMcubootMagic(*head)) {
            if (auto done = inspectMcuboot(r, *head, options, part); !done)
                return done.error();
        } else if (hasWolfbootMagic(*head)) {
            part.content = PartitionContent::Wolfboot;
            const std::string* size = layout.bootloader.setting("IMAGE_HEADER_SIZE");
            std::uint64_t headerSize = WolfbootHeader::kDefaultHeaderSize;
            if (size)
                if (auto n = parseNumber(*size); n && *n > 0 && *n <= 0x10000)
                    headerSize = *n;
            auto bytes = r.at(0, headerSize);
            if (!bytes)
                return bytes.error();
            if (const auto h = parseWolfbootHeader(*bytes, static_cast<std::uint32_t>(headerSize))) {
                if (h->version)
                    part.version = std::to_string(*h->version);
                if (h->imageType)
                    part.imageType = wolfbootImageTypeText(*h->imageType);
                part.imageSize = h->totalSize();
                if (part.imageSize > p.size) {
                    part.problem = "its size " + formatHex(part.imageSize) + " runs past the partition's end";
                } else if (options.hashes) {
                    auto image = r.at(0, part.imageSize);
                    if (!image)
                        return image.error();
                    auto check = wolfboot::checkWolfbootImage(*image, *h, options.key);
                    if (!check)
                        part.problem = check.error().message;
                    else
                        part.wolfbootCheck = std::move(*check);
                }
            }
        } else {
            part.content = PartitionContent::Unknown;
        }
        // An MCUboot slot: its trailer area, from the first byte a request or stale trailer can touch.
        if (auto slot = mcuboot::slotTrailer(layout, i); slot && *slot) {
            const mcuboot::TrailerLayout& t = (*slot)->trailer;
            auto tail = r.at(t.areaStart, t.areaSize());
            if (!tail)
                return tail.error();
            if (auto trailer = mcuboot::readTrailer(t, *tail, (*slot)->erasedValue))
                part.trailer = std::move(*trailer);
        }
        out.bytesRead += part.bytesRead;
        out.partitions.push_back(std::move(part));
    }

    // Each image pair, as boot_validated_swap_type() decides it.
    for (const PartitionInspection& part : out.partitions) {
        auto slot = mcuboot::slotTrailer(layout, part.partition);
        if (!slot || !*slot || !(*slot)->isPrimary())
            continue;
        const PartitionInspection* primary = &part;
        const PartitionInspection* secondary = out.find((*slot)->secondary);
        if (!primary->trailer || !secondary || !secondary->trailer)
            continue;
        mcuboot::NextBootInput in;
        in.mode = (*slot)->mode;
        in.primary = primary->trailer->state;
        in.secondary = secondary->trailer->state;
        in.compatibility = (*slot)->compatibility;
        if (secondary->content != PartitionContent::Mcuboot) {
            in.secondaryImage = secondary->content == PartitionContent::Empty ? mcuboot::SlotImage::NoImage
                                                                              : mcuboot::SlotImage::Invalid;
            in.secondaryProblem =
                secondary->content == PartitionContent::Empty ? "no image" : "no MCUboot image";
        } else if (secondary->check) {
            in.secondaryImage = secondary->check->image;
            in.secondaryProblem = secondary->check->problem;
        } else if (!secondary->problem.empty()) {
            in.secondaryImage = mcuboot::SlotImage::Invalid;
            in.secondaryProblem = secondary->problem;
        }
        PairInspection pair;
        pair.image = (*slot)->image;
        pair.primary = primary->partition;
        pair.secondary = secondary->partition;
        pair.next = mcuboot::nextBoot(in);
        out.pairs.push_back(std::move(pair));
    }
    return out;
}

} // namespace flashplan
