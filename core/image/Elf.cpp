// SPDX-License-Identifier: Apache-2.0
#include "image/Elf.h"

#include "image/ByteReader.h"
#include "util/Numbers.h"

#include <array>

namespace flashplan {

namespace {

// e_ident bytes and values (System V ABI, "ELF Header").
constexpr std::size_t kEiClass = 4, kEiData = 5, kEiVersion = 6;
constexpr std::uint8_t kClass32 = 1, kClass64 = 2;
constexpr std::uint8_t kDataLittle = 1, kDataBig = 2;
constexpr std::uint32_t kPtLoad = 1;
constexpr std::uint16_t kPnXnum = 0xffff; // e_phnum escape: the real count is in section header 0

/// Where the fields sit in the two classes. Offsets are from the start of the ELF header or of one
/// program header entry; sizes are those of Elf32_Ehdr/Elf64_Ehdr and Elf32_Phdr/Elf64_Phdr.
struct ElfLayout {
    unsigned headerSize;
    unsigned entry, phoff, phentsize, phnum; ///< in the ELF header
    unsigned phdrSize;
    unsigned pType, pOffset, pPaddr, pFilesz, pMemsz; ///< in a program header
    unsigned word;                                    ///< width of addresses and offsets: 4 or 8
};
constexpr ElfLayout kElf32{52, 24, 28, 42, 44, 32, 0, 4, 12, 16, 20, 4};
constexpr ElfLayout kElf64{64, 24, 32, 54, 56, 56, 0, 8, 24, 32, 40, 8};

struct Machine {
    std::uint16_t id;
    std::string_view name;
};
// The machines firmware is built for, and a few a user might feed by mistake; others print as numbers.
constexpr std::array kMachines{
    Machine{3, "x86"},      Machine{8, "MIPS"},     Machine{20, "PowerPC"},  Machine{40, "ARM"},
    Machine{62, "x86-64"},  Machine{83, "AVR"},     Machine{94, "Xtensa"},   Machine{183, "AArch64"},
    Machine{243, "RISC-V"}, Machine{105, "MSP430"}, Machine{164, "Hexagon"}, Machine{258, "LoongArch"},
};

std::string machineName(std::uint16_t id) {
    for (const Machine& m : kMachines)
        if (m.id == id)
            return std::string(m.name);
    return "machine " + std::to_string(id);
}

Error elfError(const std::string& file, std::string message) {
    Error e = makeError(Errc::Schema, std::move(message));
    e.where.file = file;
    return e;
}

} // namespace

bool hasElfMagic(std::string_view content) {
    return content.size() >= 4 && content.substr(0, 4) == std::string_view("\x7f"
                                                                           "ELF",
                                                                           4);
}

Result<Image> parseElf(std::string_view content, const std::string& fileName) {
    const std::span<const std::uint8_t> bytes(reinterpret_cast<const std::uint8_t*>(content.data()),
                                              content.size());
    if (!hasElfMagic(content))
        return elfError(fileName, "not an ELF file (no 0x7f 'ELF' magic)");
    if (bytes.size() < 16)
        return elfError(fileName, "truncated ELF: the file ends inside e_ident (" +
                                      std::to_string(bytes.size()) + " bytes)");
    const std::uint8_t elfClass = bytes[kEiClass];
    const std::uint8_t data = bytes[kEiData];
    if (elfClass != kClass32 && elfClass != kClass64)
        return elfError(fileName,
                        "EI_CLASS " + std::to_string(elfClass) + " is neither ELF32 (1) nor ELF64 (2)");
    if (data != kDataLittle && data != kDataBig)
        return elfError(fileName, "EI_DATA " + std::to_string(data) +
                                      " is neither little-endian (1) nor big-endian (2)");
    if (bytes[kEiVersion] != 1)
        return elfError(fileName, "EI_VERSION " + std::to_string(bytes[kEiVersion]) + " is not 1");
    const ElfLayout& L = elfClass == kClass32 ? kElf32 : kElf64;
    const ByteReader in(bytes, data == kDataLittle ? ByteReader::Order::Little : ByteReader::Order::Big);
    if (!in.has(0, L.headerSize))
        return elfError(fileName, "truncated ELF: the header needs " + std::to_string(L.headerSize) +
                                      " bytes, the file has " + std::to_string(bytes.size()));
    const auto word = [&](std::uint64_t offset) {
        return L.word == 4 ? std::uint64_t(*in.u32(offset)) : *in.u64(offset);
    };
    const std::uint64_t entry = word(L.entry);
    const std::uint64_t phoff = word(L.phoff);
    const std::uint16_t phentsize = *in.u16(L.phentsize);
    const std::uint16_t phnum = *in.u16(L.phnum);
    const std::uint16_t machine = *in.u16(18);

    if (phnum == 0)
        return elfError(fileName, "no program headers (e_phnum 0): a relocatable object, not a linked image");
    if (phnum == kPnXnum)
        return elfError(fileName, "e_phnum is PN_XNUM (more than 65534 program headers): not supported");
    if (phentsize < L.phdrSize)
        return elfError(fileName, "e_phentsize " + std::to_string(phentsize) +
                                      " is smaller than a program header (" + std::to_string(L.phdrSize) +
                                      " bytes)");
    const std::uint64_t tableSize = std::uint64_t(phnum) * phentsize;
    if (!in.has(phoff, tableSize))
        return elfError(fileName, "the program header table (e_phoff " + formatHex(phoff) + ", " +
                                      std::to_string(phnum) + " x " + std::to_string(phentsize) +
                                      " bytes) lies outside the file (" + formatHex(bytes.size()) +
                                      " bytes)");

    ImageBuilder builder(fileName, "program header");
    bool loadable = false;
    for (std::uint16_t i = 0; i < phnum; ++i) {
        const std::uint64_t ph = phoff + std::uint64_t(i) * phentsize;
        if (*in.u32(ph + L.pType) != kPtLoad)
            continue;
        const std::uint64_t offset = word(ph + L.pOffset);
        const std::uint64_t paddr = word(ph + L.pPaddr);
        const std::uint64_t filesz = word(ph + L.pFilesz);
        const std::uint64_t memsz = word(ph + L.pMemsz);
        if (filesz == 0) // all .bss: nothing to write
            continue;
        const std::string which =
            "program header " + std::to_string(i) + " (PT_LOAD at " + formatAddress(paddr) + ")";
        if (filesz > memsz)
            return elfError(fileName, which + ": p_filesz " + formatHex(filesz) + " exceeds p_memsz " +
                                          formatHex(memsz));
        if (!in.has(offset, filesz))
            return elfError(fileName, which + ": its bytes (p_offset " + formatHex(offset) + ", p_filesz " +
                                          formatHex(filesz) + ") lie outside the file (" +
                                          formatHex(bytes.size()) + " bytes)");
        if (auto r = builder.add(paddr, in.bytes(offset, filesz), i); !r) {
            Error e = r.error();
            e.message = which + ": " + e.message;
            return e;
        }
        loadable = true;
    }
    if (!loadable)
        return elfError(fileName, "no PT_LOAD segment has bytes in the file: nothing to program");
    auto image = std::move(builder).build(ImageFormat::Elf);
    if (image) {
        image->startAddress = entry;
        image->detail = std::string(elfClass == kClass32 ? "ELF32" : "ELF64") +
                        (data == kDataLittle ? " little-endian " : " big-endian ") + machineName(machine);
    }
    return image;
}

} // namespace flashplan
