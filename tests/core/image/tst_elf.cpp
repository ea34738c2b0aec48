// SPDX-License-Identifier: Apache-2.0
// ELF: PT_LOAD segments at their physical addresses in all four class/byte-order combinations, every
// malformed header, and the same program read from ELF, HEX and S-records giving the same bytes.
#include "ImageFixtures.h"
#include "image/Elf.h"
#include "image/ImageFormat.h"
#include "image/IntelHex.h"
#include "image/SRecord.h"

#include <QtTest>

using namespace flashplan;
using fixtures::Bytes;
using fixtures::ElfOptions;
using fixtures::ElfSegment;

namespace {

std::string errorOf(const std::string& content) {
    const auto image = parseElf(content, "bad.elf");
    if (image.ok())
        return "(no error)";
    if (image.error().where.file != "bad.elf")
        return "(error without the file name)";
    return image.error().message;
}

/// Writes a little-endian value into an ELF32 fixture at a byte offset.
void patch(std::string& elf, std::size_t at, std::uint64_t value, int width) {
    for (int i = 0; i < width; ++i)
        elf[at + static_cast<std::size_t>(i)] = static_cast<char>((value >> (8 * i)) & 0xff);
}

} // namespace

class TestElf : public QObject {
    Q_OBJECT
private slots:
    void everyClassAndByteOrder_data() {
        QTest::addColumn<bool>("is64");
        QTest::addColumn<bool>("bigEndian");
        QTest::addColumn<QString>("detail");
        QTest::newRow("ELF32 LE") << false << false << "ELF32 little-endian ARM";
        QTest::newRow("ELF32 BE") << false << true << "ELF32 big-endian ARM";
        QTest::newRow("ELF64 LE") << true << false << "ELF64 little-endian ARM";
        QTest::newRow("ELF64 BE") << true << true << "ELF64 big-endian ARM";
    }
    void everyClassAndByteOrder() {
        QFETCH(bool, is64);
        QFETCH(bool, bigEndian);
        QFETCH(QString, detail);
        ElfOptions o;
        o.is64 = is64;
        o.bigEndian = bigEndian;
        const auto image = parseElf(fixtures::programAsElf(o), "zephyr.elf");
        QVERIFY2(image.ok(), image.ok() ? "" : image.error().toString().c_str());
        const auto program = fixtures::twoSegmentProgram();
        QCOMPARE(image->format, ImageFormat::Elf);
        QCOMPARE(image->segments().size(), std::size_t(2)); // the .bss-only segment is not loaded
        QCOMPARE(image->segments()[0], (Segment{program[0].address, program[0].bytes}));
        QCOMPARE(image->segments()[1], (Segment{program[1].address, program[1].bytes}));
        QCOMPARE(image->startAddress, std::optional<std::uint64_t>(0x08000201));
        QCOMPARE(QString::fromStdString(image->detail), detail);
    }

    void physicalAddressesAndNoBss() {
        // .data runs in RAM (p_vaddr 0x20000000) but is stored in flash after the code (p_paddr): a
        // programmer writes it at p_paddr. Its p_memsz also covers .bss, which is not in the file.
        const auto elf = fixtures::toElf({{0x08000000, 0x08000000, Bytes(0x100, 0xaa)},
                                          {0x20000000, 0x08000100, Bytes(0x20, 0xdd), 0x400},
                                          {0, 0, Bytes(8, 0x77), 0, 4}}, // a PT_NOTE: not loaded
                                         0x08000001);
        const auto image = parseElf(elf, "data.elf");
        QVERIFY2(image.ok(), image.ok() ? "" : image.error().toString().c_str());
        QCOMPARE(image->segments().size(), std::size_t(1)); // code and .data's load image touch
        QCOMPARE(image->lowestAddress(), std::uint64_t(0x08000000));
        QCOMPARE(image->endAddress(), std::uint64_t(0x08000120));
        QCOMPARE(image->byteAt(0x08000100), std::optional<std::uint8_t>(0xdd));
        QVERIFY(!image->byteAt(0x20000000));
    }

