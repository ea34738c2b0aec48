// SPDX-License-Identifier: Apache-2.0
// flashplan-cli on hostile inputs, as a user runs it: files whose names, labels and comments hold bytes that
// are not UTF-8 or are terminal controls still give JSON that parses and text with every such byte escaped
// (\xNN); /dev/zero, a 3 GiB sparse file, a folder, a FIFO and an empty file end every command that reads
// files with one clear message and exit 2, under a 2 GB address-space limit (ulimit -v 2000000) that makes
// reading such an input whole fail.
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QtTest>

#include <map>

#include <sys/resource.h>
#include <sys/stat.h>

namespace {

/// What a run of flashplan-cli gave, as raw bytes: the bytes on the terminal are what is checked.
struct Run {
    int exitCode = -1; ///< -1 when the process crashed (an abort is exit code 134 in a shell)
    QByteArray out, err;
};

/// Runs flashplan-cli with `args`; with `addressSpace`, under that RLIMIT_AS, set in the child as
/// `ulimit -v` does. AddressSanitizer reserves terabytes of shadow address space at start, which no such
/// limit allows: a sanitizer build gets the same bound as its allocator's limit instead (an allocation past
/// it aborts the program, so reading a 3 GB file whole still fails the test).
Run cli(const QStringList& args, rlim_t addressSpace = 0) {
    QProcess p;
#ifdef FLASHPLAN_SANITIZED
    if (addressSpace) {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        const QString options = env.value(QStringLiteral("ASAN_OPTIONS"));
        env.insert(QStringLiteral("ASAN_OPTIONS"),
                   options + (options.isEmpty() ? "" : ":") +
                       QStringLiteral("max_allocation_size_mb=%1:allocator_may_return_null=0")
                           .arg(addressSpace / (1024 * 1024)));
        p.setProcessEnvironment(env);
    }
#else
    if (addressSpace)
        p.setChildProcessModifier([addressSpace] {
            const rlimit limit{addressSpace, addressSpace};
            ::setrlimit(RLIMIT_AS, &limit);
        });
#endif
    p.start(QStringLiteral(FLASHPLAN_CLI), args);
    if (!p.waitForFinished(60000))
        qFatal("flashplan-cli did not finish");
    return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, p.readAllStandardOutput(),
            p.readAllStandardError()};
}

QString writeFile(const QTemporaryDir& dir, const QString& name, const QByteArray& bytes) {
    const QString path = dir.filePath(name);
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly) || f.write(bytes) != bytes.size())
        qFatal("cannot write %s", qPrintable(path));
    return path;
}

/// Whether `bytes` hold a control character other than tab and line feed, or a byte that is not UTF-8:
/// what must never reach a terminal raw. QString's decoder marks bytes that are not UTF-8 with U+FFFD.
bool hasRawGarbage(const QByteArray& bytes) {
    for (const char c : bytes) {
        const auto u = static_cast<unsigned char>(c);
        if ((u < 0x20 && u != '\t' && u != '\n') || u == 0x7f)
            return true;
    }
    return QString::fromUtf8(bytes).contains(QChar::ReplacementCharacter) ||
           QString::fromUtf8(bytes).contains(QRegularExpression(QStringLiteral("[\\x{80}-\\x{9f}]")));
}

/// One input per format Flashplan reads, with bytes that are not UTF-8 (0xFF, 0xC3 0x28, a lone 0xE2 0x82)
/// and terminal controls (ESC [2J clears the screen) in a name or label, and in a comment.
struct Hostile {
    const char* format;
    const char* fileName;
    QByteArray bytes;
};

const QByteArray kBad = QByteArray("\xff\xc3\x28\x1b[2J\xe2\x82", 10);

