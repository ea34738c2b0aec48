// SPDX-License-Identifier: Apache-2.0
// flashplan-cli image as a user runs it: a real process on image files written from known bytes
// (tests/support/ImageFixtures.h), its exit code, its text and its JSON.
#include "CliRun.h"
#include "ImageFixtures.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

namespace {

using clirun::cli;
using clirun::Run;

QString writeFile(const QTemporaryDir& dir, const QString& name, const std::string& content) {
    const QString path = dir.filePath(name);
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly))
        qFatal("cannot write %s", qPrintable(path));
    f.write(content.data(), static_cast<qint64>(content.size()));
    return path;
}

// wolfBoot on an STM32F407: boot 0x08020000..0x08040000, update 0x08040000..0x08060000.
const QString kLayout = QStringLiteral("wolfboot-stm32f407");

} // namespace

class TestCliImage : public QObject {
    Q_OBJECT

    QTemporaryDir dir_;

private slots:
    void aHexFileShowsItsSegmentsAndStart() {
        const QString hex =
            writeFile(dir_, "zephyr.hex", fixtures::toIntelHex(fixtures::twoSegmentProgram(), 0x08000201));
        const Run r = cli({"image", hex});
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.out.contains("Format:  hex (Intel HEX records)") && r.out.contains("2 segments") &&
                     r.out.contains("0x08000000  0x08000188") && r.out.contains("0x08000200  0x080007e4") &&
                     r.out.contains("Start:   0x08000201") && r.out.contains("Header:  none"),
                 qPrintable(r.out));

