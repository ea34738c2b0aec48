// SPDX-License-Identifier: Apache-2.0
#include "io/cmsis/FlmReader.h"

#include "image/ElfFile.h"
#include "util/Numbers.h"

#include <vector>

namespace flashplan::cmsis {

namespace {

// Offsets in struct FlashDevice (FlashOS.h) as the Arm compilers lay it out: DevName is 128 chars after
// a u16, so DevType ends at 132 and the u32s need no padding; valEmpty is followed by three bytes of
// padding before toProg. pyOCD (flash_algo.py, "<H128sHLLLLBxxxLL") and probe-rs's target-gen read the
// same offsets, and the STM32F7 pack's FLMs check out against them.
constexpr std::uint64_t kVers = 0, kDevName = 2, kDevNameSize = 128, kDevType = 130, kDevAdr = 132,
                        kSzDev = 136, kSzPage = 140, kValEmpty = 148, kToProg = 152, kToErase = 156,
                        kSectors = 160, kPairSize = 8;
constexpr std::uint32_t kSectorEnd = 0xffffffff;

struct Pair {
    std::uint32_t size, address;
};

} // namespace

Result<FlmDevice> readFlm(std::span<const std::uint8_t> bytes, const std::string& fileName) {
    auto elf = ElfFile::parse(bytes, fileName);
    if (!elf)
        return elf.error();
    const auto fail = [&](const std::string& field, std::string message) {
        Error e = makeError(Errc::Schema, std::move(message));
        e.where.file = fileName;
        e.field = field;
        return e;
    };
    auto symbol = elf->symbol("FlashDevice");
    if (!symbol)
        return symbol.error().code == Errc::NotFound
                   ? fail("FlashDevice", "no FlashDevice symbol: not a CMSIS flash algorithm")
                   : symbol.error();
    auto at = elf->symbolBytes(*symbol);
    if (!at)
        return at.error();
    const ByteReader in(*at, elf->littleEndian() ? ByteReader::Order::Little : ByteReader::Order::Big);
    if (!in.has(0, kSectors))
        return fail("FlashDevice", "the structure needs " + std::to_string(kSectors) +
                                       " bytes before its sectors, " + "its section holds " +
                                       std::to_string(in.size()) + " from the symbol");

    FlmDevice d;
    d.version = *in.u16(kVers);
    for (const std::uint8_t c : in.bytes(kDevName, kDevNameSize)) {
        if (c == 0)
            break;
        d.name.push_back(static_cast<char>(c));
    }
    d.type = *in.u16(kDevType);
    d.address = *in.u32(kDevAdr);
    d.size = *in.u32(kSzDev);
    d.pageSize = *in.u32(kSzPage);
    d.erasedValue = *in.u8(kValEmpty);
    d.programTimeout = *in.u32(kToProg);
    d.eraseTimeout = *in.u32(kToErase);
    if (d.size == 0)
        return fail("FlashDevice.szDev", "the device size is 0");

    std::vector<Pair> pairs;
    for (std::uint64_t off = kSectors;; off += kPairSize) {
        if (!in.has(off, kPairSize))
            return fail("FlashDevice.sectors", "the sector list runs past the end of its section after " +
                                                   std::to_string(pairs.size()) +
                                                   " entries without the 0xFFFFFFFF pair that ends it");
        const Pair p{*in.u32(off), *in.u32(off + 4)};
        if (p.size == kSectorEnd && p.address == kSectorEnd)
            break;
        pairs.push_back(p);
    }
    if (pairs.empty())
        return fail("FlashDevice.sectors", "the sector list is empty");
    // Offsets from DevAdr, as FlashOS.h says; a list whose first entry is at or past DevAdr was written
    // with CPU addresses (relative lists start at 0, and DevAdr 0 makes both readings the same).
    d.absoluteSectors = d.address != 0 && pairs.front().address >= d.address;
    std::vector<SectorRun> runs;
    for (std::size_t i = 0; i < pairs.size(); ++i) {
        const std::string field = "FlashDevice.sectors[" + std::to_string(i) + "]";
        const std::uint64_t start = pairs[i].address - (d.absoluteSectors ? d.address : 0);
        if (d.absoluteSectors && pairs[i].address < d.address)
            return fail(field + ".AddrSector", formatHex(pairs[i].address) + " lies below DevAdr " +
                                                   formatHex(d.address) +
                                                   " although the list starts with CPU addresses");
        if (i == 0 && start != 0)
            return fail(field + ".AddrSector", "the first sector starts at " + formatHex(pairs[i].address) +
                                                   ", not at the device's start");
        if (pairs[i].size == 0)
            return fail(field + ".szSector", "a sector size of 0");
        const std::uint64_t end =
            i + 1 < pairs.size() ? std::uint64_t(pairs[i + 1].address) - (d.absoluteSectors ? d.address : 0)
                                 : std::uint64_t(d.size);
        if (end <= start || end > d.size)
            return fail(i + 1 < pairs.size() ? "FlashDevice.sectors[" + std::to_string(i + 1) + "].AddrSector"
                                             : std::string("FlashDevice.szDev"),
                        "the sectors from " + formatHex(start) + " end at " + formatHex(end) +
                            (end <= start ? ", not after they start" : ", past szDev " + formatHex(d.size)));
        if ((end - start) % pairs[i].size != 0)
            return fail(field + ".szSector", "the run from " + formatHex(start) + " to " + formatHex(end) +
                                                 " is not a whole number of " + formatHex(pairs[i].size) +
                                                 "-byte sectors");
        runs.push_back({(end - start) / pairs[i].size, pairs[i].size});
    }
    auto map = SectorMap::fromRuns(runs);
    if (!map)
        return fail("FlashDevice.sectors", map.error().message);
    d.sectors = std::move(*map);
    return d;
}

} // namespace flashplan::cmsis