std::vector<Hostile> hostileInputs() {
    return {
        {"dts", "labels.dts",
         "/dts-v1/;\n/* comment " + kBad +
             " */\n/ {\n  flash0: flash@0 {\n    compatible = \"soc-nv-flash\";\n"
             "    reg = <0x0 0x100000>;\n    erase-block-size = <4096>;\n    write-block-size = <4>;\n"
             "    partitions {\n      compatible = \"fixed-partitions\";\n      #address-cells = <1>;\n"
             "      #size-cells = <1>;\n      boot_partition: partition@0 {\n        label = \"mcu" +
             kBad + "boot\";\n        reg = <0x0 0x10000>;\n      };\n    };\n  };\n};\n"},
        {"dts", "syntax.dts", "/dts-v1/;\n/ { " + kBad + " ; };\n"},
        {"esp-idf-csv", "labels.csv",
         "# Name, Type, SubType, Offset, Size " + kBad + "\nnvs" + kBad +
             ", data, nvs, 0x9000, 0x6000\nfactory, app, factory, 0x10000, 1M\n"},
        {"esp-idf-csv", "syntax.csv",
         "# Name, Type, SubType, Offset, Size\nnvs, data, " + kBad + ", 0x9000\n"},
        {"flashplan", "labels.flashplan",
         "<?xml version=\"1.0\"?>\n<!-- " + kBad + " -->\n<flashplan-layout schema=\"1\" name=\"n" + kBad +
             "\">\n  <board ref=\"stm32f4_disco\"/>\n  <partition label=\"slot" + kBad +
             "\" device=\"flash0\" offset=\"0x20000\" size=\"0x20000\" "
             "role=\"slot0\"/>\n</flashplan-layout>\n"},
        {"flashplan", "syntax.flashplan",
         "<?xml version=\"1.0\"?>\n<flashplan-layout schema=\"1\" name=\"x\">\n  <board ref=\"" + kBad +
             "\"/>\n</flashplan-layout>\n"},
        {"json", "labels.json",
         "{\"schema\": \"flashplan-layout/1\", \"layout\": {\"name\": \"n" + kBad + "\"}}\n"},
        {"json", "syntax.json", "{\"schema\": " + kBad + "}\n"},
        {"pm-static-yml", "labels.yml",
         "# " + kBad + "\nmcuboot" + kBad +
             ":\n  address: 0x0\n  size: 0x10000\napp:\n  address: 0x10000\n"
             "  size: 0x70000\n"},
        {"pm-static-yml", "syntax.yml", "mcuboot:\n  address: " + kBad + "\n  size: 0x10000\n"},
        {"wolfboot-config", "labels.config",
         "# " + kBad + "\nTARGET=stm32f4" + kBad +
             "\nWOLFBOOT_SECTOR_SIZE=0x20000\n"
             "WOLFBOOT_PARTITION_SIZE=0x20000\n"
             "WOLFBOOT_PARTITION_BOOT_ADDRESS=0x08020000\n"
             "WOLFBOOT_PARTITION_UPDATE_ADDRESS=0x08040000\n"
             "WOLFBOOT_PARTITION_SWAP_ADDRESS=0x08060000\n"},
        {"wolfboot-config", "syntax.config", "WOLFBOOT_PARTITION_SIZE=" + kBad + "\n"},
        {"wolfboot-target-h", "labels.h",
         "/* " + kBad +
             " */\n#define WOLFBOOT_SECTOR_SIZE 0x20000\n#define WOLFBOOT_PARTITION_SIZE 0x20000\n"
             "#define WOLFBOOT_PARTITION_BOOT_ADDRESS 0x08020000\n"
             "#define WOLFBOOT_PARTITION_UPDATE_ADDRESS 0x08040000\n"
             "#define WOLFBOOT_PARTITION_SWAP_ADDRESS 0x08060000\n#define " +
             kBad + " 1\n"},
        {"wolfboot-target-h", "syntax.h", "#define WOLFBOOT_PARTITION_SIZE " + kBad + "\n"},
    };
}

/// The formats `flashplan-cli --help` lists as read: each must have a hostile input above.
QStringList formatsRead() {
    const Run help = cli({QStringLiteral("--help")});
    QStringList formats;
    const QRegularExpression row(QStringLiteral("^  (\\S+) +.*\\(read(, write)?\\)$"),
                                 QRegularExpression::MultilineOption);
    for (auto it = row.globalMatch(QString::fromUtf8(help.out)); it.hasNext();)
        formats << it.next().captured(1);
    return formats;
}

} // namespace

class TestCliInputs : public QObject {
    Q_OBJECT

