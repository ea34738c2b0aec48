// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "boot/ImageCheck.h"
#include "boot/PublicKey.h"
#include "boot/SwapDecision.h"
#include "boot/TrailerReader.h"
#include "boot/WolfbootCheck.h"
#include "model/Layout.h"
#include "util/Result.h"

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace flashplan {

/// Reads `length` bytes at device offset `offset` of `device` (a backend's read, or a file's bytes).
using FlashReader = std::function<Result<std::vector<std::uint8_t>>(
    const FlashDevice& device, std::uint64_t offset, std::uint64_t length)>;

/// What a partition's first bytes say it holds.
enum class PartitionContent {
    Empty,    ///< its first bytes are erased: no image header
    Mcuboot,  ///< an MCUboot image (IMAGE_MAGIC)
    Wolfboot, ///< a wolfBoot image ("WOLF")
    Unknown,  ///< data that is neither
};
/// "erased", "mcuboot", "wolfboot", "unknown".
std::string_view to_string(PartitionContent content);

/// One partition as inspectLayout() found it.
struct PartitionInspection {
    std::size_t partition = 0; ///< index into Layout::partitions
    PartitionContent content = PartitionContent::Empty;
    std::string version;         ///< the image's version ("1.2.3+0", wolfBoot's "7"), if any
    std::uint64_t imageSize = 0; ///< header, payload and TLVs (MCUboot); header and image (wolfBoot)
    std::optional<std::uint32_t> loadAddress; ///< MCUboot ih_load_addr
    /// MCUboot with hashes checked: what boot_validate_slot() would find (hash, signature with the key).
    std::optional<mcuboot::SlotImageCheck> check;
    /// wolfBoot with hashes checked: the digest (and, with the key, the signature), as wolfBoot checks them.
    std::optional<wolfboot::ImageCheck> wolfbootCheck;
    std::string imageType; ///< wolfBoot's HDR_IMG_TYPE in words ("application, ECC256")
    std::string problem;   ///< why the header could not be walked, when it could not
    /// The partition is an MCUboot slot: its trailer, as boot_read_swap_state() reads it.
    std::optional<mcuboot::TrailerRead> trailer;
    std::uint64_t bytesRead = 0;
    /// One line for people: "MCUboot 1.2.3+0, 1.6 KiB, SHA256 matches", "wolfBoot v7 (application,
    /// ECC256), 1.2 KiB, SHA256 matches", "erased", "unknown data".
    std::string summary() const;
};

/// An MCUboot image pair and what MCUboot does with it at the next boot.
struct PairInspection {
    int image = 0;
    std::size_t primary = 0, secondary = 0;
    /// nextBoot(); an error for the modes that pick a slot by version (direct-xip, ram-load).
    Result<mcuboot::NextBoot> next = makeError(Errc::NotSupported, "not decided");
    /// next->verdict(), or "not modelled: <why>".
    std::string verdict() const;
};

struct Inspection {
    std::vector<PartitionInspection> partitions; ///< in layout order, partitions on a known device only
    std::vector<PairInspection> pairs;           ///< one per MCUboot image with both slots
    std::uint64_t bytesRead = 0;
    const PartitionInspection* find(std::size_t partition) const;
    /// What a map shows on a partition after the inspection, most important last: what it holds ("v1.2.3+0",
    /// "erased", "unknown data", "wolfBoot v7"), why its image fails ("hash mismatch", "bad signature",
    /// "cut short"), and what MCUboot does with it at the next boot ("will swap at next boot (test)" on the
    /// secondary, "will revert at next boot" on the primary, "upgrade refused at next boot" on a secondary
    /// whose request MCUboot turns down). Empty for a partition that was not inspected.
    std::vector<std::string> badges(std::size_t partition) const;
};

struct InspectOptions {
    /// Read each image whole to check its hash TLV (and signature, with `key`); false reads the header,
    /// the TLV info and the trailer only.
    bool hashes = true;
    const mcuboot::PublicKey* key = nullptr;
};

/// Reads what each partition holds, reading only what the answer needs: the first 32 bytes (a header or
/// erased flash), an MCUboot image's TLV info and, with `hashes`, the image through its TLVs once; a
/// wolfBoot header (IMAGE_HEADER_SIZE from the layout's settings, else 256) and, with `hashes`, its
/// firmware once; an MCUboot slot's trailer area. Then, for each MCUboot image pair, the next-boot
/// decision from both trailers and the secondary's image. Errors: the first read that fails (the
/// partition named in Error::field).
Result<Inspection> inspectLayout(const Layout& layout, const FlashReader& read,
                                 const InspectOptions& options);

} // namespace flashplan