    void elfHexAndSRecordOfOneProgramGiveIdenticalBytes() {
        const auto program = fixtures::twoSegmentProgram();
        const auto elf = loadImage(fixtures::programAsElf(), "zephyr.elf");
        const auto hex = loadImage(fixtures::toIntelHex(program, 0x08000201), "zephyr.hex");
        const auto srec = loadImage(fixtures::toSRecord(program, 0x08000201), "zephyr.s37");
        QVERIFY(elf.ok() && hex.ok() && srec.ok());
        QCOMPARE(elf->image.format, ImageFormat::Elf);
        QCOMPARE(hex->image.format, ImageFormat::IntelHex);
        QCOMPARE(srec->image.format, ImageFormat::SRecord);
        QCOMPARE(elf->image.segments(), hex->image.segments());
        QCOMPARE(elf->image.segments(), srec->image.segments());
        const auto a = elf->image.flatten(0xff);
        const auto b = hex->image.flatten(0xff);
        QVERIFY(a.ok() && b.ok());
        QCOMPARE(a->size(), std::size_t(0x7e4));
        QCOMPARE(*a, *b);
        QCOMPARE((*a)[0x188], std::uint8_t(0xff)); // the gap reads as erased flash
        QCOMPARE(elf->image.startAddress, hex->image.startAddress);
    }

    void malformedFiles_data() {
        QTest::addColumn<QByteArray>("content");
        QTest::addColumn<QString>("message");
        const std::string good = fixtures::programAsElf();
        auto row = [](const char* name, const std::string& content, const char* message) {
            QTest::newRow(name) << QByteArray::fromStdString(content) << QString(message);
        };
        row("no magic",
            "\x7f"
            "ELG" +
                good.substr(4),
            "no 0x7f 'ELF' magic");
        row("ends in e_ident", good.substr(0, 10), "ends inside e_ident");
        row("truncated header", good.substr(0, 40), "the header needs 52 bytes, the file has 40");
        row("truncated program headers", good.substr(0, 60), "program header table");
        row("truncated segment data", good.substr(0, good.size() - 10), "lie outside the file");
        std::string s = good;
        s[4] = 3;
        row("bad class", s, "EI_CLASS 3");
        s = good;
        s[5] = 0;
        row("bad byte order", s, "EI_DATA 0");
        s = good;
        s[6] = 2;
        row("bad version", s, "EI_VERSION 2");
        s = good;
        patch(s, 42, 16, 2);
        row("small phentsize", s, "e_phentsize 16 is smaller than a program header (32 bytes)");
        s = good;
        patch(s, 28, 0xfffffff0, 4);
        row("phoff outside", s, "e_phoff 0xfffffff0");
        s = good;
        patch(s, 44, 0, 2);
        row("no program headers", s, "no program headers");
        s = good;
        patch(s, 44, 0xffff, 2);
        row("PN_XNUM", s, "PN_XNUM");
        s = good;
        patch(s, 52 + 20, 0x10, 4); // p_memsz of the first segment below its p_filesz
        row("filesz above memsz", s,
            "program header 0 (PT_LOAD at 0x08000000): p_filesz 0x188 exceeds p_memsz 0x10");
        s = good;
        patch(s, 52 + 4, 0x7ffffff0, 4); // p_offset of the first segment far outside
        row("offset outside", s, "p_offset 0x7ffffff0");
        row("only bss", fixtures::toElf({{0x20000000, 0x20000000, {}, 0x100}}, 0),
            "no PT_LOAD segment has bytes");
        row("overlapping segments",
            fixtures::toElf(
                {{0x08000000, 0x08000000, Bytes(0x100, 1)}, {0x08000080, 0x08000080, Bytes(0x10, 2)}}, 0),
            "program header 1 (0x08000080..0x08000090) overlaps program header 0 (0x08000000..0x08000100)");
    }
    void malformedFiles() {
        QFETCH(QByteArray, content);
        QFETCH(QString, message);
        const std::string error = errorOf(content.toStdString());
        QVERIFY2(error.find(message.toStdString()) != std::string::npos, error.c_str());
    }

    void everyTruncationIsAnErrorNotACrash() {
        for (bool is64 : {false, true}) {
            ElfOptions o;
            o.is64 = is64;
            const std::string elf = fixtures::programAsElf(o);
            for (std::size_t n = 0; n < elf.size(); ++n)
                QVERIFY2(!parseElf(elf.substr(0, n), "cut.elf").ok(), qPrintable(QString::number(n)));
        }
    }
};

QTEST_GUILESS_MAIN(TestElf)
#include "tst_elf.moc"
