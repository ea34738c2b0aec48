// SPDX-License-Identifier: Apache-2.0
// The one place input files are read (InputFile, readTextFile, readImportFile, loadImageFile): what is not
// a regular file, an empty file and a file past its limit are refused before they are read, with one
// message each naming the file; importFile() (the editor's Open and every CLI command) refuses an empty
// layout in every format; JSON written with dumpJson() is valid whatever bytes the strings hold.
#include "image/ImageFormat.h"
#include "io/Format.h"
#include "io/JsonModel.h"
#include "io/TextFile.h"

#include <QTemporaryDir>
#include <QtTest>

#include <sys/stat.h>

using namespace flashplan;

namespace {
std::string writeFile(const QTemporaryDir& dir, const QString& name, const QByteArray& bytes) {
    QFile f(dir.filePath(name));
    if (!f.open(QIODevice::WriteOnly) || f.write(bytes) != bytes.size())
        qFatal("cannot write %s", qPrintable(name));
    return f.fileName().toStdString();
}
} // namespace

class TestInputFile : public QObject {
    Q_OBJECT

    QTemporaryDir dir_;

private slots:
    void whatIsNotARegularFileIsRefusedNamingWhatItIs() {
        QVERIFY(QDir().mkdir(dir_.filePath("folder")));
        const std::string fifo = dir_.filePath("fifo").toStdString();
        QCOMPARE(::mkfifo(fifo.c_str(), 0600), 0);
        const std::pair<std::string, std::string> cases[] = {
            {dir_.filePath("folder").toStdString(), "is a folder, not a file to read"},
            {"/dev/zero", "is a character device, not a file to read"},
            {fifo, "is a FIFO (named pipe), not a file to read"}, // refused without waiting for a writer
        };
        for (const auto& [path, message] : cases) {
            const auto r = readTextFile(path);
            QVERIFY(!r);
            QCOMPARE(r.error().code, Errc::InvalidArgument);
            QCOMPARE(r.error().where.file, path);
            QCOMPARE(r.error().message, message);
        }
        QCOMPARE(readTextFile(dir_.filePath("missing").toStdString()).error().code, Errc::Io);
    }

    void anEmptyFileIsRefusedUnlessItMayBe() {
        const std::string empty = writeFile(dir_, "empty.overlay", {});
        QCOMPARE(readTextFile(empty).error().message, std::string("the file is empty"));
        QCOMPARE(*readTextFile(empty, includedTextLimit()), std::string());
        // Every format: an empty file is no layout (importFile, which the editor's Open calls too).
        for (const Format& f : allFormats()) {
            if (!f.importer)
                continue;
            const auto r = importFile(empty, &f, {});
            QVERIFY2(!r, f.name.data());
            QCOMPARE(r.error().message, std::string("the file is empty"));
        }
        // An overlay that is empty changes nothing, as in Zephyr's build.
        const std::string board =
            writeFile(dir_, "board.dts",
                      "/dts-v1/;\n/ { flash0: flash@0 { compatible = \"soc-nv-flash\"; reg = <0x0 "
                      "0x10000>; erase-block-size = <4096>; partitions { compatible = "
                      "\"fixed-partitions\"; #address-cells = <1>; #size-cells = <1>; "
                      "slot: partition@0 { reg = <0x0 0x8000>; }; }; }; };\n");
        ImportOptions options;
        options.overlays = {empty};
        const auto withOverlay = importFile(board, findFormat("dts"), options);
        QVERIFY2(withOverlay, withOverlay ? "" : withOverlay.error().toString().c_str());
    }

    void aFilePastItsLimitIsRefusedBeforeItIsRead() {
        const std::string path = writeFile(dir_, "big.txt", QByteArray(5000, 'x'));
        const auto r = readTextFile(path, {4096, "a test file", "a reason"});
        QVERIFY(!r);
        QCOMPARE(r.error().message,
                 std::string("the file is 5000 bytes, more than the 4 KiB a test file can be (a reason)"));
        QCOMPARE(readTextFile(path, {5000, "a test file", "a reason"})->size(), std::size_t(5000));
        // Through an importer's own reader too (tests, #include): the same checks.
        ImportOptions options;
        options.readFile = [](const std::filesystem::path&) -> Result<std::string> { return std::string(); };
        QCOMPARE(readImportFile(options, "x.dts", layoutTextLimit()).error().message,
                 std::string("the file is empty"));
    }

    void anImageFileIsBoundedByTheFlashItIsFor() {
        Board board;
        board.id = "tiny";
        FlashDevice d;
        d.id = "flash0";
        d.sectors = *SectorMap::uniform(4, 1024);
        board.devices = {d};
        ImageLoadOptions options;
        options.sizeLimit = imageSizeLimit(board);
        QCOMPARE(options.sizeLimit.bytes, std::uint64_t(4096));
        const std::string raw = writeFile(dir_, "raw.bin", QByteArray(4097, '\x11'));
        const auto refused = loadImageFile(raw, options);
        QVERIFY(!refused);
        QCOMPARE(refused.error().message,
                 std::string("the file is 4097 bytes, more than the 4 KiB an image can be "
                             "(the largest flash device of board tiny)"));
        QVERIFY(loadImageFile(writeFile(dir_, "fits.bin", QByteArray(4096, '\x11')), options));
        // Intel HEX spells a byte in two digits, plus each record's address and checksum: a 4 KiB image
        // takes more than 4 KiB of text, and is read.
        QByteArray hex;
        for (int address = 0; address < 4096; address += 16) {
            QByteArray record = QByteArray::fromHex(QByteArray::number(0x10, 16).rightJustified(2, '0') +
                                                    QByteArray::number(address, 16).rightJustified(4, '0') +
                                                    "00" + QByteArray(32, '1'));
            std::uint8_t sum = 0;
            for (const char c : record)
                sum = static_cast<std::uint8_t>(sum + static_cast<std::uint8_t>(c));
            record.append(static_cast<char>(-sum));
            hex += ":" + record.toHex().toUpper() + "\n";
        }
        hex += ":00000001FF\n";
        QVERIFY(hex.size() > 4096);
        const auto text = loadImageFile(writeFile(dir_, "image.hex", hex), options);
        QVERIFY2(text, text ? "" : text.error().toString().c_str());
        QCOMPARE(text->image.totalSize(), std::uint64_t(4096));
        QCOMPARE(imageFileLimit(ImageFormat::IntelHex, options.sizeLimit).bytes, std::uint64_t(4 * 4096));
        QCOMPARE(imageFileLimit(ImageFormat::Elf, options.sizeLimit).bytes,
                 std::uint64_t(4096) + (512u << 20));
    }

    void jsonIsValidWhateverBytesItsStringsHold() {
        const nlohmann::ordered_json doc = {
            {"label", "slot\xff"},
            {"nested", {{"k\xfe", nlohmann::ordered_json::array({"a\xc3("})}}},
            {"fine", "\xe2\x86\x92"}};
        QVERIFY_THROWS_EXCEPTION(nlohmann::json::type_error, (void)doc.dump()); // what the CLI did
        const std::string text = dumpJson(doc);
        QCOMPARE(text, std::string("{\"label\":\"slot\\\\xFF\",\"nested\":{\"k\\\\xFE\":[\"a\\\\xC3(\"]},"
                                   "\"fine\":\"\xe2\x86\x92\"}"));
        QVERIFY(nlohmann::ordered_json::accept(text));
    }
};

QTEST_GUILESS_MAIN(TestInputFile)
#include "tst_inputfile.moc"
