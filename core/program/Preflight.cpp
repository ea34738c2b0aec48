// SPDX-License-Identifier: Apache-2.0
#include "program/Preflight.h"

#include "program/FlashPayload.h"
#include "program/FlashPlan.h"
#include "program/PartitionGuard.h"
#include "program/SlotRequest.h"
#include "rules/RulePack.h"

namespace flashplan {

const char* to_string(JobKind kind) {
    switch (kind) {
    case JobKind::Flash:
        return "flash";
    case JobKind::Verify:
        return "verify";
    case JobKind::Read:
        return "read";
    case JobKind::Erase:
        return "erase";
    }
    return "?";
}

bool writesFlash(JobKind kind) {
    return kind == JobKind::Flash || kind == JobKind::Erase;
}

namespace {

Diagnostic reason(std::string rule, std::string message, std::size_t partition) {
    Diagnostic d;
    d.severity = Severity::Error;
    d.rule = std::move(rule);
    d.message = std::move(message);
    d.partitions = {partition};
    return d;
}

/// "app.bin: " before a message about the image, so the reader knows which file it is about.
std::string aboutImage(const PreflightImage& image, const std::string& message) {
    return image.name.empty() ? message : image.name + ": " + message;
}

/// Why a write job may not touch this partition at all.
void checkWritable(const PreflightRequest& r, const Partition& p, Preflight& out) {
    const std::string what = to_string(r.kind);
    std::vector<Diagnostic> errors;
    for (Diagnostic& d : validate(*r.layout))
        if (d.severity == Severity::Error)
            errors.push_back(std::move(d));
    if (!errors.empty()) {
        out.reasons.push_back(reason("preflight.layout-errors",
                                     "the layout has " + std::to_string(errors.size()) +
                                         (errors.size() == 1 ? " error" : " errors") + "; " + what +
                                         " writes only to a layout without errors",
                                     r.partition));
        out.reasons.insert(out.reasons.end(), errors.begin(), errors.end());
    }
    if (p.readOnly && !r.writeReadOnly)
        out.reasons.push_back(reason("preflight.read-only",
                                     p.label + " is read-only; " + what +
                                         " writes to it only when you confirm it (--write-read-only)",
                                     r.partition));
    if (p.role == PartitionRole::Reserved)
        out.reasons.push_back(reason(
            "preflight.reserved",
            p.label + " is reserved for another owner; " + what + " does not write to it", r.partition));
}

/// What a flash leaves in the trailer area of the slot: erased, or the request asked (`--mcuboot`) or
/// carried by a padded image.
void planTrailer(const PreflightRequest& r, const std::optional<mcuboot::SlotTrailer>& slot,
                 std::optional<mcuboot::UpgradeRequest> padded, Preflight& out, ReadyJob& job) {
    const Partition& p = r.layout->partitions[r.partition];
    const bool asked = r.request && *r.request != mcuboot::UpgradeRequest::None;
    if (asked && !slot) {
        out.reasons.push_back(reason("preflight.mcuboot-request",
                                     p.label +
                                         " is not a primary or secondary slot of an MCUboot layout, so "
                                         "it has no trailer for a " +
                                         std::string(mcuboot::to_string(*r.request)) + " request",
                                     r.partition));
        return;
    }
    if (asked && r.keepTrailer) {
        out.reasons.push_back(reason("preflight.mcuboot-request",
                                     "a " + std::string(mcuboot::to_string(*r.request)) +
                                         " request writes the trailer that --keep-trailer keeps; ask for one",
                                     r.partition));
        return;
    }
    if (!slot || r.keepTrailer)
        return;
    const mcuboot::UpgradeRequest request =
        r.request ? *r.request : padded.value_or(mcuboot::UpgradeRequest::None);
    if (auto ok = checkRequest(*slot, p, request); !ok) {
        out.reasons.push_back(reason("preflight.mcuboot-request", ok.error().message, r.partition));
        return;
    }
    job.more.push_back(trailerRun(p, *slot, out.reserve, request));
    job.request = request;
    job.moreWhat = "the MCUboot trailer of " + p.label +
                   (request == mcuboot::UpgradeRequest::None
                        ? std::string()
                        : " (a " + std::string(mcuboot::to_string(request)) + " request)");
}

/// Reads, places and flattens the image of a flash or verify.
void checkImage(const PreflightRequest& r, const PartitionGuard& guard, Preflight& out, ReadyJob& job) {
    const Partition& p = r.layout->partitions[r.partition];
    const PreflightImage& in = r.image;
    if (!in.image) {
        if (in.loadError)
            out.reasons.push_back(
                reason("preflight.image-unreadable", in.loadError->toString(), r.partition));
        else
            out.reasons.push_back(reason("preflight.no-image", p.label + " has no image", r.partition));
        return;
    }
    // An MCUboot slot: an image padded by imgtool is split into the image and its trailer's request.
    std::optional<mcuboot::SlotTrailer> slot;
    if (auto st = mcuboot::slotTrailer(*r.layout, r.partition); !st) {
        if (r.kind == JobKind::Flash) {
            out.reasons.push_back(reason("preflight.mcuboot-trailer", st.error().message, r.partition));
            return;
        }
    } else {
        slot = *st;
    }
    const Image* image = in.image;
    std::optional<UnpaddedImage> unpadded;
    if (slot && !r.trailerReserve)
        if (auto placed = fitImage(*image, recognizeHeader(*image), *r.layout, r.partition, {out.reserve}))
            if (!placed->fits && (unpadded = unpadImage(*image, placed->offset, p, *slot))) {
                image = &unpadded->image;
                out.padded = unpadded->request;
            }
    out.header = recognizeHeader(*image);
    bool headerOk = true;
    for (const Diagnostic& d : out.header->findings())
        if (d.severity == Severity::Error) {
            headerOk = false;
            out.reasons.push_back(
                reason("preflight.image-header",
                       aboutImage(in, "the image's header is malformed: [" + d.rule + "] " + d.message),
                       r.partition));
        }
    auto fit = fitImage(*image, *out.header, *r.layout, r.partition, {out.reserve});
    if (!fit) {
        out.reasons.push_back(
            reason("preflight.image-placement", aboutImage(in, fit.error().message), r.partition));
        return;
    }
    out.fit = *fit;
    if (!fit->fits) {
        out.reasons.push_back(
            reason("preflight.image-too-large", aboutImage(in, imageTooLarge(*fit, p).message), r.partition));
        return;
    }
    if (!headerOk)
        return;
    auto payload = payloadFor(*image, *out.header, *r.layout, r.partition, out.reserve);
    if (!payload) {
        out.reasons.push_back(
            reason("preflight.image-placement", aboutImage(in, payload.error().message), r.partition));
        return;
    }
    if (r.kind == JobKind::Flash)
        if (auto prepared = prepareFlashImage(guard, payload->offset, payload->bytes); !prepared) {
            // Read-only is reported once, by checkWritable().
            if (!p.readOnly)
                out.reasons.push_back(
                    reason("preflight.write-blocks", aboutImage(in, prepared.error().message), r.partition));
            return;
        }
    job.offset = payload->offset;
    job.bytes = std::move(payload->bytes);
    if (r.kind == JobKind::Flash)
        planTrailer(r, slot, unpadded ? std::optional(unpadded->request) : std::nullopt, out, job);
}

} // namespace

Preflight preflight(const PreflightRequest& r) {
    Preflight out;
    if (!r.layout || r.partition >= (r.layout ? r.layout->partitions.size() : 0)) {
        Diagnostic d;
        d.rule = "preflight.partition";
        d.message = "the layout has no partition #" + std::to_string(r.partition);
        out.reasons.push_back(std::move(d));
        return out;
    }
    const Partition& p = r.layout->partitions[r.partition];
    auto guard = PartitionGuard::forPartition(*r.layout, r.partition,
                                              r.writeReadOnly ? PartitionGuard::ReadOnly::WriteConfirmed
                                                              : PartitionGuard::ReadOnly::Refuse);
    if (!guard) {
        out.reasons.push_back(reason("preflight.partition", guard.error().message, r.partition));
        return out;
    }
    out.reserve = r.trailerReserve ? *r.trailerReserve : bootloaderReserve(*r.layout, r.partition);

    ReadyJob job;
    job.kind = r.kind;
    job.partition = r.partition;
    job.reserve = out.reserve;
    job.writeReadOnly = r.writeReadOnly && p.readOnly;
    if (writesFlash(r.kind))
        checkWritable(r, p, out);
    if (r.kind == JobKind::Flash || r.kind == JobKind::Verify)
        checkImage(r, *guard, out, job);
    if (out.reasons.empty())
        out.job = std::move(job);
    return out;
}

} // namespace flashplan
