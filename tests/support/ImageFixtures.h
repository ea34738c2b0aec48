// SPDX-License-Identifier: Apache-2.0
#pragma once
// Test fixtures for the image loaders, made from known bytes so that no toolchain (objcopy, arm-gcc,
// imgtool, wolfBoot's sign) is needed: writers of Intel HEX, S-record and ELF files from segments, and
// MCUboot and wolfBoot images laid out byte by byte. The writers are deliberately plain (one record per
// 16 bytes, program headers right after the ELF header) so that a test can see what it feeds.

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace fixtures {

using Bytes = std::vector<std::uint8_t>;

struct Run {
    std::uint64_t address;
    Bytes bytes;
};

/// `count` bytes counting up from `seed`, so that every byte of a run differs from its neighbours.
inline Bytes pattern(std::size_t count, std::uint8_t seed = 0) {
    Bytes b(count);
    for (std::size_t i = 0; i < count; ++i)
        b[i] = static_cast<std::uint8_t>(seed + i * 7 + (i >> 8));
    return b;
}

/// The program both "an ELF and a HEX of the same program" tests use: a Cortex-M vector table of 98
/// words at 0x08000000 (STM32F4-sized, 0x188 bytes) and code at 0x08000200, with a gap between them.
inline std::vector<Run> twoSegmentProgram() {
    Bytes vectors = pattern(0x188, 0x10);
    vectors[0] = 0x00, vectors[1] = 0x00, vectors[2] = 0x02, vectors[3] = 0x20; // initial SP 0x20020000
    vectors[4] = 0x01, vectors[5] = 0x02, vectors[6] = 0x00, vectors[7] = 0x08; // reset 0x08000201
    return {{0x08000000, vectors}, {0x08000200, pattern(0x5e4, 0x42)}};
}

inline std::string hexByte(unsigned v, bool lower = false) {
    static const char* upperDigits = "0123456789ABCDEF";
    static const char* lowerDigits = "0123456789abcdef";
    const char* d = lower ? lowerDigits : upperDigits;
    return {d[(v >> 4) & 0xf], d[v & 0xf]};
}

/// One Intel HEX record with its count and checksum computed.
inline std::string hexRecord(std::uint8_t type, std::uint16_t address, const Bytes& data,
                             bool lower = false) {
    std::string line = ":";
    unsigned sum = 0;
    auto put = [&](unsigned v) {
        line += hexByte(v, lower);
        sum += v;
    };
    put(static_cast<unsigned>(data.size()));
    put(address >> 8);
    put(address & 0xff);
    put(type);
    for (std::uint8_t b : data)
        put(b);
    line += hexByte((0x100 - (sum & 0xff)) & 0xff, lower);
    return line;
}

struct HexOptions {
    bool lower = false;
    std::string lineEnd = "\n";
    std::size_t recordSize = 16;
};

/// An Intel HEX file: type 04 records whenever the upper 16 address bits change, data records that never
/// cross a 64 KiB boundary, a type 05 start address when given, and the 01 end-of-file record.
inline std::string toIntelHex(const std::vector<Run>& runs, std::optional<std::uint32_t> start = std::nullopt,
                              const HexOptions& o = {}) {
    std::string out;
    std::optional<std::uint32_t> upper;
    for (const Run& r : runs) {
        std::size_t i = 0;
        while (i < r.bytes.size()) {
            const auto address = static_cast<std::uint32_t>(r.address + i);
            if (upper != address >> 16) {
                upper = address >> 16;
                out +=
                    hexRecord(4, 0, {std::uint8_t(*upper >> 8), std::uint8_t(*upper)}, o.lower) + o.lineEnd;
            }
            const std::size_t toBoundary = 0x10000 - (address & 0xffff);
            const std::size_t n = std::min({o.recordSize, r.bytes.size() - i, toBoundary});
            out +=
                hexRecord(0, address & 0xffff, Bytes(r.bytes.begin() + i, r.bytes.begin() + i + n), o.lower) +
                o.lineEnd;
            i += n;
        }
    }
    if (start)
        out += hexRecord(5, 0,
                         {std::uint8_t(*start >> 24), std::uint8_t(*start >> 16), std::uint8_t(*start >> 8),
                          std::uint8_t(*start)},
                         o.lower) +
               o.lineEnd;
    out += hexRecord(1, 0, {}, o.lower) + o.lineEnd;
    return out;
}

/// One S-record of type `type` (0..9) with an address of `addressBytes` bytes, count and checksum computed.
inline std::string sRecord(int type, std::uint32_t address, int addressBytes, const Bytes& data) {
    std::string line = "S" + std::to_string(type);
    unsigned sum = 0;
    auto put = [&](unsigned v) {
        line += hexByte(v);
        sum += v;
    };
    put(static_cast<unsigned>(addressBytes + data.size() + 1));
    for (int i = addressBytes - 1; i >= 0; --i)
        put((address >> (8 * i)) & 0xff);
    for (std::uint8_t b : data)
        put(b);
    line += hexByte(~sum & 0xff);
    return line;
}

/// An S-record file: S0 header, S3 data (32-bit addresses), S5 count, S7 start.
inline std::string toSRecord(const std::vector<Run>& runs, std::uint32_t start,
                             const std::string& header = "fw") {
    std::string out = sRecord(0, 0, 2, Bytes(header.begin(), header.end())) + "\n";
    unsigned records = 0;
    for (const Run& r : runs)
        for (std::size_t i = 0; i < r.bytes.size(); i += 16) {
            const std::size_t n = std::min<std::size_t>(16, r.bytes.size() - i);
            out += sRecord(3, static_cast<std::uint32_t>(r.address + i), 4,
                           Bytes(r.bytes.begin() + i, r.bytes.begin() + i + n)) +
                   "\n";
            ++records;
        }
    out += sRecord(5, records, 2, {}) + "\n";
    out += sRecord(7, start, 4, {}) + "\n";
    return out;
}

/// One program header of an ELF fixture. memsz 0 means "as filesz"; type 1 is PT_LOAD.
struct ElfSegment {
    std::uint64_t vaddr;
    std::uint64_t paddr;
    Bytes bytes;
    std::uint64_t memsz = 0;
    std::uint32_t type = 1;
};

struct ElfOptions {
    bool is64 = false;
    bool bigEndian = false;
    std::uint16_t machine = 40; // EM_ARM
};

/// An ELF executable: the ELF header, the program header table right after it, then each segment's
/// bytes in order. Field offsets as in the System V ABI (Elf32_Ehdr 52 bytes, Elf32_Phdr 32; Elf64_Ehdr
/// 64, Elf64_Phdr 56). No section headers: loaders need only the program headers.
inline std::string toElf(const std::vector<ElfSegment>& segments, std::uint64_t entry,
                         const ElfOptions& o = {}) {
    const std::size_t ehsize = o.is64 ? 64 : 52;
    const std::size_t phentsize = o.is64 ? 56 : 32;
    std::size_t dataOffset = ehsize + phentsize * segments.size();
    std::size_t total = dataOffset;
    for (const ElfSegment& s : segments)
        total += s.bytes.size();
    std::string out(total, '\0');
    auto put = [&](std::size_t at, std::uint64_t v, int width) {
        for (int i = 0; i < width; ++i) {
            const int shift = o.bigEndian ? 8 * (width - 1 - i) : 8 * i;
            out[at + static_cast<std::size_t>(i)] = static_cast<char>((v >> shift) & 0xff);
        }
    };
    const int word = o.is64 ? 8 : 4;
    out[0] = 0x7f, out[1] = 'E', out[2] = 'L', out[3] = 'F';
    out[4] = o.is64 ? 2 : 1;
    out[5] = o.bigEndian ? 2 : 1;
    out[6] = 1;
    put(16, 2, 2); // ET_EXEC
    put(18, o.machine, 2);
    put(20, 1, 4);
    put(24, entry, word);
    put(o.is64 ? 32 : 28, ehsize, word); // e_phoff
    put(o.is64 ? 52 : 40, ehsize, 2);    // e_ehsize
    put(o.is64 ? 54 : 42, phentsize, 2);
    put(o.is64 ? 56 : 44, segments.size(), 2);
    for (std::size_t i = 0; i < segments.size(); ++i) {
        const ElfSegment& s = segments[i];
        const std::size_t ph = ehsize + i * phentsize;
        const std::uint64_t memsz = s.memsz ? s.memsz : s.bytes.size();
        put(ph, s.type, 4);
        if (o.is64) {
            put(ph + 4, 5, 4); // p_flags R+X
            put(ph + 8, dataOffset, 8);
            put(ph + 16, s.vaddr, 8);
            put(ph + 24, s.paddr, 8);
            put(ph + 32, s.bytes.size(), 8);
            put(ph + 40, memsz, 8);
            put(ph + 48, 4, 8);
        } else {
            put(ph + 4, dataOffset, 4);
            put(ph + 8, s.vaddr, 4);
            put(ph + 12, s.paddr, 4);
            put(ph + 16, s.bytes.size(), 4);
            put(ph + 20, memsz, 4);
            put(ph + 24, 5, 4);
            put(ph + 28, 4, 4);
        }
        std::copy(s.bytes.begin(), s.bytes.end(), out.begin() + static_cast<std::ptrdiff_t>(dataOffset));
        dataOffset += s.bytes.size();
    }
    return out;
}

/// The two-segment program as an ELF: each run one PT_LOAD at its address, plus a .bss-only PT_LOAD in
/// RAM (p_filesz 0) that loaders must skip.
inline std::string programAsElf(const ElfOptions& o = {}) {
    std::vector<ElfSegment> segments;
    for (const Run& r : twoSegmentProgram())
        segments.push_back({r.address, r.address, r.bytes});
    segments.push_back({0x20000000, 0x20000000, {}, 0x400});
    return toElf(segments, 0x08000201, o);
}

inline void putLe(Bytes& b, std::size_t at, std::uint64_t v, int width) {
    if (b.size() < at + static_cast<std::size_t>(width))
        b.resize(at + static_cast<std::size_t>(width), 0);
    for (int i = 0; i < width; ++i)
        b[at + static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(v >> (8 * i));
}

/// An MCUboot image laid out as mcu-tools/mcuboot boot/bootutil/include/bootutil/image.h defines it:
/// struct image_header (32 bytes, little-endian: ih_magic 0x96f3b83d, ih_load_addr, ih_hdr_size,
/// ih_protect_tlv_size, ih_img_size, ih_flags, ih_ver {major, minor, revision u16, build_num u32}, pad)
/// padded with zeros to ih_hdr_size; the payload; the protected TLV area (image_tlv_info {0x6908,
/// tlv_tot}) when there are protected TLVs; the TLV area (image_tlv_info {0x6907, tlv_tot}); each TLV
/// struct image_tlv {u16 it_type, u16 it_len} and its value. tlv_tot counts its info header.
struct McubootSpec {
    std::uint16_t headerSize = 0x200;
    std::uint32_t loadAddress = 0;
    std::uint32_t flags = 0;
    std::uint8_t major = 1, minor = 2;
    std::uint16_t revision = 3;
    std::uint32_t build = 4;
    Bytes payload = pattern(0x400, 0x42);
    std::vector<std::pair<std::uint16_t, Bytes>> protectedTlvs;
    std::vector<std::pair<std::uint16_t, Bytes>> tlvs = {{0x10, Bytes(32, 0xab)},  // SHA256
                                                         {0x01, Bytes(32, 0xcd)},  // KEYHASH
                                                         {0x22, Bytes(72, 0xef)}}; // ECDSA_SIG
};

inline Bytes tlvArea(std::uint16_t magic, const std::vector<std::pair<std::uint16_t, Bytes>>& tlvs) {
    Bytes area;
    putLe(area, 0, magic, 2);
    putLe(area, 2, 0, 2); // tlv_tot, filled in below
    std::size_t pos = 4;
    for (const auto& [type, value] : tlvs) {
        putLe(area, pos, type, 2);
        putLe(area, pos + 2, value.size(), 2);
        area.resize(pos + 4);
        area.insert(area.end(), value.begin(), value.end());
        pos = area.size();
    }
    putLe(area, 2, area.size(), 2);
    return area;
}

inline Bytes makeMcubootImage(const McubootSpec& s) {
    Bytes image(s.headerSize, 0);
    putLe(image, 0, 0x96f3b83d, 4);
    putLe(image, 4, s.loadAddress, 4);
    putLe(image, 8, s.headerSize, 2);
    const Bytes prot = s.protectedTlvs.empty() ? Bytes{} : tlvArea(0x6908, s.protectedTlvs);
    putLe(image, 10, prot.size(), 2);
    putLe(image, 12, s.payload.size(), 4);
    putLe(image, 16, s.flags, 4);
    image[20] = s.major;
    image[21] = s.minor;
    putLe(image, 22, s.revision, 2);
    putLe(image, 24, s.build, 4);
    image.resize(s.headerSize, 0);
    image.insert(image.end(), s.payload.begin(), s.payload.end());
    image.insert(image.end(), prot.begin(), prot.end());
    const Bytes unprot = tlvArea(0x6907, s.tlvs);
    image.insert(image.end(), unprot.begin(), unprot.end());
    return image;
}

/// A wolfBoot image laid out as wolfSSL/wolfBoot include/wolfboot/wolfboot.h and docs/firmware_image.md
/// define it, with the tags where tools/keytools/sign.c puts them for an ECC256/SHA256 image: the header
/// filled with 0xff; "WOLF" at 0, the image size at 4, VERSION (u32) at 8, TIMESTAMP (u64) at 16 after
/// aligning to 8, IMG_TYPE (u16) at 28, PUBKEY hint (32 bytes) at 40, SHA256 (32) at 80, SIGNATURE (64)
/// at 120; the firmware after IMAGE_HEADER_SIZE bytes.
struct WolfbootSpec {
    std::uint32_t headerSize = 256;
    std::uint32_t version = 7;
    std::uint64_t timestamp = 1700000000;
    std::uint16_t imageType = 0x0201; // HDR_IMG_TYPE_AUTH_ECC256 | HDR_IMG_TYPE_APP
    Bytes payload = pattern(0x600, 0x42);
    bool withVersion = true;
    bool withDigest = true;
};

inline Bytes makeWolfbootImage(const WolfbootSpec& s) {
    Bytes h(s.headerSize, 0xff);
    h[0] = 'W', h[1] = 'O', h[2] = 'L', h[3] = 'F';
    putLe(h, 4, s.payload.size(), 4);
    auto tag = [&](std::size_t at, std::uint16_t type, const Bytes& value) {
        putLe(h, at, type, 2);
        putLe(h, at + 2, value.size(), 2);
        std::copy(value.begin(), value.end(), h.begin() + static_cast<std::ptrdiff_t>(at + 4));
    };
    auto le = [](std::uint64_t v, int width) {
        Bytes b;
        putLe(b, 0, v, width);
        return b;
    };
    if (s.withVersion)
        tag(8, 0x01, le(s.version, 4));
    tag(16, 0x02, le(s.timestamp, 8));
    tag(28, 0x04, le(s.imageType, 2));
    tag(40, 0x10, Bytes(32, 0x11));
    if (s.withDigest)
        tag(80, 0x03, Bytes(32, 0x22));
    tag(120, 0x20, Bytes(64, 0x33));
    h.insert(h.end(), s.payload.begin(), s.payload.end());
    return h;
}

inline std::string asString(const Bytes& b) {
    return std::string(b.begin(), b.end());
}

} // namespace fixtures