        const Run j = cli({"image", "--json", hex});
        QCOMPARE(j.exitCode, 0);
        const QJsonObject o = j.json();
        QCOMPARE(o["schema"].toString(), QString("flashplan-cli/1"));
        QCOMPARE(o["format"].toString(), QString("hex"));
        QCOMPARE(o["absolute"].toBool(), true);
        QCOMPARE(o["size"].toInteger(), qint64(0x188 + 0x5e4));
        QCOMPARE(o["start_address"].toInteger(), qint64(0x08000201));
        const QJsonArray segments = o["segments"].toArray();
        QCOMPARE(segments.size(), 2);
        QCOMPARE(segments[1].toObject()["address"].toInteger(), qint64(0x08000200));
        QCOMPARE(segments[1].toObject()["size"].toInteger(), qint64(0x5e4));
        QCOMPARE(o["header"].toObject()["kind"].toString(), QString("none"));
        QVERIFY(o["fit"].isNull());
        QVERIFY(o["findings"].toArray().isEmpty());
    }

    void anElfShowsItsClassAndMachine() {
        const Run r = cli({"image", writeFile(dir_, "zephyr.elf", fixtures::programAsElf())});
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.out.contains("Format:  elf (ELF magic)") && r.out.contains("ELF32 little-endian ARM"),
                 qPrintable(r.out));
    }

    void aSignedMcubootImageFitsItsSlot() {
        const QString bin =
            writeFile(dir_, "zephyr.signed.bin", fixtures::asString(fixtures::makeMcubootImage({})));
        const Run r = cli({"image", bin, "--layout", kLayout, "--partition", "boot"});
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.out.contains("Header:  MCUboot, version 1.2.3+4") && r.out.contains("SHA256 32 B") &&
                     r.out.contains("offset 0x20000..0x20698 (CPU 0x08020000..0x08020698)") &&
                     r.out.contains("fits: yes, free bytes 129384 (0x1f968)"),
                 qPrintable(r.out));

        const Run j = cli({"image", "--json", bin, "--layout", kLayout, "--partition", "boot"});
        QCOMPARE(j.exitCode, 0);
        const QJsonObject header = j.json()["header"].toObject();
        QCOMPARE(header["kind"].toString(), QString("mcuboot"));
        QCOMPARE(header["version"].toString(), QString("1.2.3+4"));
        QCOMPARE(header["header_size"].toInt(), 0x200);
        QCOMPARE(header["payload_size"].toInt(), 0x400);
        QCOMPARE(header["tlv_size"].toInt(), 152);
        QCOMPARE(header["total_size"].toInt(), 0x698);
        QCOMPARE(header["tlvs"].toArray()[2].toObject()["name"].toString(), QString("ECDSA_SIG"));
        const QJsonObject fit = j.json()["fit"].toObject();
        QCOMPARE(fit["partition"].toString(), QString("boot"));
        QCOMPARE(fit["fits"].toBool(), true);
        QCOMPARE(fit["flashable"].toBool(), true);
        QVERIFY(fit["reasons"].toArray().isEmpty());
        QCOMPARE(fit["offset"].toInteger(), qint64(0x20000));
        QCOMPARE(fit["cpu_address"].toInteger(), qint64(0x08020000));
        QCOMPARE(fit["free"].toInteger(), qint64(0x20000 - 0x698));
        QCOMPARE(j.json()["absolute"].toBool(), false);
    }

    void tooBigOnceTheTrailerIsReservedExitsOne() {
        const QString bin = writeFile(dir_, "big.bin", fixtures::asString(fixtures::pattern(0x1f800)));
        const Run r =
            cli({"image", bin, "--layout", kLayout, "--partition", "update", "--trailer-reserve", "4K"});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.out.contains("fits: no, 2048 (0x800) bytes too many"), qPrintable(r.out));
        const Run j = cli({"image", "--json", bin, "--layout", kLayout, "--partition", "update",
                           "--trailer-reserve", "0x1000"});
        QCOMPARE(j.exitCode, 1);
        QCOMPARE(j.json()["fit"].toObject()["shortfall"].toInteger(), qint64(0x800));
        QCOMPARE(j.json()["fit"].toObject()["trailer_reserve"].toInteger(), qint64(0x1000));
        QCOMPARE(cli({"image", bin, "--layout", kLayout, "--partition", "update"}).exitCode, 0);
    }

    void theTrailerCountsAsFlashCountsIt() {
        // zephyr-flash-map's slot1 is 0x60000 bytes; MCUboot (swap using scratch) keeps its last 0x630.
        // image answers with flash's own preflight: no --trailer-reserve needed to be told it does not fit.
        const QString bin = writeFile(dir_, "big.bin", fixtures::asString(fixtures::pattern(0x5ff9c)));
        const Run r = cli({"image", bin, "--layout", "zephyr-flash-map", "--partition", "slot1_partition"});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.out.contains("fits: no, 1484 (0x5cc) bytes too many") &&
                     r.out.contains("[preflight.image-too-large]") &&
                     r.out.contains("(0x630 at its end are the bootloader's trailer)"),
                 qPrintable(r.out));
        const Run fits =
            cli({"image", writeFile(dir_, "fits.bin", fixtures::asString(fixtures::pattern(0x5f9d0))),
                 "--layout", "zephyr-flash-map", "--partition", "slot1_partition"});
        QCOMPARE(fits.exitCode, 0);
        QVERIFY2(fits.out.contains("fits: yes, free bytes 0") && fits.out.contains("flash: would take it"),
                 qPrintable(fits.out));
    }

    void anImageStraddlingTwoPartitionsExitsOneWithTheOverlap() {
        const QString hex =
            writeFile(dir_, "straddle.hex", fixtures::toIntelHex({{0x0803ff00, fixtures::pattern(0x200)}}));
        const Run r = cli({"image", hex, "--layout", kLayout, "--partition", "boot"});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.out.contains("fits: no\n") && r.out.contains("flash: would refuse it:") &&
                     r.out.contains("[preflight.image-placement] " + hex +
                                    ": the image's bytes at offset 0x40000..0x40100 (CPU "
                                    "0x08040000..0x08040100) lie outside boot") &&
                     r.out.contains("in update (overlap offset 0x40000..0x40100"),
                 qPrintable(r.out));
        const Run j = cli({"image", "--json", hex, "--layout", kLayout, "--partition", "boot"});
        QCOMPARE(j.exitCode, 1);
        const QJsonObject fit = j.json()["fit"].toObject();
        QCOMPARE(fit["fits"].toBool(), false);
        QCOMPARE(fit["flashable"].toBool(), false);
        const QJsonObject reason = fit["reasons"].toArray().at(0).toObject();
        QCOMPARE(reason["rule"].toString(), QString("preflight.image-placement"));
        QVERIFY(reason["message"].toString().contains("lie outside boot"));
        QVERIFY(fit["used"].isNull());
    }

    void aRawBinaryAtABase() {
        const QString bin = writeFile(dir_, "app.bin", fixtures::asString(fixtures::pattern(0x100)));
        const Run r = cli({"image", bin, "--base", "0x08040000", "--layout", kLayout, "--partition", "boot"});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.out.contains("0x08040000..0x08040100") && r.out.contains("in update"), qPrintable(r.out));
        const Run fits =
            cli({"image", bin, "--base", "0x08040000", "--layout", kLayout, "--partition", "update"});
        QCOMPARE(fits.exitCode, 0);
        const Run relative = cli({"image", bin});
        QVERIFY2(relative.out.contains("+0x0..+0x100 (relative: placed at a slot's start)"),
                 qPrintable(relative.out));
    }

    void aWolfbootImage() {
        const QString bin =
            writeFile(dir_, "image_v7_signed.bin", fixtures::asString(fixtures::makeWolfbootImage({})));
        const Run r = cli({"image", bin, "--layout", kLayout, "--partition", "update"});
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.out.contains("Header:  wolfBoot, version 7") && r.out.contains("application, ECC256") &&
                     r.out.contains("SIGNATURE 64 B"),
                 qPrintable(r.out));
        const QJsonObject header = cli({"image", "--json", bin}).json()["header"].toObject();
        QCOMPARE(header["kind"].toString(), QString("wolfboot"));
        QCOMPARE(header["version"].toString(), QString("7"));
        QCOMPARE(header["header_size"].toInt(), 256);
        QCOMPARE(header["total_size"].toInt(), 256 + 0x600);
        QCOMPARE(header["wolfboot"].toObject()["image_type"].toInt(), 0x0201);
    }

    void aMalformedHeaderExitsOneWithItsFinding() {
        fixtures::Bytes cut = fixtures::makeMcubootImage({});
        cut.resize(cut.size() - 40);
        const QString bin = writeFile(dir_, "cut.bin", fixtures::asString(cut));
        const Run r = cli({"image", bin});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.out.contains(bin + ": error: [image.mcuboot-tlv-truncated]"), qPrintable(r.out));
        const QJsonArray findings = cli({"image", "--json", bin}).json()["findings"].toArray();
        QCOMPARE(findings.size(), 1);
        QCOMPARE(findings[0].toObject()["rule"].toString(), QString("image.mcuboot-tlv-truncated"));
        QCOMPARE(findings[0].toObject()["severity"].toString(), QString("error"));

        // An unsigned image is only a warning, which --strict makes fail.
        fixtures::McubootSpec spec;
        spec.tlvs = {};
        fixtures::Bytes unsignedImage = fixtures::makeMcubootImage(spec);
        unsignedImage.resize(0x600);
        const QString path = writeFile(dir_, "unsigned.bin", fixtures::asString(unsignedImage));
        const Run lenient = cli({"image", path});
        QCOMPARE(lenient.exitCode, 0);
        QVERIFY2(lenient.out.contains("warning: [image.mcuboot-no-tlvs]"), qPrintable(lenient.out));
        QCOMPARE(cli({"image", "--strict", path}).exitCode, 1);
    }

    void aBrokenFileExitsTwoAndNamesTheLine() {
        std::string hex = fixtures::toIntelHex(fixtures::twoSegmentProgram());
        const std::size_t third = hex.find('\n', hex.find('\n') + 1) + 1; // the start of line 3
        const std::size_t sum = hex.find('\n', third) - 1;                // its checksum's last digit
        hex[sum] = hex[sum] == '0' ? '1' : '0';
        const QString path = writeFile(dir_, "broken.hex", hex);
        const Run r = cli({"image", path});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(path + ":3:") && r.err.contains("wrong checksum"), qPrintable(r.err));
        QVERIFY(r.out.isEmpty());
        const Run j = cli({"image", "--json", path});
        QCOMPARE(j.exitCode, 2);
        QCOMPARE(j.json()["error"].toObject()["line"].toInt(), 3);
        QCOMPARE(j.json()["error"].toObject()["file"].toString(), path);
    }

    void formatCanBeForced() {
        const QString hex =
            writeFile(dir_, "forced.hex", fixtures::toIntelHex(fixtures::twoSegmentProgram()));
        const QJsonObject o = cli({"image", "--json", "--format", "bin", hex}).json();
        QCOMPARE(o["format"].toString(), QString("bin"));
        QCOMPARE(o["format_reason"].toString(), QString("--format bin"));
        QCOMPARE(cli({"image", "--format", "elf", hex}).exitCode, 2); // not an ELF
    }

    void usageErrorsExitTwo() {
        const QString hex = writeFile(dir_, "u.hex", fixtures::toIntelHex(fixtures::twoSegmentProgram()));
        QCOMPARE(cli({"image"}).exitCode, 2);
        QCOMPARE(cli({"image", hex, hex}).exitCode, 2);
        QCOMPARE(cli({"image", dir_.filePath("missing.hex")}).exitCode, 2);
        QCOMPARE(cli({"image", hex, "--format", "word"}).exitCode, 2);
        QCOMPARE(cli({"image", hex, "--base", "0x1000"}).exitCode, 2); // HEX carries its own addresses
        QCOMPARE(cli({"image", hex, "--base", "nowhere", "--format", "bin"}).exitCode, 2);
        QCOMPARE(cli({"image", hex, "--partition", "boot"}).exitCode, 2);
        QCOMPARE(cli({"image", hex, "--layout", kLayout}).exitCode, 2);
        QCOMPARE(cli({"image", hex, "--trailer-reserve", "4K"}).exitCode, 2);
        const Run unknown = cli({"image", hex, "--layout", kLayout, "--partition", "slot0_partition"});
        QCOMPARE(unknown.exitCode, 2);
        QVERIFY2(unknown.err.contains("no partition 'slot0_partition'") &&
                     unknown.err.contains("boot, update"),
                 qPrintable(unknown.err));
        QVERIFY(cli({"--help"}).out.contains("image <file>"));
    }
};

QTEST_GUILESS_MAIN(TestCliImage)
#include "tst_cli_image.moc"