    QTemporaryDir dir_;
    QString big_, bigBin_, empty_, folder_, fifo_;

private slots:
    void initTestCase() {
        QVERIFY(dir_.isValid());
        // 3 GB, sparse: nothing is written, yet reading it whole would take 3 GB of memory.
        for (QString* path : {&big_, &bigBin_}) {
            *path = dir_.filePath(path == &big_ ? QStringLiteral("big.dts") : QStringLiteral("big.bin"));
            QFile f(*path);
            QVERIFY(f.open(QIODevice::WriteOnly) && f.resize(3'000'000'000LL));
        }
        empty_ = writeFile(dir_, QStringLiteral("empty.dts"), {});
        folder_ = dir_.filePath(QStringLiteral("folder.dts"));
        QVERIFY(QDir().mkdir(folder_));
        fifo_ = dir_.filePath(QStringLiteral("fifo.dts"));
        QCOMPARE(::mkfifo(qPrintable(fifo_), 0600), 0);
    }

    void everyFormatReadHasAHostileInput() {
        const QStringList formats = formatsRead();
        QVERIFY(formats.contains(QStringLiteral("dts"))); // the help was read
        for (const QString& f : formats) {
            bool covered = false;
            for (const Hostile& h : hostileInputs())
                covered = covered || f == QLatin1String(h.format);
            QVERIFY2(covered, qPrintable(f + " has no hostile input here"));
        }
    }

    void jsonParsesWhateverBytesTheInputHolds_data() {
        QTest::addColumn<QString>("format");
        QTest::addColumn<QString>("fileName");
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<QString>("command");
        for (const Hostile& h : hostileInputs())
            for (const char* command : {"import", "validate"})
                QTest::addRow("%s %s", command, h.fileName)
                    << QString::fromLatin1(h.format) << QString::fromLatin1(h.fileName) << h.bytes
                    << QString::fromLatin1(command);
    }

    void jsonParsesWhateverBytesTheInputHolds() {
        QFETCH(QString, format);
        QFETCH(QString, fileName);
        QFETCH(QByteArray, bytes);
        QFETCH(QString, command);
        // The file's own name holds bad bytes too: it is quoted in "source" and in every error.
        const QString path = writeFile(dir_, fileName, bytes);
        for (const QStringList& how : {QStringList{QStringLiteral("--from"), format}, QStringList{}}) {
            const Run r = cli(QStringList{command, path, QStringLiteral("--json")} + how);
            QVERIFY2(r.exitCode >= 0 && r.exitCode <= 2, qPrintable(QString::fromUtf8(r.err)));
            QJsonParseError error;
            const QJsonDocument doc = QJsonDocument::fromJson(r.out, &error);
            QVERIFY2(error.error == QJsonParseError::NoError,
                     qPrintable(error.errorString() + ": " + QString::fromUtf8(r.out.toHex())));
            QCOMPARE(doc.object().value(QStringLiteral("schema")).toString(),
                     QStringLiteral("flashplan-cli/1"));
            // Bytes that are not UTF-8 come out as \xNN, as docs/cli-json.md says; nothing is replaced.
            QVERIFY(!QString::fromUtf8(r.out).contains(QChar::ReplacementCharacter));
        }
    }

    void bytesThatAreNotUtf8BecomeBackslashXInJson() {
        const QString path = writeFile(dir_, QStringLiteral("names.csv"),
                                       "# Name, Type, SubType, Offset, Size\nnvs\xff\x1b, data, nvs, 0x9000, "
                                       "0x6000\nfactory, app, factory, 0x10000, 1M\n");
        const Run r = cli({QStringLiteral("import"), path, QStringLiteral("--json")});
        QCOMPARE(r.exitCode, 0);
        const QJsonArray parts = QJsonDocument::fromJson(r.out)["layout"]["partitions"].toArray();
        QCOMPARE(parts.size(), 2);
        // 0xFF is no UTF-8: the four characters \xFF. ESC is a character: JSON escapes it itself.
        QCOMPARE(parts[0]["label"].toString(), QStringLiteral("nvs\\xFF\x1b"));
    }

    void textOutputEscapesControlsAndBytesThatAreNotUtf8() {
        for (const Hostile& h : hostileInputs()) {
            const QString path = writeFile(dir_, QString::fromLatin1(h.fileName), h.bytes);
            for (const char* command : {"import", "validate"}) {
                const Run r = cli({QString::fromLatin1(command), path, QStringLiteral("--from"),
                                   QString::fromLatin1(h.format)});
                QVERIFY2(r.exitCode >= 0 && r.exitCode <= 2, h.fileName);
                QVERIFY2(!hasRawGarbage(r.out), qPrintable(QString(h.fileName) + ": " + r.out.toHex()));
                QVERIFY2(!hasRawGarbage(r.err), qPrintable(QString(h.fileName) + ": " + r.err.toHex()));
            }
        }
        // And the escaped bytes are there to read, in the form the docs give.
        const QString path =
            writeFile(dir_, QStringLiteral("esc.csv"),
                      "# Name, Type, SubType, Offset, Size\nnvs\xff\x1b[2J, data, nvs, 0x9000, "
                      "0x6000\n");
        const Run r = cli({QStringLiteral("import"), path});
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.out.contains("nvs\\xFF\\x1B[2J"), r.out.constData());
    }

    void unreadableInputsEndEveryCommandWithOneMessage_data() {
        QTest::addColumn<QString>("what");
        QTest::addColumn<QString>("message");
        QTest::newRow("/dev/zero") << "/dev/zero"
                                   << ": is a character device, not a file to read";
        QTest::newRow("folder") << "folder"
                                << ": is a folder, not a file to read";
        QTest::newRow("FIFO") << "fifo"
                              << ": is a FIFO (named pipe), not a file to read";
        QTest::newRow("empty") << "empty"
                               << ": the file is empty";
        QTest::newRow("3 GB") << "big"
                              << ": the file is 3000000000 bytes, more than the ";
    }

    void unreadableInputsEndEveryCommandWithOneMessage() {
        QFETCH(QString, what);
        QFETCH(QString, message);
        const std::map<QString, QString> paths = {
            {"folder", folder_}, {"fifo", fifo_}, {"empty", empty_}, {"big", big_}};
        const QString path = paths.count(what) ? paths.at(what) : what;
        const QString out = dir_.filePath(QStringLiteral("out.json"));
        // Every command that reads a layout or an image file, with that file as the input it reads.
        const QList<QStringList> commands = {
            {"import", path},
            {"validate", path},
            {"convert", path, out},
            {"info", path},
            {"inspect", path},
            {"image", path},
            {"image", path, "--layout", "zephyr-flash-map", "--partition", "slot1_partition"},
            {"flash", path, "slot1_partition", "image.bin"},
            {"flash", "zephyr-flash-map", "slot1_partition", path},
            {"verify", "zephyr-flash-map", "slot1_partition", path},
        };
        for (const QStringList& args : commands) {
            // 2,000,000 KiB, as `ulimit -v 2000000`: reading 3 GB whole fails under it.
            const Run r = cli(args, rlim_t{2'000'000} * 1024);
            const QString err = QString::fromUtf8(r.err);
            QVERIFY2(r.exitCode == 2,
                     qPrintable(args.join(' ') + ": exit " + QString::number(r.exitCode) + ", " + err));
            QVERIFY2(err.startsWith("flashplan-cli: " + path + message),
                     qPrintable(args.join(' ') + ": " + err));
            QCOMPARE(err.count('\n'), 1); // one message, nothing else
            // The same with --json: one error line that parses.
            const Run json = cli(args + QStringList{QStringLiteral("--json")}, rlim_t{2'000'000} * 1024);
            QCOMPARE(json.exitCode, 2);
            const QJsonObject error = QJsonDocument::fromJson(json.out)["error"].toObject();
            QCOMPARE(error["file"].toString(), path);
            QVERIFY2(error["text"].toString().startsWith(path + message), json.out.constData());
        }
    }

    void anImageLargerThanTheBoardsFlashIsRefusedNamingBoth() {
        // 2 MiB + 1 byte: more than STM32F407's 1 MiB of flash, and within the database's largest.
        QFile f(dir_.filePath(QStringLiteral("two-mib.bin")));
        QVERIFY(f.open(QIODevice::WriteOnly) && f.resize(2 * 1024 * 1024 + 1));
        f.close();
        const Run alone = cli({QStringLiteral("image"), f.fileName()});
        QCOMPARE(alone.exitCode, 0);
        const Run onBoard = cli({QStringLiteral("image"), f.fileName(), QStringLiteral("--layout"),
                                 QStringLiteral("wolfboot-stm32f407"), QStringLiteral("--partition"),
                                 QStringLiteral("boot")});
        QCOMPARE(onBoard.exitCode, 2);
        QVERIFY2(onBoard.err.contains(
                     "the file is 2097153 bytes, more than the 1 MiB an image can be (the largest "
                     "flash device of board stm32f4_disco)"),
                 onBoard.err.constData());
        const Run flash =
            cli({QStringLiteral("flash"), QStringLiteral("wolfboot-stm32f407"), QStringLiteral("boot"),
                 f.fileName(), QStringLiteral("--sim-dir"), dir_.path()});
        QCOMPARE(flash.exitCode, 2);
        QVERIFY2(flash.err.contains("more than the 1 MiB an image can be"), flash.err.constData());
    }
};

QTEST_GUILESS_MAIN(TestCliInputs)
#include "tst_cli_inputs.moc"
