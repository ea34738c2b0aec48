// SPDX-License-Identifier: Apache-2.0
// Human-readable boards, layouts and findings, for info, import, validate and convert.
#include "cli/LayoutPrinter.h"

#include "cli/TextTable.h"
#include "io/BuildSettings.h"
#include "util/Numbers.h"

#include <ostream>

namespace flashplan::cli {

namespace {

std::string cpu(const FlashDevice& d, std::uint64_t offset) {
    const auto a = d.cpuAddress(offset);
    return a ? formatAddress(*a) : "-";
}

void printDevice(std::ostream& out, const FlashDevice& d) {
    out << d.id << ": " << d.name << ", " << to_string(d.kind) << ", " << formatSize(d.size()) << " ("
        << formatHex(d.size()) << ")";
    if (d.cpuBase)
        out << " at CPU " << formatAddress(*d.cpuBase);
    out << "\n  " << d.sectors.sectorCount() << " sectors, write block "
        << (d.writeBlockKnown ? std::to_string(d.writeBlockSize) + " B" : std::string("unknown"))
        << ", erase value " << formatHex(d.eraseValue)
        << (d.eraseRequired ? "" : ", written in place (no erase)");
    if (d.xip)
        out << ", XIP window " << formatAddress(d.xip->address) << ".."
            << formatAddress(d.xip->address + d.xip->size);
    out << '\n';
    TextTable table({"sectors", "offset", "end", "CPU address", "count x size"});
    std::uint64_t offset = 0, index = 0;
    for (const SectorRun& r : d.sectors.runs()) {
        const std::uint64_t end = offset + r.count * r.size;
        table.add({r.count == 1 ? std::to_string(index)
                                : std::to_string(index) + "-" + std::to_string(index + r.count - 1),
                   formatHex(offset), formatHex(end), cpu(d, offset),
                   std::to_string(r.count) + " x " + formatSize(r.size)});
        offset = end;
        index += r.count;
    }
    table.print(out, "    ");
}

} // namespace

void printBoard(std::ostream& out, const Board& b) {
    out << "Board: " << b.id << " - " << b.name;
    if (!b.soc.empty())
        out << " (" << b.soc << ")";
    out << '\n';
    const ProgrammerHints& h = b.programmer;
    if (!h.openocdTarget.empty())
        out << "OpenOCD: -f " << h.openocdInterface << " -f " << h.openocdTarget << '\n';
    if (h.dfuVendorId && h.dfuProductId) {
        out << "DFU: " << formatHex(*h.dfuVendorId) << ":" << formatHex(*h.dfuProductId);
        for (const DfuAlt& a : h.dfuAlts)
            out << ", alt " << a.index << " = " << a.device;
        out << '\n';
    }
    if (b.source) {
        const BoardSource& s = *b.source;
        out << "Source: " << s.kind << " " << s.vendor << " " << s.pack << " " << s.version << " (" << s.file
            << ")\n";
        for (const AlgorithmSource& a : s.algorithms)
            out << "  " << a.device << ": " << a.file
                << (a.alias ? " (the same flash at " + formatAddress(*a.alias) + ")" : std::string()) << '\n';
        for (const std::string& note : s.notes)
            out << "  note: " << note << '\n';
    }
    for (const FlashDevice& d : b.devices) {
        out << '\n';
        printDevice(out, d);
    }
}

void printPartitions(std::ostream& out, const Layout& l) {
    TextTable table(
        {"#", "label", "device", "offset", "size", "end", "CPU address", "size", "sectors", "role", "flags"});
    for (std::size_t i = 0; i < l.partitions.size(); ++i) {
        const Partition& p = l.partitions[i];
        const FlashDevice* d = l.deviceOf(p);
        std::string sectors = "-";
        if (d && p.size > 0) {
            const auto first = d->sectors.sectorAt(p.offset), last = d->sectors.sectorAt(p.end() - 1);
            if (first && last)
                sectors = first->index == last->index
                              ? std::to_string(first->index)
                              : std::to_string(first->index) + "-" + std::to_string(last->index);
        }
        std::string flags = p.readOnly ? "read-only" : "";
        if (p.imageIndex != 0)
            flags += (flags.empty() ? "" : ",") + std::string("image ") + std::to_string(p.imageIndex);
        table.add({std::to_string(i), p.label, p.device, formatHex(p.offset), formatHex(p.size),
                   formatHex(p.end()), d ? cpu(*d, p.offset) : "?", formatSize(p.size), sectors,
                   std::string(to_string(p.role)), flags});
    }
    out << "\nPartitions\n";
    table.print(out);
}

void printLayout(std::ostream& out, const Layout& l, const std::string& source) {
    out << "Layout: " << l.name << "  [" << source << "]\n";
    out << "Bootloader: " << l.bootloader.kind << (l.bootloader.mode.empty() ? "" : ", " + l.bootloader.mode);
    const auto settings = buildSettings(l);
    for (std::size_t i = 0; i < settings.size(); ++i)
        out << (i == 0 ? " (" : ", ") << settings[i].first << '=' << settings[i].second
            << (i + 1 == settings.size() ? ")" : "");
    out << '\n';
    printBoard(out, l.board);
    printPartitions(out, l);
}

void printFindings(std::ostream& out, const std::string& source, const std::vector<Diagnostic>& findings,
                   bool infos) {
    for (const Diagnostic& d : findings) {
        if (d.severity == Severity::Info && !infos)
            continue;
        out << source << ": " << to_string(d.severity) << ": [" << d.rule << "] " << d.message << '\n';
        if (d.fix)
            out << "    fix: " << d.fix->description << '\n';
    }
    const DiagnosticCounts n = countSeverities(findings);
    out << source << ": " << n.errors << (n.errors == 1 ? " error, " : " errors, ") << n.warnings
        << (n.warnings == 1 ? " warning" : " warnings");
    if (infos)
        out << ", " << n.infos << (n.infos == 1 ? " info" : " infos");
    out << '\n';
}

} // namespace flashplan::cli
