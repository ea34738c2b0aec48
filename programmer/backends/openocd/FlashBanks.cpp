// SPDX-License-Identifier: Apache-2.0
#include "backends/openocd/FlashBanks.h"

#include "util/Numbers.h"

#include <algorithm>
#include <regex>

namespace flashplan::programmer::openocd {

namespace {

std::vector<std::string_view> lines(std::string_view text) {
    std::vector<std::string_view> out;
    while (!text.empty()) {
        const auto nl = text.find('\n');
        std::string_view line = text.substr(0, nl);
        if (!line.empty() && line.back() == '\r')
            line.remove_suffix(1);
        out.push_back(line);
        if (nl == std::string_view::npos)
            break;
        text.remove_prefix(nl + 1);
    }
    return out;
}

std::uint64_t hex(const std::csub_match& m) {
    return std::stoull(m.str(), nullptr, 16);
}

std::string where(const FlashBank& bank) {
    return "flash bank #" + std::to_string(bank.number) + " " + bank.name + " at " + formatAddress(bank.base);
}

} // namespace

Result<std::vector<FlashBank>> parseFlashBanks(std::string_view text) {
    static const std::regex kBank(
        R"(^#(\d+)\s*:\s*(\S+)\s+\((\S+)\)\s+at\s+0x([0-9a-fA-F]{1,16}),\s*size\s+0x([0-9a-fA-F]{1,16}))");
    std::vector<FlashBank> banks;
    for (const std::string_view line : lines(text)) {
        if (line.empty() || line.front() != '#')
            continue;
        std::cmatch m;
        if (!std::regex_search(line.data(), line.data() + line.size(), m, kBank))
            return makeError(Errc::Parse,
                             "unexpected line from OpenOCD's flash banks: \"" + std::string(line) + "\"");
        FlashBank b;
        b.number = std::stoi(m[1].str());
        b.name = m[2].str();
        b.driver = m[3].str();
        b.base = hex(m[4]);
        b.size = hex(m[5]);
        banks.push_back(std::move(b));
    }
    return banks;
}

Result<void> parseFlashInfo(std::string_view text, FlashBank& bank) {
    static const std::regex kHeader(
        R"(^#(\d+)\s*:\s*\S+\s+at\s+0x([0-9a-fA-F]{1,16}),\s*size\s+0x([0-9a-fA-F]{1,16}))");
    static const std::regex kSector(
        R"(^\s*#\s*(\d+)\s*:\s*0x([0-9a-fA-F]{1,16})\s*\(0x([0-9a-fA-F]{1,16})\s+\d+kB\)\s*(.*)$)");
    bool header = false;
    std::uint64_t base = 0, size = 0;
    std::vector<BankSector> sectors;
    for (const std::string_view line : lines(text)) {
        std::cmatch m;
        if (!header) {
            if (!std::regex_search(line.data(), line.data() + line.size(), m, kHeader))
                continue;
            if (std::stoi(m[1].str()) != bank.number)
                return makeError(Errc::Parse, "OpenOCD's flash info describes bank " + m[1].str() + ", not " +
                                                  where(bank));
            // Drivers that detect the chip (stm32f2x...) declare base and size 0 until probed.
            base = hex(m[2]);
            size = hex(m[3]);
            header = true;
            continue;
        }
        if (!std::regex_search(line.data(), line.data() + line.size(), m, kSector))
            continue; // what the driver adds: revision, option bytes...
        BankSector s;
        s.offset = hex(m[2]);
        s.size = hex(m[3]);
        const std::string state = m[4].str();
        s.protection = state == "not protected" ? BankSector::Protection::Off
                       : state == "protected"   ? BankSector::Protection::On
                                                : BankSector::Protection::Unknown;
        const std::uint64_t expected = sectors.empty() ? 0 : sectors.back().end();
        if (std::stoull(m[1].str()) != sectors.size() || s.offset != expected || s.size == 0)
            return makeError(Errc::Parse, "OpenOCD lists sector " + m[1].str() + " of " + where(bank) +
                                              " at " + formatHex(s.offset) + " (size " + formatHex(s.size) +
                                              "): the sectors do not follow each other");
        sectors.push_back(s);
    }
    if (!header)
        return makeError(Errc::Parse, "OpenOCD's flash info printed no bank header for " + where(bank));
    if (!sectors.empty() && sectors.back().end() != size)
        return makeError(Errc::Parse, "the sectors OpenOCD lists for " + where(bank) + " end at " +
                                          formatHex(sectors.back().end()) + ", the bank at " +
                                          formatHex(size));
    bank.base = base;
    bank.size = size;
    bank.sectors = std::move(sectors);
    return {};
}

Result<FlashDevice> deviceOf(const FlashBank& bank) {
    std::vector<SectorRun> runs;
    for (const BankSector& s : bank.sectors)
        runs.push_back({1, s.size});
    if (runs.empty())
        return makeError(Errc::NoDevice, where(bank) + " has no sectors (size " + formatHex(bank.size) + ")");
    auto map = SectorMap::fromRuns(runs);
    if (!map)
        return map.error();
    FlashDevice d;
    d.id = bank.name;
    d.name = bank.name + " (" + bank.driver + ")";
    d.cpuBase = bank.base;
    d.sectors = std::move(*map);
    return d;
}

bool overlaps(const FlashBank& bank, const FlashDevice& device) {
    if (!device.cpuBase || device.size() == 0)
        return false;
    const std::uint64_t start = *device.cpuBase, end = start + device.size();
    return bank.size > 0 && bank.base < end && start < bank.end();
}

bool BankSpan::wholeSectors() const {
    return bank->sectors[firstSector].offset == offset && bank->sectors[lastSector].end() == offset + length;
}

Result<BankSpan> locate(std::span<const FlashBank> banks, const FlashDevice& device, std::uint64_t offset,
                        std::uint64_t length) {
    if (!device.cpuBase)
        return makeError(Errc::NotSupported, device.id +
                                                 " is not memory-mapped, so OpenOCD has no flash bank "
                                                 "address for it");
    if (length == 0)
        return makeError(Errc::InvalidArgument, "an empty range of " + device.id);
    const std::uint64_t address = *device.cpuBase + offset;
    for (const FlashBank& b : banks) {
        if (address < b.base || !rangeWithin(address - b.base, length, b.size) || b.sectors.empty())
            continue;
        BankSpan span;
        span.bank = &b;
        span.offset = address - b.base;
        span.length = length;
        const auto first =
            std::upper_bound(b.sectors.begin(), b.sectors.end(), span.offset,
                             [](std::uint64_t o, const BankSector& s) { return o < s.offset; });
        const auto last = std::upper_bound(b.sectors.begin(), b.sectors.end(), span.offset + length - 1,
                                           [](std::uint64_t o, const BankSector& s) { return o < s.offset; });
        span.firstSector = static_cast<std::size_t>(first - b.sectors.begin()) - 1;
        span.lastSector = static_cast<std::size_t>(last - b.sectors.begin()) - 1;
        return span;
    }
    return makeError(Errc::NoDevice, "OpenOCD has no flash bank that holds " + formatAddress(address) + "-" +
                                         formatAddress(address + length - 1) + " (" + device.id + " " +
                                         formatHex(offset) + ", " + formatSize(length) + ")");
}

Result<void> crossCheck(const FlashDevice& device, std::span<const FlashBank> banks) {
    std::optional<Error> error;
    device.sectors.forEachSector(0, device.size(), [&](const Sector& s) {
        auto span = locate(banks, device, s.offset, s.size);
        if (!span) {
            error = span.error();
            return false;
        }
        const BankSector& b = span->bank->sectors[span->firstSector];
        if (span->firstSector != span->lastSector || b.offset != span->offset || b.size != s.size) {
            error = makeError(Errc::InvalidArgument,
                              device.id + " sector " + std::to_string(s.index) + " (" +
                                  formatAddress(*device.cpuBase + s.offset) + ", " + formatSize(s.size) +
                                  ") is not a sector of " + where(*span->bank) + ", whose sector " +
                                  std::to_string(span->firstSector) + " is " +
                                  formatAddress(span->bank->base + b.offset) + ", " + formatSize(b.size) +
                                  ": the board's sector map does not match the chip");
            return false;
        }
        return true;
    });
    if (error)
        return *error;
    return {};
}

} // namespace flashplan::programmer::openocd
