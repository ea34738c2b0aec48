// SPDX-License-Identifier: Apache-2.0
#include "image/Elf.h"

#include "image/ElfFile.h"
#include "util/Numbers.h"

#include <array>

namespace flashplan {

namespace {

constexpr std::uint32_t kPtLoad = 1;

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
    auto elf = ElfFile::parse(bytes, fileName);
    if (!elf)
        return elf.error();
    if (elf->programHeaders().empty())
        return elfError(fileName, "no program headers (e_phnum 0): a relocatable object, not a linked image");
    const ByteReader& in = elf->reader();

    ImageBuilder builder(fileName, "program header");
    bool loadable = false;
    for (std::size_t i = 0; i < elf->programHeaders().size(); ++i) {
        const ElfFile::ProgramHeader& ph = elf->programHeaders()[i];
        if (ph.type != kPtLoad)
            continue;
        const std::uint64_t offset = ph.offset, paddr = ph.paddr, filesz = ph.filesz, memsz = ph.memsz;
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
        image->startAddress = elf->entry();
        image->detail = std::string(elf->is64() ? "ELF64" : "ELF32") +
                        (elf->littleEndian() ? " little-endian " : " big-endian ") +
                        machineName(elf->machine());
    }
    return image;
}

} // namespace flashplan
