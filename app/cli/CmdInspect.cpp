// SPDX-License-Identifier: Apache-2.0
// flashplan-cli inspect <layout>: what each partition of the target holds (an MCUboot or wolfBoot image,
// erased flash, other data), read through --backend without writing, the MCUboot images' hash (and, with
// --key, signature) checked, and for each MCUboot image pair what the bootloader will do at the next
// boot, as bootutil's swap table decides it (core/boot/Inspection). Exit 0, 1 when an image fails its
// checks or a requested upgrade would fail, 2 when the target cannot be read.
#include "Jobs.h"
#include "cli/CliContext.h"
#include "cli/JobPrinter.h"
#include "cli/TextTable.h"
#include "io/JsonModel.h"
#include "io/TextFile.h"
#include "util/Numbers.h"

#include <iomanip>
#include <ostream>
#include <sstream>

namespace flashplan::cli {

namespace {

using json = nlohmann::ordered_json;
using namespace flashplan::programmer;

std::string_view hashStatus(mcuboot::HashCheck::Status s) {
    switch (s) {
    case mcuboot::HashCheck::Status::Match:
        return "match";
    case mcuboot::HashCheck::Status::Mismatch:
        return "mismatch";
    case mcuboot::HashCheck::Status::NoHashTlv:
        return "no-hash-tlv";
    case mcuboot::HashCheck::Status::Encrypted:
        return "encrypted";
    }
    return "?";
}

std::string_view signatureStatus(mcuboot::SignatureCheck::Status s) {
    switch (s) {
    case mcuboot::SignatureCheck::Status::Verified:
        return "verified";
    case mcuboot::SignatureCheck::Status::BadSignature:
        return "bad-signature";
    case mcuboot::SignatureCheck::Status::KeyMismatch:
        return "key-mismatch";
    case mcuboot::SignatureCheck::Status::NoKeyTlv:
        return "no-key-tlv";
    case mcuboot::SignatureCheck::Status::NoSignature:
        return "no-signature";
    case mcuboot::SignatureCheck::Status::Unchecked:
        return "unchecked";
    }
    return "?";
}

std::string_view wolfbootDigestStatus(wolfboot::DigestCheck::Status s) {
    switch (s) {
    case wolfboot::DigestCheck::Status::Match:
        return "match";
    case wolfboot::DigestCheck::Status::Mismatch:
        return "mismatch";
    case wolfboot::DigestCheck::Status::NoDigest:
        return "no-hash-tlv";
    }
    return "?";
}

std::string_view wolfbootSignatureStatus(wolfboot::SignatureCheck::Status s) {
    switch (s) {
    case wolfboot::SignatureCheck::Status::Verified:
        return "verified";
    case wolfboot::SignatureCheck::Status::BadSignature:
        return "bad-signature";
    case wolfboot::SignatureCheck::Status::KeyMismatch:
        return "key-mismatch";
    case wolfboot::SignatureCheck::Status::NoSignature:
        return "no-signature";
    case wolfboot::SignatureCheck::Status::Unchecked:
        return "unchecked";
    }
    return "?";
}

std::string trailerText(const mcuboot::TrailerRead& t) {
    std::string s = "magic " + std::string(to_string(t.state.magic)) + ", image_ok " +
                    std::string(to_string(t.state.imageOk)) + ", copy_done " +
                    std::string(to_string(t.state.copyDone));
    if (t.state.swapType != mcuboot::SwapType::None)
        s += ", swap " + std::string(to_string(t.state.swapType));
    if (t.areaErased && *t.areaErased)
        s = "erased";
    return s;
}

json trailerJson(const mcuboot::TrailerRead& t) {
    return {{"magic", to_string(t.state.magic)},
            {"swap_type", to_string(t.state.swapType)},
            {"image_num", t.state.imageNum},
            {"copy_done", to_string(t.state.copyDone)},
            {"image_ok", to_string(t.state.imageOk)},
            {"area_erased", t.areaErased ? json(*t.areaErased) : json(nullptr)}};
}

json partitionJson(const Layout& layout, const Inspection& found, const PartitionInspection& p) {
    json out = {
        {"partition", layout.partitions[p.partition].label},
        {"index", p.partition},
        {"content", to_string(p.content)},
        {"summary", p.summary()},
        {"version", p.version.empty() ? json(nullptr) : json(p.version)},
        {"image_size", p.content == PartitionContent::Mcuboot || p.content == PartitionContent::Wolfboot
                           ? json(p.imageSize)
                           : json(nullptr)},
        {"load_address", p.loadAddress ? json(*p.loadAddress) : json(nullptr)},
        {"problem", p.problem.empty() ? json(nullptr) : json(p.problem)},
        {"badges", found.badges(p.partition)}};
    json check = nullptr, hash = nullptr, signature = nullptr;
    if (p.check) {
        check = std::string(to_string(p.check->image));
        if (p.check->hash)
            hash = {{"status", hashStatus(p.check->hash->status)},
                    {"type", mcuboot::hashName(p.check->hash->tlvType)},
                    {"message", p.check->hash->message()}};
        if (p.check->signature)
            signature = {{"status", signatureStatus(p.check->signature->status)},
                         {"message", p.check->signature->message()}};
    }
    if (p.wolfbootCheck) {
        const wolfboot::ImageCheck& w = *p.wolfbootCheck;
        check = w.valid() ? "valid" : "invalid";
        hash = {{"status", wolfbootDigestStatus(w.digest.status)},
                {"type", w.digest.status == wolfboot::DigestCheck::Status::NoDigest
                             ? json(nullptr)
                             : json(wolfboot::digestName(w.digest.tlvType))},
                {"message", w.digest.message()}};
        if (w.signature)
            signature = {{"status", wolfbootSignatureStatus(w.signature->status)},
                         {"message", w.signature->message()}};
    }
    out["image_type"] = p.imageType.empty() ? json(nullptr) : json(p.imageType);
    out["validity"] = check;
    out["hash"] = hash;
    out["signature"] = signature;
    out["trailer"] = p.trailer ? trailerJson(*p.trailer) : json(nullptr);
    out["bytes_read"] = p.bytesRead;
    return out;
}

json pairJson(const Layout& layout, const PairInspection& pair) {
    json out = {{"image", pair.image},
                {"primary", layout.partitions[pair.primary].label},
                {"secondary", layout.partitions[pair.secondary].label},
                {"next_boot", pair.verdict()}};
    if (pair.next) {
        out["requested"] = to_string(pair.next->requested);
        out["swap_type"] = to_string(pair.next->type);
        out["cleanup"] = to_string(pair.next->cleanup);
        out["reason"] = pair.next->reason;
    }
    return out;
}

/// A finding that makes the exit code 1: an image its own checks refuse, or an upgrade that would fail.
bool troubled(const Inspection& found) {
    for (const PartitionInspection& p : found.partitions)
        if ((p.content == PartitionContent::Mcuboot &&
             (!p.problem.empty() || (p.check && p.check->image == mcuboot::SlotImage::Invalid))) ||
            (p.content == PartitionContent::Wolfboot &&
             (!p.problem.empty() || (p.wolfbootCheck && !p.wolfbootCheck->valid()))))
            return true;
    for (const PairInspection& pair : found.pairs)
        if (pair.next && pair.next->refused())
            return true;
    return false;
}

} // namespace

int runInspect(CliContext& ctx) {
    if (ctx.args.size() != 1)
        return ctx.usage("inspect takes <layout>");
    auto loaded = loadLayoutArgument(ctx.args[0], ctx);
    if (!loaded)
        return ctx.fail(loaded.error());
    const Layout& layout = loaded->layout;
    std::optional<mcuboot::PublicKey> key;
    if (!ctx.keyFile.empty()) {
        // A PEM public key is under 1 KiB; 64 KiB also takes one inside a certificate chain's text.
        auto pem = readTextFile(ctx.keyFile, {64 * 1024, "a public key file", "a PEM key is under 1 KiB"});
        if (!pem)
            return ctx.fail(pem.error());
        auto parsed = mcuboot::parsePublicKey(*pem);
        if (!parsed) {
            Error e = parsed.error();
            e.message = ctx.keyFile + ": " + e.message;
            return ctx.fail(e);
        }
        key = std::move(*parsed);
    }
    auto backend = makeBackend(ctx);
    if (!backend)
        return ctx.fail(backend.error());
    ProgressPrinter printer(ctx);
    JobReport report;
    {
        PrintedJob printed(printer);
        report = inspectTarget(**backend, layout, {!ctx.noHash, key ? &*key : nullptr}, printed.context());
    }
    printer.endLine();
    if (!report.ok()) {
        if (ctx.json)
            printer.event({{"event", "result"},
                           {"ok", false},
                           {"cancelled", report.cancelled()},
                           {"error", toJson(*report.error)}});
        else
            ctx.err << "flashplan-cli: " << (report.cancelled() ? "cancelled" : report.error->toString())
                    << '\n';
        return kExitFailure;
    }
    const Inspection& found = *report.inspection;
    if (ctx.json) {
        json partitions = json::array(), images = json::array();
        for (const PartitionInspection& p : found.partitions)
            partitions.push_back(partitionJson(layout, found, p));
        for (const PairInspection& pair : found.pairs)
            images.push_back(pairJson(layout, pair));
        printer.event({{"event", "result"},
                       {"ok", true},
                       {"cancelled", false},
                       {"error", nullptr},
                       {"backend", report.backend},
                       {"layout", loaded->source},
                       {"partitions", partitions},
                       {"images", images},
                       {"bytes_read", report.bytesRead},
                       {"milliseconds", static_cast<std::uint64_t>(report.seconds * 1000)}});
    } else {
        TextTable t({"partition", "holds", "MCUboot trailer"});
        for (const PartitionInspection& p : found.partitions)
            t.add({layout.partitions[p.partition].label, p.summary(),
                   p.trailer ? trailerText(*p.trailer) : "-"});
        t.print(ctx.out);
        for (const PairInspection& pair : found.pairs) {
            ctx.out << "image " << pair.image << " (" << layout.partitions[pair.primary].label << ", "
                    << layout.partitions[pair.secondary].label << "): next boot: " << pair.verdict() << '\n';
            if (pair.next && !pair.next->reason.empty())
                ctx.out << "  " << pair.next->reason << '\n';
        }
        std::ostringstream done;
        done << "read " << formatSize(report.bytesRead) << " in " << std::fixed << std::setprecision(2)
             << report.seconds << " s";
        ctx.out << done.str() << '\n';
    }
    return troubled(found) ? kExitFindings : kExitOk;
}

} // namespace flashplan::cli
