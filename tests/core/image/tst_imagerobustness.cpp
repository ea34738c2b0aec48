// SPDX-License-Identifier: Apache-2.0
// The loaders and header parsers meet hostile files: every truncation and thousands of seeded random
// corruptions of valid fixtures must give an image or an error, never a crash or an out-of-bounds read
// (the asan preset turns one into a failure). A cheap, deterministic stand-in for a fuzzer.
#include "ImageFixtures.h"
#include "db/ExampleLayouts.h"
#include "image/ImageFit.h"
#include "image/ImageFormat.h"

#include <QtTest>

#include <random>

using namespace flashplan;

class TestImageRobustness : public QObject {
    Q_OBJECT

    DeviceDatabase db_ = *DeviceDatabase::builtin();
    Layout layout_ = *ExampleLayouts::load("wolfboot-stm32f407", db_);

    /// Loads, reads the header and fits; returns whether the load succeeded. Errors must name the file.
    bool exercise(const std::string& content, const std::optional<ImageFormat>& format) {
        const auto loaded = loadImage(content, "fuzz.img", {format, std::nullopt, {}});
        if (!loaded) {
            if (loaded.error().where.file != "fuzz.img")
                qFatal("an error without the file name: %s", loaded.error().toString().c_str());
            return false;
        }
        const ImageHeader header = recognizeHeader(loaded->image);
        (void)header.totalSize();
        for (std::size_t i = 0; i < layout_.partitions.size(); ++i)
            (void)fitImage(loaded->image, header, layout_, i, {0x100});
        const auto flat = loaded->image.flatten(0xff);
        (void)flat;
        return true;
    }

    void corrupt(const std::string& original, std::optional<ImageFormat> format, unsigned seed) {
        std::mt19937 rng(seed);
        for (std::size_t n = 0; n <= original.size(); n += 1 + original.size() / 300)
            exercise(original.substr(0, n), format);
        int loaded = 0;
        for (int round = 0; round < 1500; ++round) {
            std::string s = original;
            const int edits = 1 + static_cast<int>(rng() % 4);
            for (int e = 0; e < edits && !s.empty(); ++e) {
                const std::size_t at = rng() % s.size();
                switch (rng() % 3) {
                case 0:
                    s[at] = static_cast<char>(rng());
                    break;
                case 1:
                    s[at] = static_cast<char>(s[at] ^ (1 << (rng() % 8)));
                    break;
                default:
                    s.resize(at);
                    break;
                }
            }
            loaded += exercise(s, format) ? 1 : 0;
        }
        // Some corruptions survive (a flipped data byte): the loop did reach the header parsers and fits.
        QVERIFY(loaded > 0);
    }

private slots:
    void intelHex() { corrupt(fixtures::toIntelHex(fixtures::twoSegmentProgram(), 0x08000201), {}, 1); }
    void sRecord() { corrupt(fixtures::toSRecord(fixtures::twoSegmentProgram(), 0x08000201), {}, 2); }
    void elf32() { corrupt(fixtures::programAsElf(), ImageFormat::Elf, 3); }
    void elf64BigEndian() {
        fixtures::ElfOptions o;
        o.is64 = true;
        o.bigEndian = true;
        corrupt(fixtures::programAsElf(o), ImageFormat::Elf, 4);
    }
    void mcubootImage() {
        fixtures::McubootSpec spec;
        spec.protectedTlvs = {{0x50, {1, 0, 0, 0}}};
        spec.payload = fixtures::pattern(0x40);
        corrupt(fixtures::asString(fixtures::makeMcubootImage(spec)), ImageFormat::Binary, 5);
    }
    void wolfbootImage() {
        fixtures::WolfbootSpec spec;
        spec.payload = fixtures::pattern(0x40);
        corrupt(fixtures::asString(fixtures::makeWolfbootImage(spec)), ImageFormat::Binary, 6);
    }
    void mcubootInsideAHexFile() {
        const auto bytes = fixtures::makeMcubootImage({});
        corrupt(fixtures::toIntelHex({{0x08020000, bytes}}), {}, 7);
    }
};

QTEST_GUILESS_MAIN(TestImageRobustness)
#include "tst_imagerobustness.moc"
