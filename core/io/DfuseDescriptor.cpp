// SPDX-License-Identifier: Apache-2.0
#include "io/DfuseDescriptor.h"

#include "util/Numbers.h"

#include <algorithm>
#include <cctype>

namespace flashplan {

namespace {

/// A cursor over the descriptor that knows its 1-based column, for errors that point at the fault.
class Cursor {
public:
    explicit Cursor(std::string_view text) : text_(text) {}

    bool atEnd() const { return pos_ >= text_.size(); }
    char peek() const { return atEnd() ? '\0' : text_[pos_]; }
    void advance() { ++pos_; }
    std::size_t pos() const { return pos_; }
    int column() const { return static_cast<int>(pos_) + 1; }

    Error error(const std::string& why) const { return errorAt(pos_, why); }
    Error errorAt(std::size_t pos, const std::string& why) const {
        Error e = makeError(Errc::Parse, "column " + std::to_string(pos + 1) + ": " + why);
        e.where.line = 1;
        e.where.column = static_cast<int>(pos) + 1;
        return e;
    }
    /// What stands at the cursor, for messages: "'X'" or "the end".
    std::string found() const {
        if (atEnd())
            return "the end";
        const char c = peek();
        if (std::isprint(static_cast<unsigned char>(c)))
            return std::string("'") + c + "'";
        return "byte " + formatHex(static_cast<unsigned char>(c));
    }

    /// Decimal digits; `what` names the number in errors.
    Result<std::uint64_t> decimal(const char* what) {
        const std::size_t start = pos_;
        std::uint64_t value = 0;
        while (!atEnd() && std::isdigit(static_cast<unsigned char>(peek()))) {
            const unsigned d = static_cast<unsigned>(peek() - '0');
            if (value > (UINT64_MAX - d) / 10)
                return errorAt(start, std::string(what) + " does not fit in 64 bits");
            value = value * 10 + d;
            advance();
        }
        if (pos_ == start)
            return error(std::string("expected ") + what + " (decimal digits), found " + found());
        return value;
    }

