// SPDX-License-Identifier: Apache-2.0
#include "image/ElfFile.h"

#include "util/Numbers.h"

namespace flashplan {

namespace {

// e_ident bytes and values (System V ABI, "ELF Header").
constexpr std::size_t kEiClass = 4, kEiData = 5, kEiVersion = 6;
constexpr std::uint8_t kClass32 = 1, kClass64 = 2;
constexpr std::uint8_t kDataLittle = 1, kDataBig = 2;
constexpr std::uint16_t kPnXnum = 0xffff; // e_phnum escape: the real count is in section header 0
constexpr std::uint32_t kShtSymtab = 2, kShtNobits = 8;
constexpr std::uint16_t kShnLoReserve = 0xff00; // st_shndx from here up: SHN_ABS, SHN_COMMON, SHN_XINDEX...

/// Where the fields sit in the two classes: offsets from the start of the ELF header, of one program
/// header, of one section header or of one symbol; sizes of Elf32_/Elf64_ Ehdr, Phdr, Shdr and Sym.
struct ElfLayout {
    unsigned headerSize;
    unsigned entry, phoff, shoff, phentsize, phnum, shentsize, shnum, shstrndx; ///< in the ELF header
    unsigned phdrSize;
    unsigned pType, pOffset, pPaddr, pFilesz, pMemsz; ///< in a program header
    unsigned shdrSize;
    unsigned shName, shType, shAddr, shOffset, shSize, shLink, shEntsize; ///< in a section header
    unsigned symSize;
    unsigned stName, stValue, stSize, stShndx; ///< in a symbol
    unsigned word;                             ///< width of addresses and offsets: 4 or 8
};
constexpr ElfLayout kElf32{52, 24, 28, 32, 42, 44, 46, 48, 50, 32, 0, 4, 12, 16, 20,
                           40, 0,  4,  12, 16, 20, 24, 36, 16, 0,  4, 8, 14, 4};
constexpr ElfLayout kElf64{64, 24, 32, 40, 54, 56, 58, 60, 62, 56, 0, 8,  24, 32, 40,
                           64, 0,  4,  16, 24, 32, 40, 56, 24, 0,  8, 16, 6,  8};

const ElfLayout& layoutOf(bool is64) {
    return is64 ? kElf64 : kElf32;
}

} // namespace

Error ElfFile::error(std::string message) const {
    Error e = makeError(Errc::Schema, std::move(message));
    e.where.file = fileName_;
    return e;
}

std::uint64_t ElfFile::word(std::uint64_t offset) const {
    return is64_ ? in_.u64(offset).value_or(0) : in_.u32(offset).value_or(0);
}

Result<ElfFile> ElfFile::parse(std::span<const std::uint8_t> bytes, std::string fileName) {
    const auto fail = [&](std::string message) {
        Error e = makeError(Errc::Schema, std::move(message));
        e.where.file = fileName;
        return e;
    };
    if (bytes.size() < 4 || bytes[0] != 0x7f || bytes[1] != 'E' || bytes[2] != 'L' || bytes[3] != 'F')
        return fail("not an ELF file (no 0x7f 'ELF' magic)");
    if (bytes.size() < 16)
        return fail("truncated ELF: the file ends inside e_ident (" + std::to_string(bytes.size()) +
                    " bytes)");
    const std::uint8_t elfClass = bytes[kEiClass];
    const std::uint8_t data = bytes[kEiData];
    if (elfClass != kClass32 && elfClass != kClass64)
        return fail("EI_CLASS " + std::to_string(elfClass) + " is neither ELF32 (1) nor ELF64 (2)");
    if (data != kDataLittle && data != kDataBig)
        return fail("EI_DATA " + std::to_string(data) + " is neither little-endian (1) nor big-endian (2)");
    if (bytes[kEiVersion] != 1)
        return fail("EI_VERSION " + std::to_string(bytes[kEiVersion]) + " is not 1");
    ElfFile f(bytes, std::move(fileName),
              data == kDataLittle ? ByteReader::Order::Little : ByteReader::Order::Big);
    f.is64_ = elfClass == kClass64;
    f.little_ = data == kDataLittle;
    const ElfLayout& L = layoutOf(f.is64_);
    if (!f.in_.has(0, L.headerSize))
        return f.error("truncated ELF: the header needs " + std::to_string(L.headerSize) +
                       " bytes, the file has " + std::to_string(bytes.size()));
    f.entry_ = f.word(L.entry);
    f.machine_ = *f.in_.u16(18);
    f.shoff_ = f.word(L.shoff);
    f.shentsize_ = *f.in_.u16(L.shentsize);
    f.shnum_ = *f.in_.u16(L.shnum);
    f.shstrndx_ = *f.in_.u16(L.shstrndx);

    const std::uint64_t phoff = f.word(L.phoff);
    const std::uint16_t phentsize = *f.in_.u16(L.phentsize);
    const std::uint16_t phnum = *f.in_.u16(L.phnum);
    if (phnum == 0)
        return f;
    if (phnum == kPnXnum)
        return f.error("e_phnum is PN_XNUM (more than 65534 program headers): not supported");
    if (phentsize < L.phdrSize)
        return f.error("e_phentsize " + std::to_string(phentsize) + " is smaller than a program header (" +
                       std::to_string(L.phdrSize) + " bytes)");
    if (!f.in_.has(phoff, std::uint64_t(phnum) * phentsize))
        return f.error("the program header table (e_phoff " + formatHex(phoff) + ", " +
                       std::to_string(phnum) + " x " + std::to_string(phentsize) +
                       " bytes) lies outside the file (" + formatHex(bytes.size()) + " bytes)");
    for (std::uint16_t i = 0; i < phnum; ++i) {
        const std::uint64_t ph = phoff + std::uint64_t(i) * phentsize;
        f.programHeaders_.push_back({*f.in_.u32(ph + L.pType), f.word(ph + L.pOffset), f.word(ph + L.pPaddr),
                                     f.word(ph + L.pFilesz), f.word(ph + L.pMemsz)});
    }
    return f;
}

Result<std::string> ElfFile::stringAt(const Section& table, std::uint64_t offset, const char* field) const {
    if (offset >= table.size)
        return error(std::string(field) + " " + formatHex(offset) + " lies past the end of string table " +
                     (table.name.empty() ? std::to_string(table.index) : table.name) + " (" +
                     formatHex(table.size) + " bytes)");
    const std::span<const std::uint8_t> text = in_.bytes(table.offset + offset, table.size - offset);
    std::string out;
    for (const std::uint8_t c : text) {
        if (c == 0)
            return out;
        out.push_back(static_cast<char>(c));
    }
    return error(std::string(field) + " " + formatHex(offset) + ": the string is not ended inside its table");
}

Result<std::vector<ElfFile::Section>> ElfFile::sections() const {
    const ElfLayout& L = layoutOf(is64_);
    if (shnum_ == 0 || shoff_ == 0)
        return error("no section headers (e_shnum 0): the file was stripped of them");
    if (shentsize_ < L.shdrSize)
        return error("e_shentsize " + std::to_string(shentsize_) + " is smaller than a section header (" +
                     std::to_string(L.shdrSize) + " bytes)");
    if (!in_.has(shoff_, std::uint64_t(shnum_) * shentsize_))
        return error("the section header table (e_shoff " + formatHex(shoff_) + ", " +
                     std::to_string(shnum_) + " x " + std::to_string(shentsize_) +
                     " bytes) lies outside the file (" + formatHex(in_.size()) + " bytes)");
    std::vector<Section> out;
    for (std::uint16_t i = 0; i < shnum_; ++i) {
        const std::uint64_t sh = shoff_ + std::uint64_t(i) * shentsize_;
        Section s;
        s.index = i;
        s.type = *in_.u32(sh + L.shType);
        s.addr = word(sh + L.shAddr);
        s.offset = word(sh + L.shOffset);
        s.size = word(sh + L.shSize);
        s.link = *in_.u32(sh + L.shLink);
        s.entsize = word(sh + L.shEntsize);
        if (i != 0 && s.type != kShtNobits && !in_.has(s.offset, s.size))
            return error("section " + std::to_string(i) + ": its bytes (sh_offset " + formatHex(s.offset) +
                         ", sh_size " + formatHex(s.size) + ") lie outside the file (" +
                         formatHex(in_.size()) + " bytes)");
        out.push_back(s);
    }
    if (shstrndx_ == 0 || shstrndx_ >= shnum_)
        return error("e_shstrndx " + std::to_string(shstrndx_) + " names no section (there are " +
                     std::to_string(shnum_) + ")");
    for (std::uint16_t i = 0; i < shnum_; ++i) {
        const std::uint64_t sh = shoff_ + std::uint64_t(i) * shentsize_;
        auto name = stringAt(out[shstrndx_], *in_.u32(sh + L.shName), "sh_name");
        if (!name)
            return name.error();
        out[i].name = std::move(*name);
    }
    return out;
}

Result<ElfFile::Symbol> ElfFile::symbol(std::string_view name) const {
    auto all = sections();
    if (!all)
        return all.error();
    const ElfLayout& L = layoutOf(is64_);
    const Section* symtab = nullptr;
    for (const Section& s : *all)
        if (s.type == kShtSymtab) {
            symtab = &s;
            break;
        }
    if (!symtab)
        return error("no symbol table (SHT_SYMTAB): the file was stripped of its symbols");
    if (symtab->entsize < L.symSize)
        return error(symtab->name + ": sh_entsize " + std::to_string(symtab->entsize) +
                     " is smaller than a symbol (" + std::to_string(L.symSize) + " bytes)");
    if (symtab->link == 0 || symtab->link >= all->size())
        return error(symtab->name + ": sh_link " + std::to_string(symtab->link) +
                     " names no string table (there are " + std::to_string(all->size()) + " sections)");
    const Section& strtab = (*all)[symtab->link];
    const std::uint64_t count = symtab->size / symtab->entsize;
    for (std::uint64_t i = 1; i < count; ++i) { // symbol 0 is the undefined one
        const std::uint64_t at = symtab->offset + i * symtab->entsize;
        auto symName = stringAt(strtab, *in_.u32(at + L.stName), "st_name");
        if (!symName)
            return symName.error();
        if (*symName != name)
            continue;
        return Symbol{std::move(*symName), word(at + L.stValue), word(at + L.stSize),
                      *in_.u16(at + L.stShndx)};
    }
    Error e = error("no symbol '" + std::string(name) + "' in " + symtab->name);
    e.code = Errc::NotFound;
    return e;
}

Result<std::span<const std::uint8_t>> ElfFile::symbolBytes(const Symbol& symbol) const {
    auto all = sections();
    if (!all)
        return all.error();
    const std::string what = "symbol " + symbol.name;
    if (symbol.section == 0 || symbol.section >= kShnLoReserve || symbol.section >= all->size())
        return error(what + ": st_shndx " + std::to_string(symbol.section) +
                     " is not a section of the file (undefined, absolute or reserved)");
    const Section& s = (*all)[symbol.section];
    if (s.type == kShtNobits)
        return error(what + " lies in " + s.name + ", which has no bytes in the file (SHT_NOBITS)");
    if (symbol.value < s.addr || symbol.value - s.addr >= s.size)
        return error(what + ": st_value " + formatHex(symbol.value) + " lies outside its section " + s.name +
                     " (sh_addr " + formatHex(s.addr) + ", sh_size " + formatHex(s.size) + ")");
    const std::uint64_t inSection = symbol.value - s.addr;
    return in_.bytes(s.offset + inSection, s.size - inSection);
}

} // namespace flashplan
