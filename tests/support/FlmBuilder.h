// SPDX-License-Identifier: Apache-2.0
#pragma once
// CMSIS flash algorithms (.FLM) and pack descriptions made for tests: a minimal ELF32 little-endian
// executable as the Arm linker lays an FLM out (PrgCode, PrgData holding the FlashDevice structure, a
// symbol table naming it), and helpers that write a small pack folder.

#include <QDir>
#include <QFile>
#include <QString>

#include <cstdint>
#include <string>
#include <vector>

namespace flm {

struct Sector {
    std::uint32_t size;
    std::uint32_t address; ///< AddrSector: relative to DevAdr, or absolute in the nRF5340 net core's style
};

/// The fields of CMSIS FlashOS.h's struct FlashDevice.
struct Device {
    std::string name = "Test Flash";
    std::uint16_t type = 1; // ONCHIP
    std::uint32_t address = 0x08000000;
    std::uint32_t size = 0;
    std::uint32_t pageSize = 1024;
    std::uint8_t erased = 0xff;
    std::vector<Sector> sectors;
    bool terminated = true;                 ///< end the list with the 0xFFFFFFFF pair
    std::string symbolName = "FlashDevice"; ///< another name makes an FLM without the symbol
};

/// An .FLM file: ELF header, one PT_LOAD, PrgCode (a few instructions' worth of bytes), PrgData with the
/// structure at its start (sh_addr 0x100), .symtab (a code symbol, then the structure's), .strtab,
/// .shstrtab and the section header table. Offsets as in the System V ABI for ELF32.
inline std::string build(const Device& d) {
    std::string out;
    auto put = [&](std::size_t at, std::uint64_t v, int width) {
        if (out.size() < at + static_cast<std::size_t>(width))
            out.resize(at + static_cast<std::size_t>(width), '\0');
        for (int i = 0; i < width; ++i)
            out[at + static_cast<std::size_t>(i)] = static_cast<char>((v >> (8 * i)) & 0xff);
    };
    auto append = [&](const std::string& bytes) {
        const std::size_t at = out.size();
        out += bytes;
        return at;
    };

    out.assign(52 + 32, '\0'); // ELF header and one program header
    const std::string code(16, '\x70');
    const std::size_t codeOffset = append(code);

    std::string data(160, '\0');
    auto putData = [&](std::size_t at, std::uint64_t v, int width) {
        for (int i = 0; i < width; ++i)
            data[at + static_cast<std::size_t>(i)] = static_cast<char>((v >> (8 * i)) & 0xff);
    };
    putData(0, 0x0101, 2); // Vers: version 1.01
    for (std::size_t i = 0; i < d.name.size() && i < 127; ++i)
        data[2 + i] = d.name[i];
    putData(130, d.type, 2);
    putData(132, d.address, 4);
    putData(136, d.size, 4);
    putData(140, d.pageSize, 4);
    putData(148, d.erased, 1);
    putData(152, 100, 4);  // toProg
    putData(156, 3000, 4); // toErase
    std::vector<Sector> list = d.sectors;
    if (d.terminated)
        list.push_back({0xffffffff, 0xffffffff});
    for (const Sector& s : list) {
        const std::size_t at = data.size();
        data.resize(at + 8);
        putData(at, s.size, 4);
        putData(at + 4, s.address, 4);
    }
    while (out.size() % 4)
        out.push_back('\0');
    const std::size_t dataOffset = append(data);
    constexpr std::uint32_t dataAddress = 0x100;

    // .symtab: the null symbol, "Init" in PrgCode, the structure in PrgData.
    const std::string strtab = std::string("\0Init\0", 6) + d.symbolName + '\0';
    std::string symtab(3 * 16, '\0');
    auto putSym = [&](std::size_t index, std::uint32_t name, std::uint32_t value, std::uint32_t size,
                      std::uint8_t info, std::uint16_t shndx) {
        const std::size_t at = index * 16;
        for (int i = 0; i < 4; ++i) {
            symtab[at + static_cast<std::size_t>(i)] = static_cast<char>((name >> (8 * i)) & 0xff);
            symtab[at + 4 + static_cast<std::size_t>(i)] = static_cast<char>((value >> (8 * i)) & 0xff);
            symtab[at + 8 + static_cast<std::size_t>(i)] = static_cast<char>((size >> (8 * i)) & 0xff);
        }
        symtab[at + 12] = static_cast<char>(info);
        symtab[at + 14] = static_cast<char>(shndx & 0xff);
        symtab[at + 15] = static_cast<char>(shndx >> 8);
    };
    putSym(1, 1, 1, 16, 0x12, 1);                                                // Init: global function
    putSym(2, 6, dataAddress, static_cast<std::uint32_t>(data.size()), 0x11, 2); // FlashDevice: global object
    while (out.size() % 4)
        out.push_back('\0');
    const std::size_t symtabOffset = append(symtab);
    const std::size_t strtabOffset = append(strtab);
    const std::string shstrtab = std::string("\0PrgCode\0PrgData\0.symtab\0.strtab\0.shstrtab\0", 43);
    const std::size_t shstrtabOffset = append(shstrtab);
    while (out.size() % 4)
        out.push_back('\0');
    const std::size_t shoff = out.size();

    struct Shdr {
        std::uint32_t name, type, flags, addr, offset, size, link, info, align, entsize;
    };
    const std::vector<Shdr> sections{
        {0, 0, 0, 0, 0, 0, 0, 0, 0, 0},
        {1, 1, 6, 0, std::uint32_t(codeOffset), std::uint32_t(code.size()), 0, 0, 4, 0},           // PrgCode
        {9, 1, 3, dataAddress, std::uint32_t(dataOffset), std::uint32_t(data.size()), 0, 0, 4, 0}, // PrgData
        {17, 2, 0, 0, std::uint32_t(symtabOffset), std::uint32_t(symtab.size()), 4, 2, 4, 16},     // .symtab
        {25, 3, 0, 0, std::uint32_t(strtabOffset), std::uint32_t(strtab.size()), 0, 0, 1, 0},      // .strtab
        {33, 3, 0, 0, std::uint32_t(shstrtabOffset), std::uint32_t(shstrtab.size()), 0, 0, 1, 0}, // .shstrtab
    };
    for (std::size_t i = 0; i < sections.size(); ++i) {
        const Shdr& s = sections[i];
        const std::size_t at = shoff + i * 40;
        const std::uint32_t fields[] = {s.name, s.type, s.flags, s.addr,  s.offset,
                                        s.size, s.link, s.info,  s.align, s.entsize};
        for (std::size_t f = 0; f < 10; ++f)
            put(at + f * 4, fields[f], 4);
    }

    out[0] = 0x7f, out[1] = 'E', out[2] = 'L', out[3] = 'F';
    out[4] = 1;     // ELFCLASS32
    out[5] = 1;     // little-endian
    out[6] = 1;     // EV_CURRENT
    put(16, 2, 2);  // ET_EXEC
    put(18, 40, 2); // EM_ARM
    put(20, 1, 4);
    put(24, 1, 4);  // e_entry
    put(28, 52, 4); // e_phoff
    put(32, shoff, 4);
    put(36, 0x05000000, 4); // e_flags: EABI 5
    put(40, 52, 2);         // e_ehsize
    put(42, 32, 2);
    put(44, 1, 2);
    put(46, 40, 2);
    put(48, sections.size(), 2);
    put(50, 5, 2); // e_shstrndx
    // PT_LOAD of PrgCode and PrgData, as the algorithm is loaded into RAM.
    put(52, 1, 4);
    put(56, codeOffset, 4);
    put(60, 0, 4);
    put(64, 0, 4);
    put(68, dataOffset + data.size() - codeOffset, 4);
    put(72, dataAddress + data.size(), 4);
    put(76, 7, 4);
    put(80, 4, 4);
    return out;
}

/// Writes `bytes` to dir/relative, making the folders on the way.
inline QString writeFile(const QDir& dir, const QString& relative, const std::string& bytes) {
    const QString path = dir.filePath(relative);
    QDir().mkpath(QFileInfo(path).path());
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly))
        qFatal("cannot write %s", qPrintable(path));
    f.write(bytes.data(), static_cast<qint64>(bytes.size()));
    return path;
}

/// A .pdsc around `devices` (the inside of <devices>), for pack "Test.Pack" version 1.2.3.
inline std::string pdsc(const std::string& devices) {
    return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
           "<package schemaVersion=\"1.7.2\">\n"
           "  <vendor>Test</vendor>\n  <name>Pack</name>\n"
           "  <releases>\n    <release version=\"1.2.3\">newest</release>\n"
           "    <release version=\"1.0.0\">first</release>\n  </releases>\n"
           "  <devices>\n" +
           devices + "  </devices>\n</package>\n";
}

} // namespace flm