    void skipBlanks() {
        while (!atEnd() && (peek() == ' ' || peek() == '\t'))
            advance();
    }

private:
    std::string_view text_;
    std::size_t pos_ = 0;
};

Result<std::uint64_t> parseAddress(Cursor& in) {
    in.skipBlanks();
    const std::size_t start = in.pos();
    if (in.peek() != '0')
        return in.error("expected a region address such as 0x08000000, found " + in.found());
    in.advance();
    if (in.peek() != 'x' && in.peek() != 'X')
        return in.error("expected 'x' of the 0x that begins a region address, found " + in.found());
    in.advance();
    std::uint64_t value = 0;
    int digits = 0;
    for (; hexDigitValue(in.peek()) >= 0; in.advance(), ++digits) {
        if (digits == 8)
            return in.errorAt(start, "a region address has at most 8 hexadecimal digits");
        value = value * 16 + static_cast<unsigned>(hexDigitValue(in.peek()));
    }
    if (digits == 0)
        return in.error("expected hexadecimal digits after 0x, found " + in.found());
    in.skipBlanks();
    return value;
}

Result<DfuseSectorGroup> parseGroup(Cursor& in) {
    in.skipBlanks();
    const std::size_t start = in.pos();
    DfuseSectorGroup g;
    auto count = in.decimal("a sector count");
    if (!count)
        return count.error();
    if (*count == 0)
        return in.errorAt(start, "a sector count of 0");
    g.count = *count;
    if (in.peek() != '*')
        return in.error("expected '*' after the sector count " + std::to_string(g.count) + ", found " +
                        in.found());
    in.advance();
    const std::size_t sizeStart = in.pos();
    auto size = in.decimal("a sector size");
    if (!size)
        return size.error();
    unsigned shift = 0;
    switch (in.peek()) {
    case 'B':
    case ' ':
        break;
    case 'K':
        shift = 10;
        break;
    case 'M':
        shift = 20;
        break;
    default:
        return in.error("expected the size multiplier B, K, M or a blank after the sector size " +
                        std::to_string(*size) + ", found " + in.found());
    }
    in.advance();
    if (*size == 0)
        return in.errorAt(sizeStart, "a sector size of 0");
    if (*size > (UINT64_MAX >> shift))
        return in.errorAt(sizeStart, "the sector size does not fit in 64 bits");
    g.size = *size << shift;
    const char type = static_cast<char>(std::tolower(static_cast<unsigned char>(in.peek())));
    if (type < 'a' || type > 'g')
        return in.error("expected the sector type letter a-g (readable, erasable, writable), found " +
                        in.found());
    g.access = static_cast<std::uint8_t>(type - 'a' + 1);
    in.advance();
    in.skipBlanks();
    return g;
}

Result<DfuseRegion> parseRegion(Cursor& in) {
    DfuseRegion r;
    auto address = parseAddress(in);
    if (!address)
        return address.error();
    r.address = *address;
    if (in.peek() != '/')
        return in.error("expected '/' before the sectors of the region at " + formatHex(r.address) +
                        ", found " + in.found());
    in.advance();
    std::uint64_t end = r.address;
    for (;;) {
        const std::size_t start = in.pos();
        auto group = parseGroup(in);
        if (!group)
            return group.error();
        if (group->count > UINT64_MAX / group->size || addOverflows(end, group->count * group->size))
            return in.errorAt(start, "the region ends beyond the 64-bit address space");
        end += group->count * group->size;
        r.groups.push_back(*group);
        if (in.peek() != ',')
            break;
        in.advance();
    }
    return r;
}

std::string groupText(const DfuseSectorGroup& g) {
    std::uint64_t size = g.size;
    char unit = 'B';
    if (size % (1024 * 1024) == 0) {
        size /= 1024 * 1024;
        unit = 'M';
    } else if (size % 1024 == 0) {
        size /= 1024;
        unit = 'K';
    }
    std::string count = std::to_string(g.count);
    std::string sizeText = std::to_string(size);
    if (count.size() < 2)
        count.insert(0, 2 - count.size(), '0');
    if (sizeText.size() < 3)
        sizeText.insert(0, 3 - sizeText.size(), '0');
    return count + "*" + sizeText + unit + static_cast<char>('a' + g.access - 1);
}

FlashKind kindFromName(std::string_view name) {
    std::string upper(name);
    std::transform(upper.begin(), upper.end(), upper.begin(),
                   [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    if (upper.find("QSPI") != std::string::npos || upper.find("QUAD") != std::string::npos)
        return FlashKind::Qspi;
    if (upper.find("OSPI") != std::string::npos || upper.find("OCTO") != std::string::npos)
        return FlashKind::Ospi;
    if (upper.find("SPI") != std::string::npos)
        return FlashKind::Spi;
    return FlashKind::Internal;
}

} // namespace

std::uint64_t DfuseRegion::size() const {
    std::uint64_t total = 0;
    for (const DfuseSectorGroup& g : groups)
        total += g.count * g.size;
    return total;
}

std::optional<DfuseSector> DfuseMemory::sectorAt(std::uint64_t address) const {
    for (const DfuseRegion& r : regions) {
        if (address < r.address)
            continue;
        std::uint64_t start = r.address;
        for (const DfuseSectorGroup& g : r.groups) {
            const std::uint64_t length = g.count * g.size;
            if (address - start < length) {
                const std::uint64_t index = (address - start) / g.size;
                return DfuseSector{start + index * g.size, g.size, g.access};
            }
            start += length;
        }
    }
    return std::nullopt;
}

bool DfuseMemory::allows(std::uint64_t address, std::uint64_t length, std::uint8_t access) const {
    std::uint64_t at = address;
    std::uint64_t left = length;
    while (left > 0) {
        const auto sector = sectorAt(at);
        if (!sector || (sector->access & access) != access)
            return false;
        const std::uint64_t inSector = sector->address + sector->size - at;
        if (inSector >= left)
            return true;
        at += inSector;
        left -= inSector;
    }
    return true;
}

std::string DfuseMemory::toString() const {
    std::string out = "@" + name;
    for (const DfuseRegion& r : regions) {
        std::string address = formatHex(r.address).substr(2);
        if (address.size() < 8)
            address.insert(0, 8 - address.size(), '0');
        std::transform(address.begin(), address.end(), address.begin(),
                       [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
        out += "/0x" + address + "/";
        for (std::size_t i = 0; i < r.groups.size(); ++i)
            out += (i ? "," : "") + groupText(r.groups[i]);
    }
    return out;
}

bool isDfuseDescriptor(std::string_view text) {
    return !text.empty() && text.front() == '@';
}

Result<DfuseMemory> parseDfuseDescriptor(std::string_view text) {
    Cursor in(text);
    if (in.peek() != '@')
        return in.error("a DfuSe memory description begins with '@', found " + in.found());
    in.advance();
    DfuseMemory memory;
    const std::size_t nameStart = in.pos();
    while (!in.atEnd() && in.peek() != '/')
        in.advance();
    std::string_view name = text.substr(nameStart, in.pos() - nameStart);
    while (!name.empty() && std::isspace(static_cast<unsigned char>(name.back())))
        name.remove_suffix(1);
    while (!name.empty() && std::isspace(static_cast<unsigned char>(name.front())))
        name.remove_prefix(1);
    memory.name = std::string(name);
    if (in.atEnd())
        return in.error("expected '/' and a region address after the name '" + memory.name + "'");
    while (in.peek() == '/') {
        in.advance();
        const std::size_t start = in.pos();
        auto region = parseRegion(in);
        if (!region)
            return region.error();
        if (!memory.regions.empty() && region->address < memory.regions.back().end())
            return in.errorAt(start, "the region at " + formatHex(region->address) +
                                         " starts below the end of the one before (" +
                                         formatHex(memory.regions.back().end()) + ")");
        memory.regions.push_back(std::move(*region));
    }
    if (!in.atEnd())
        return in.error("expected ',' before another sector group or '/' before another region, found " +
                        in.found());
    return memory;
}

Result<std::vector<FlashDevice>> flashDevicesFromDfuse(const DfuseMemory& memory, std::string_view idPrefix) {
    std::vector<FlashDevice> devices;
    const FlashKind kind = kindFromName(memory.name);
    for (std::size_t i = 0; i < memory.regions.size(); ++i) {
        const DfuseRegion& region = memory.regions[i];
        std::vector<SectorRun> runs;
        for (const DfuseSectorGroup& g : region.groups)
            runs.push_back({g.count, g.size});
        auto sectors = SectorMap::fromRuns(runs);
        if (!sectors)
            return sectors.error();
        FlashDevice d;
        d.id = std::string(idPrefix);
        if (memory.regions.size() > 1)
            d.id += "_" + std::to_string(i);
        d.name = memory.name.empty() ? d.id : memory.name;
        d.kind = kind;
        if (!(isExternal(kind) && region.address == 0))
            d.cpuBase = region.address;
        d.sectors = std::move(*sectors);
        devices.push_back(std::move(d));
    }
    return devices;
}

} // namespace flashplan
