// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "boot/TrailerRequest.h"
#include "image/Image.h"
#include "image/ImageFit.h"
#include "image/ImageHeader.h"
#include "model/Diagnostic.h"
#include "model/Layout.h"
#include "program/FlashPlan.h"
#include "util/Error.h"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace flashplan {

/// What a programmer job does to its partition.
enum class JobKind { Flash, Verify, Read, Erase };
const char* to_string(JobKind kind);
/// Whether the job changes flash (flash, erase).
bool writesFlash(JobKind kind);

/// The image a flash or verify brings: loaded, or why it could not be.
struct PreflightImage {
    std::string name;             ///< the file as the user named it, for messages
    const Image* image = nullptr; ///< null when it could not be read: `loadError` says why
    std::optional<Error> loadError;
};

/// One job on one partition, as the CLI or the GUI is asked for it.
struct PreflightRequest {
    JobKind kind = JobKind::Flash;
    const Layout* layout = nullptr;
    std::size_t partition = 0;
    PreflightImage image; ///< flash and verify
    /// Replaces bootloaderReserve() for the partition (`flashplan-cli image --trailer-reserve`).
    std::optional<std::uint64_t> trailerReserve;
    /// A flash leaves the bootloader's reserve at the partition's end (MCUboot's trailer area) erased, so
    /// that no stale trailer makes the bootloader act on an image nobody asked it to; true leaves it as it
    /// is (`--keep-trailer`).
    bool keepTrailer = false;
    /// flash: what the trailer of an MCUboot slot asks of MCUboot afterwards (`--mcuboot`): test or
    /// permanent for a secondary slot, confirm for a primary. Unset: none, or the request an image padded
    /// by `imgtool sign --pad` carries in its trailer.
    std::optional<mcuboot::UpgradeRequest> request;
    /// flash, erase: the user confirmed writing this read-only partition (a bootloader into its own
    /// partition; `--write-read-only`, a confirmation naming it in the GUI).
    bool writeReadOnly = false;
};

/// A job that may run: the partition, and for flash and verify the bytes and where they go.
struct ReadyJob {
    JobKind kind = JobKind::Flash;
    std::size_t partition = 0;
    std::uint64_t offset = 0;        ///< device offset of bytes[0] (flash, verify)
    std::vector<std::uint8_t> bytes; ///< the image flattened, gaps filled with the erase value
    std::uint64_t reserve = 0;       ///< bytes at the partition's end its bootloader keeps
    /// flash: what the partition must hold besides the image (the trailer area, erased), for
    /// FlashRequest::more, and what it is.
    std::vector<FlashRun> more;
    std::string moreWhat;
    /// flash of an MCUboot slot: the request its trailer will hold (None: erased); unset when the slot is
    /// no MCUboot slot or --keep-trailer leaves the trailer alone.
    std::optional<mcuboot::UpgradeRequest> request;
    bool writeReadOnly = false; ///< flash, erase: confirmed writing a read-only partition
};

/// The one answer to "may this job run, and with which bytes": a ready job, or every reason it may not,
/// each a Diagnostic of severity Error with a rule id `preflight.*` (or the layout's own rule ids for
/// the layout's errors). The image's header and placement, as far as they could be worked out, come
/// along in both cases, so a caller can describe the image it refuses.
struct Preflight {
    std::optional<ReadyJob> job;
    std::vector<Diagnostic> reasons;
    std::optional<ImageHeader> header; ///< flash and verify, once the image was read
    std::optional<ImageFit> fit;       ///< flash and verify, once the image could be placed
    std::uint64_t reserve = 0;         ///< the bootloader's bytes at the partition's end
    /// flash and verify into an MCUboot slot: the image was padded by `imgtool sign --pad` and its trailer
    /// carries this request (None: padded with an erased trailer); fit and bytes are the image's alone.
    std::optional<mcuboot::UpgradeRequest> padded;

    bool ready() const { return job.has_value(); }
};

/// Decides a job before anything connects. The rules, the same for every caller:
/// - the partition exists, lies on a device of the board and inside it;
/// - a job that writes (flash, erase) needs a layout without errors (as validate() finds them: the
///   partitions it would write may be wrong), a partition that is not reserved for another owner, and
///   not read-only unless the user confirmed writing it (`writeReadOnly`);
/// - flash and verify need an image that could be read, whose header is not malformed, that lands inside
///   the partition (fitImage()) and fits once its header, TLVs and the bootloader's reserve (MCUboot's
///   trailer, bootloaderReserve(), or `trailerReserve`) are counted; a flash also in whole write blocks.
///   An image padded by `imgtool sign --pad` is the image plus a trailer: it fits when the image does,
///   and the trailer's request becomes the job's (unpadImage());
/// - a flash into an MCUboot slot leaves its trailer area erased or holding the request, one the slot
///   takes (checkRequest()); a request for a slot that is none is refused.
/// Read and verify change nothing, so a layout with errors or a read-only partition does not stop them.
Preflight preflight(const PreflightRequest& request);

} // namespace flashplan
