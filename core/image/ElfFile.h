// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "image/ByteReader.h"
#include "util/Result.h"

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace flashplan {

/// A checked view of an ELF file, 32- or 64-bit, little- or big-endian: its header, its program header
/// table and, read on demand, its sections and symbols. Every offset, count and size is checked against
/// the file before it is used, so a truncated or lying file gives an error, never a read out of bounds.
/// The view refers to the caller's bytes, which must outlive it.
///
/// Errors are Errc::Schema with the file name and the field at fault (e_shoff, sh_size of a named
/// section, st_shndx of a symbol...).
class ElfFile {
public:
    struct ProgramHeader {
        std::uint32_t type = 0;
        std::uint64_t offset = 0, paddr = 0, filesz = 0, memsz = 0;
    };
    struct Section {
        std::uint32_t index = 0;
        std::string name;
        std::uint32_t type = 0;
        std::uint64_t addr = 0, offset = 0, size = 0;
        std::uint32_t link = 0;
        std::uint64_t entsize = 0;
    };
    struct Symbol {
        std::string name;
        std::uint64_t value = 0, size = 0;
        std::uint16_t section = 0; ///< st_shndx
    };

    /// Checks the identification and header, and the program header table's place in the file when
    /// e_phnum is not 0. Errors: no ELF magic, a file shorter than its header, an unknown class, byte
    /// order or version, e_phnum PN_XNUM, program headers smaller than the class requires or outside
    /// the file.
    static Result<ElfFile> parse(std::span<const std::uint8_t> bytes, std::string fileName);

    bool is64() const { return is64_; }
    bool littleEndian() const { return little_; }
    std::uint16_t machine() const { return machine_; }
    std::uint64_t entry() const { return entry_; }
    const std::string& fileName() const { return fileName_; }
    const ByteReader& reader() const { return in_; }
    const std::vector<ProgramHeader>& programHeaders() const { return programHeaders_; }

    /// The section header table with names from e_shstrndx. Errors: no section headers, a table or
    /// name table outside the file, entries smaller than the class requires, a name offset past its
    /// table, a section (not SHT_NOBITS) whose bytes lie outside the file.
    Result<std::vector<Section>> sections() const;
    /// The first symbol of SHT_SYMTAB named `name`. Errors: no symbol table, a table or its string table
    /// (sh_link) malformed, Errc::NotFound when no symbol has that name.
    Result<Symbol> symbol(std::string_view name) const;
    /// The bytes from a symbol's address to the end of its section, located through the section
    /// (st_value relative to sh_addr): a structure of variable length (a list ended by a marker) is read
    /// from them with its own bounds. Errors: an undefined, absolute or reserved st_shndx, a section
    /// without file bytes (SHT_NOBITS), an address outside the section.
    Result<std::span<const std::uint8_t>> symbolBytes(const Symbol& symbol) const;

private:
    ElfFile(std::span<const std::uint8_t> bytes, std::string fileName, ByteReader::Order order)
        : bytes_(bytes), fileName_(std::move(fileName)), in_(bytes, order) {}
    Error error(std::string message) const;
    std::uint64_t word(std::uint64_t offset) const;
    Result<std::string> stringAt(const Section& table, std::uint64_t offset, const char* field) const;

    std::span<const std::uint8_t> bytes_;
    std::string fileName_;
    ByteReader in_;
    bool is64_ = false, little_ = true;
    std::uint16_t machine_ = 0;
    std::uint64_t entry_ = 0;
    std::uint64_t shoff_ = 0;
    std::uint16_t shentsize_ = 0, shnum_ = 0, shstrndx_ = 0;
    std::vector<ProgramHeader> programHeaders_;
};

} // namespace flashplan
