// SPDX-License-Identifier: Apache-2.0
// flashplan-cli flash, verify, read and erase as a user runs them, on the simulator backend: a real
// process, its exit code, its JSON event lines, and the simulated flash file it leaves behind.
#include "BackendRegistry.h"
#include "ImageFixtures.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

namespace {

struct Run {
    int exitCode = -1;
    QString out, err;
    /// Every stdout line as a JSON object (--json prints one per line).
    QList<QJsonObject> events() const {
        QList<QJsonObject> list;
        for (const QString& line : out.split(QLatin1Char('\n'), Qt::SkipEmptyParts)) {
            QJsonParseError error;
            const QJsonDocument doc = QJsonDocument::fromJson(line.toUtf8(), &error);
            if (error.error != QJsonParseError::NoError || !doc.isObject())
                qFatal("not one JSON object per line: %s", qPrintable(line));
            list.append(doc.object());
        }
        return list;
    }
    QJsonObject result() const { return events().isEmpty() ? QJsonObject() : events().last(); }
};

// wolfBoot on an STM32F407: wolfboot 0x0..0x20000 (read-only), boot 0x20000..0x40000 (sector 5),
// update 0x40000..0x60000 (sector 6), swap 0x60000..0x80000 (sector 7).
const QString kLayout = QStringLiteral("wolfboot-stm32f407");

// MCUboot on an nRF52840 with 20 KiB slots, the slot size of imgtool's fixtures.
const char* const kSmallMcuboot = R"(<?xml version="1.0" encoding="UTF-8"?>
<flashplan-layout schema="1" name="MCUboot with 20 KiB slots">
  <board ref="nrf52840dk_nrf52840"/>
  <bootloader kind="mcuboot" mode="swap-using-scratch"/>
  <partition label="boot_partition" device="flash0" offset="0x0" size="0x10000" role="boot" read-only="true"/>
  <partition label="slot0_partition" device="flash0" offset="0x10000" size="0x5000" role="slot0"/>
  <partition label="slot1_partition" device="flash0" offset="0x15000" size="0x5000" role="slot1"/>
  <partition label="scratch_partition" device="flash0" offset="0x1a000" size="0x1000" role="scratch"/>
</flashplan-layout>
)";

} // namespace

class TestCliProgram : public QObject {
    Q_OBJECT

    QTemporaryDir dir_;
    QString simDir_;

    Run cli(QStringList args) const {
        args << QStringLiteral("--sim-dir") << simDir_;
        return tool(args);
    }
    /// flashplan-cli as given, for commands that connect to nothing.
    static Run tool(const QStringList& args) {
        QProcess p;
        p.start(QStringLiteral(FLASHPLAN_CLI), args);
        if (!p.waitForFinished(30000))
            qFatal("flashplan-cli did not finish");
        return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1,
                QString::fromUtf8(p.readAllStandardOutput()), QString::fromUtf8(p.readAllStandardError())};
    }
    QString writeFile(const QString& name, const fixtures::Bytes& bytes) const {
        const QString path = dir_.filePath(name);
        QFile f(path);
        if (!f.open(QIODevice::WriteOnly))
            qFatal("cannot write %s", qPrintable(path));
        f.write(reinterpret_cast<const char*>(bytes.data()), static_cast<qint64>(bytes.size()));
        return path;
    }
    QString writeText(const QString& name, const char* text) const {
        const QString path = dir_.filePath(name);
        QFile f(path);
        if (!f.open(QIODevice::WriteOnly))
            qFatal("cannot write %s", qPrintable(path));
        f.write(text);
        return path;
    }
    QByteArray flash() const {
        QFile f(simDir_ + QStringLiteral("/stm32f4_disco/flash0.bin"));
        return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
    }

private slots:
    void init() { simDir_ = dir_.filePath(QStringLiteral("sim-%1").arg(QTest::currentTestFunction())); }

    void flashesOnlyTheImagesSectorsThenSkipsThem() {
        const auto image = fixtures::pattern(48 * 1024, 3);
        const QString bin = writeFile("app.bin", image);
        Run r = cli({"flash", kLayout, "boot", bin});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY2(r.out.contains("verified"), qPrintable(r.out));
        const QByteArray content = flash();
        QCOMPARE(content.size(), 1024 * 1024);
        QCOMPARE(content.mid(0x20000, int(image.size())),
                 QByteArray(reinterpret_cast<const char*>(image.data()), int(image.size())));
        QVERIFY(content.mid(0x20000 + int(image.size())).count(char(0xff)) ==
                content.size() - 0x20000 - int(image.size()));

        r = cli({"flash", "--json", kLayout, "boot", bin});
        QCOMPARE(r.exitCode, 0);
        const QList<QJsonObject> events = r.events();
        QVERIFY(events.size() > 3);
        for (const QJsonObject& e : events)
            QCOMPARE(e.value("schema").toString(), QStringLiteral("flashplan-cli/1"));
        QCOMPARE(events.first().value("event").toString(), QStringLiteral("phase"));
        const QJsonObject result = r.result();
        QCOMPARE(result.value("event").toString(), QStringLiteral("result"));
        QCOMPARE(result.value("ok").toBool(), true);
        QCOMPARE(result.value("sectors_skipped").toInt(), 1);
        QCOMPARE(result.value("bytes_written").toInt(), 0);
        QCOMPARE(result.value("sectors").toArray().first().toObject().value("outcome").toString(),
                 QStringLiteral("skipped"));

        r = cli({"flash", "--json", "--full", kLayout, "boot", bin});
        QCOMPARE(r.result().value("bytes_erased").toInt(), 0x20000);
        QCOMPARE(r.result().value("bytes_written").toInt(), 48 * 1024);
    }

    void aHexImageLandsAtItsOwnAddresses() {
        const auto code = fixtures::pattern(0x300, 9);
        const QString hex = dir_.filePath("app.hex");
        QFile f(hex);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(QByteArray::fromStdString(fixtures::toIntelHex({{0x08040100, code}})));
        f.close();
        const Run r = cli({"flash", kLayout, "update", hex});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        const QByteArray content = flash();
        QCOMPARE(content.mid(0x40100, 0x300), QByteArray(reinterpret_cast<const char*>(code.data()), 0x300));
        QCOMPARE(content.mid(0x40000, 0x100), QByteArray(0x100, char(0xff)));
    }

    void verifyAndReadSeeWhatIsThere() {
        auto image = fixtures::pattern(0x1000, 5);
        const QString bin = writeFile("v.bin", image);
        QCOMPARE(cli({"flash", kLayout, "update", bin}).exitCode, 0);
        Run r = cli({"verify", "--json", kLayout, "update", bin});
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(r.result().value("matches").toBool(), true);
        image[0x10] ^= 0xff;
        r = cli({"verify", "--json", kLayout, "update", writeFile("other.bin", image)});
        QCOMPARE(r.exitCode, 1);
        QCOMPARE(r.result().value("matches").toBool(), false);
        QCOMPARE(r.result().value("sectors").toArray().first().toObject().value("state").toString(),
                 QStringLiteral("differs"));

        const QString out = dir_.filePath("read back.bin");
        r = cli({"read", kLayout, "update", out});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QFile f(out);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QCOMPARE(f.size(), qint64(0x20000));
        QCOMPARE(f.readAll(), flash().mid(0x40000, 0x20000));
    }

    void eraseClearsOnlyThePartition() {
        const QString bin = writeFile("e.bin", fixtures::pattern(0x20000, 1));
        QCOMPARE(cli({"flash", kLayout, "boot", bin}).exitCode, 0);
        QCOMPARE(cli({"flash", kLayout, "update", bin}).exitCode, 0);
        const Run r = cli({"erase", "--json", kLayout, "update"});
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(r.result().value("bytes_erased").toInt(), 0x20000);
        const QByteArray content = flash();
        QCOMPARE(content.mid(0x40000, 0x20000), QByteArray(0x20000, char(0xff)));
        QVERIFY(content.mid(0x20000, 0x20000) != QByteArray(0x20000, char(0xff)));
    }

    void refusesBeforeAnyByteMoves() {
        const QString big = writeFile("big.bin", fixtures::pattern(0x20001, 1));
        Run r = cli({"flash", kLayout, "boot", big});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains("big.bin") && r.err.contains("lie outside boot") &&
                     r.err.contains("in update"),
                 qPrintable(r.err));
        const QString small = writeFile("small.bin", fixtures::pattern(0x100, 1));
        r = cli({"flash", "--json", kLayout, "wolfboot", small});
        QCOMPARE(r.exitCode, 1);
        QCOMPARE(r.result().value("refused").toBool(), true);
        const QJsonObject reason = r.result().value("reasons").toArray().at(0).toObject();
        QCOMPARE(reason.value("rule").toString(), QStringLiteral("preflight.read-only"));
        QVERIFY(reason.value("message").toString().contains("wolfboot is read-only"));
        r = cli({"flash", kLayout, "nowhere", small});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains("no partition 'nowhere'") && r.err.contains("boot, update"),
                 qPrintable(r.err));
        r = cli({"flash", "--backend", "jtag-magic", kLayout, "boot", small});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains("--backend jtag-magic: not a backend (") && r.err.contains("sim"),
                 qPrintable(r.err));
        r = cli({"flash", kLayout, "boot", dir_.filePath("missing.bin")});
        QCOMPARE(r.exitCode, 2);
        QVERIFY(r.err.contains("missing.bin"));
        QVERIFY(!QFileInfo::exists(simDir_)); // nothing connected, so no simulated flash was created
    }

    void backendOptionsComeFromTheDeclarations() {
        // Every option a backend declares (programmer/BackendKind.h) is an option of flashplan-cli, listed
        // with its value and help and parsed (an unknown option is a usage error): a new option needs
        // nothing but its declaration.
        const auto text = [](std::string_view s) { return QString::fromUtf8(s.data(), qsizetype(s.size())); };
        const Run help = cli({"flash", "--help"});
        QCOMPARE(help.exitCode, 0);
        const QString listed = help.out.simplified();
        const auto declared = flashplan::programmer::allBackendOptions();
        QVERIFY(!declared.empty());
        for (const flashplan::programmer::BackendOption& o : declared) {
            const QString name = text(o.option->cliName);
            QVERIFY2(listed.contains(QStringLiteral("--%1 <%2>").arg(name, text(o.option->valueName))),
                     qPrintable(name));
            const QString line =
                QStringLiteral("%1 backend: %2 (default: %3).")
                    .arg(text(o.backend->name), text(o.option->help), text(o.option->placeholder))
                    .simplified();
            QVERIFY2(listed.contains(line), qPrintable(line));
            // Taken by a command that programs (the simulator ignores another backend's options; the
            // --sim-dir that cli() appends comes last and wins).
            const Run parsed = cli({"read", kLayout, "boot", dir_.filePath("out.bin"),
                                    QStringLiteral("--") + name, QStringLiteral("value")});
            QVERIFY2(parsed.exitCode == 0, qPrintable(name + QLatin1Char(' ') + parsed.err));
            // ... and refused by one that does not.
            QCOMPARE(cli({QStringLiteral("--") + name, QStringLiteral("value"), QStringLiteral("devices")})
                         .exitCode,
                     2);
        }
        const Run unknown = cli({"--no-such-backend-option", "value", "devices"});
        QCOMPARE(unknown.exitCode, 2);
    }

    // mcuboot issue 1116, replayed: a trailer left at the end of an MCUboot slot (by a test request or an
    // earlier swap) outlives a flash that writes only the image's bytes, and MCUboot acts on it at the next
    // boot. The flash leaves the trailer area erased, says so, and skips it once it is.
    void clearsAStaleTrailerSoMcubootDoesNotActOnIt() {
        const QString layout = QStringLiteral("zephyr-flash-map");
        const QString slot = QStringLiteral("slot1_partition"); // 0x80000..0xe0000, 4 KiB sectors
        const int end = 0xe0000;
        const QString a = writeFile("a.bin", fixtures::pattern(70000, 1));
        const QString b = writeFile("b.bin", fixtures::pattern(70000, 2));
        QCOMPARE(cli({"flash", layout, slot, a}).exitCode, 0);
        const QString simFile = simDir_ + QStringLiteral("/nrf52840dk_nrf52840/flash0.bin");
        const auto leaveTrailer = [&] {
            QFile f(simFile);
            QVERIFY(f.open(QIODevice::ReadWrite));
            const unsigned char magic[16] = {0x77, 0xc2, 0x95, 0xf3, 0x60, 0xd2, 0xef, 0x7f,
                                             0x35, 0x52, 0x50, 0x0f, 0x2c, 0xb6, 0x79, 0x80};
            QVERIFY(f.seek(end - 16));
            f.write(reinterpret_cast<const char*>(magic), 16);
            QVERIFY(f.seek(end - 24)); // image_ok, one write block below the magic
            f.write("\x01", 1);
        };
        const auto tail = [&] {
            QFile f(simFile);
            return f.open(QIODevice::ReadOnly) ? f.readAll().mid(end - 0x1000, 0x1000) : QByteArray();
        };
        leaveTrailer();

        Run r = cli({"flash", layout, slot, b});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY2(r.out.contains("a stale trailer was found in the slot and erased"), qPrintable(r.out));
        QCOMPARE(tail(), QByteArray(0x1000, char(0xff)));

        r = cli({"flash", "--json", layout, slot, b});
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(r.result().value("stale_cleared").toBool(), false);
        QCOMPARE(r.result().value("bytes_erased").toInt(), 0);
        QCOMPARE(r.result().value("bytes_written").toInt(), 0);

        leaveTrailer();
        r = cli({"flash", "--json", layout, slot, a});
        QCOMPARE(r.result().value("stale_cleared").toBool(), true);
        bool logged = false;
        for (const QJsonObject& e : r.events())
            logged = logged || e.value("message").toString().contains("does not hold what it should");
        QVERIFY(logged);

        leaveTrailer();
        r = cli({"flash", "--json", "--keep-trailer", layout, slot, b});
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(r.result().value("stale_cleared").toBool(), false);
        QCOMPARE(tail().right(16).at(0), char(0x77)); // kept, as asked
    }

    // Requests as imgtool writes them, on a layout whose 20 KiB slots match the fixtures imgtool made
    // (--align 4 --max-align 8 --slot-size 0x5000, swap using scratch, 128 sectors).
    void requestsAnUpgradeAsImgtoolWritesIt() {
        const QString layout = writeText("small.flashplan", kSmallMcuboot);
        const QString fixtures = QStringLiteral(FLASHPLAN_SOURCE_DIR "/tests/data/mcuboot/");
        const QString padded = fixtures + "pad-test-a4-m8-s0x5000.bin";
        QFile f(padded);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QByteArray test = f.readAll();
        QFile c(fixtures + "pad-confirm-a4-m8-s0x5000.bin");
        QVERIFY(c.open(QIODevice::ReadOnly));
        const QByteArray confirm = c.readAll();
        QCOMPARE(test.size(), 0x5000);
        const auto slot = [&](int offset) {
            QFile sim(simDir_ + QStringLiteral("/nrf52840dk_nrf52840/flash0.bin"));
            return sim.open(QIODevice::ReadOnly) ? sim.readAll().mid(offset, 0x5000) : QByteArray();
        };
        // The bytes that differ from imgtool's test trailer must be image_ok alone, set as --confirm sets it.
        const auto onlyImageOkSet = [&](const QByteArray& got) {
            QList<int> diff;
            for (int i = 0; i < got.size(); ++i)
                if (got[i] != test[i])
                    diff << i;
            return diff.size() == 1 && diff[0] >= 0x5000 - 0x40 && got[diff[0]] == confirm[diff[0]] &&
                   got[diff[0]] == char(0x01);
        };

        // A padded image fits (its image alone is measured) and keeps its test request: the slot then
        // holds exactly what imgtool wrote.
        Run r = tool({"image", padded, "--layout", layout, "--partition", "slot1_partition"});
        QVERIFY2(r.exitCode == 0 && r.out.contains("padded by imgtool") && r.out.contains("a test upgrade"),
                 qPrintable(r.out + r.err));
        r = cli({"flash", layout, "slot1_partition", padded});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QCOMPARE(slot(0x15000), test);

        // The image without its padding, with --mcuboot test: the same bytes.
        QByteArray bare = test.left(0x5000 - 16); // the magic off, then the erased padding
        while (bare.endsWith(char(0xff)))
            bare.chop(1);
        const QString bareFile = dir_.filePath("bare.bin");
        QFile b(bareFile);
        QVERIFY(b.open(QIODevice::WriteOnly));
        b.write(bare);
        b.close();
        r = cli({"erase", layout, "slot1_partition"});
        QCOMPARE(r.exitCode, 0);
        r = cli({"flash", layout, "slot1_partition", bareFile, "--mcuboot", "test"});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QCOMPARE(slot(0x15000), test);
        // Without a request the trailer is erased again: the image, then nothing.
        r = cli({"flash", layout, "slot1_partition", bareFile});
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(slot(0x15000).right(16), QByteArray(16, char(0xff)));
        QCOMPARE(slot(0x15000).left(bare.size()), bare);

        // permanent (secondary) and confirm (primary) differ from test in image_ok alone.
        r = cli({"flash", layout, "slot1_partition", padded, "--mcuboot", "permanent"});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY(onlyImageOkSet(slot(0x15000)));
        r = cli({"flash", layout, "slot0_partition", bareFile, "--mcuboot", "confirm"});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY(onlyImageOkSet(slot(0x10000)));

        // A request the slot cannot take is refused before anything connects, with its reason.
        r = cli({"flash", "--json", layout, "slot1_partition", bareFile, "--mcuboot", "confirm"});
        QCOMPARE(r.exitCode, 1);
        QCOMPARE(r.result().value("reasons").toArray().at(0).toObject().value("rule").toString(),
                 QStringLiteral("preflight.mcuboot-request"));
        r = cli({"flash", layout, "slot0_partition", bareFile, "--mcuboot", "test"});
        QVERIFY2(r.exitCode == 1 && r.err.contains("slot0_partition is the primary slot"), qPrintable(r.err));
        r = cli({"flash", layout, "scratch_partition", bareFile, "--mcuboot", "test"});
        QVERIFY2(r.exitCode == 1 && r.err.contains("not a primary or secondary slot"), qPrintable(r.err));
        r = cli({"flash", layout, "slot1_partition", bareFile, "--mcuboot", "test", "--keep-trailer"});
        QCOMPARE(r.exitCode, 1);
        r = cli({"flash", layout, "slot1_partition", bareFile, "--mcuboot", "later"});
        QVERIFY2(r.exitCode == 2 && r.err.contains("--mcuboot later: not a request"), qPrintable(r.err));
    }

    // inspect reads headers and trailers and says what MCUboot does at the next boot, as bootutil's swap
    // table decides: after a plain flash, a test request, a permanent one, a swap that was not confirmed,
    // and a corrupted image.
    void inspectSaysWhatMcubootWillDoNext() {
        const QString layout = writeText("small.flashplan", kSmallMcuboot);
        const QString fixtures = QStringLiteral(FLASHPLAN_SOURCE_DIR "/tests/data/mcuboot/");
        const QString signedImage = fixtures + "signed-ecdsa-p256.bin";
        const QString key = fixtures + "ecdsa-p256.pub.pem";
        const auto nextBoot = [&](QString* summary1 = nullptr) {
            const Run r = cli({"inspect", "--json", layout, "--key", key});
            const QJsonObject result = r.result();
            if (summary1)
                *summary1 = result.value("partitions").toArray().at(2).toObject().value("summary").toString();
            return result.value("images").toArray().at(0).toObject().value("next_boot").toString();
        };
        // (a) a fresh flash of slot0 only.
        QCOMPARE(cli({"flash", layout, "slot0_partition", signedImage}).exitCode, 0);
        Run r = cli({"inspect", layout, "--key", key});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY2(r.out.contains("MCUboot 1.2.3+0") && r.out.contains("SHA256 matches") &&
                     r.out.contains("next boot: none"),
                 qPrintable(r.out));
        QString summary;
        QCOMPARE(nextBoot(&summary), QStringLiteral("none"));
        QCOMPARE(summary, QStringLiteral("erased (no image header)"));

        // (b) a test request, (c) a permanent one.
        QCOMPARE(cli({"flash", layout, "slot1_partition", signedImage, "--mcuboot", "test"}).exitCode, 0);
        QCOMPARE(nextBoot(&summary), QStringLiteral("test"));
        QVERIFY2(summary.contains("ECDSA_SIG verifies"), qPrintable(summary));
        // The badges the map shows come from the same answer.
        r = cli({"inspect", "--json", layout});
        QCOMPARE(r.result().value("partitions").toArray().at(2).toObject().value("badges").toArray(),
                 (QJsonArray{"v1.2.3+0", "will swap at next boot (test)"}));
        QCOMPARE(r.result().value("partitions").toArray().at(1).toObject().value("badges").toArray(),
                 (QJsonArray{"v1.2.3+0"}));
        QCOMPARE(cli({"flash", layout, "slot1_partition", signedImage, "--mcuboot", "permanent"}).exitCode,
                 0);
        QCOMPARE(nextBoot(), QStringLiteral("permanent"));

        // (d) swapped but not confirmed: the primary's magic good, copy_done set, image_ok unset; the old
        // image back in the secondary with an erased trailer.
        QCOMPARE(cli({"flash", layout, "slot1_partition", signedImage}).exitCode, 0);
        {
            QFile f(simDir_ + QStringLiteral("/nrf52840dk_nrf52840/flash0.bin"));
            QVERIFY(f.open(QIODevice::ReadWrite));
            const int end = 0x15000; // slot0's end; BOOT_MAX_ALIGN 8
            const unsigned char magic[16] = {0x77, 0xc2, 0x95, 0xf3, 0x60, 0xd2, 0xef, 0x7f,
                                             0x35, 0x52, 0x50, 0x0f, 0x2c, 0xb6, 0x79, 0x80};
            QVERIFY(f.seek(end - 16));
            f.write(reinterpret_cast<const char*>(magic), 16);
            QVERIFY(f.seek(end - 32)); // copy_done
            f.write("\x01", 1);
        }
        r = cli({"inspect", "--json", layout});
        const QJsonObject slot0 = r.result().value("partitions").toArray().at(1).toObject();
        QCOMPARE(slot0.value("trailer").toObject().value("copy_done").toString(), QStringLiteral("set"));
        QCOMPARE(slot0.value("trailer").toObject().value("image_ok").toString(), QStringLiteral("unset"));
        QCOMPARE(nextBoot(), QStringLiteral("revert"));

        // (e) a corrupted image asked to be tested: MCUboot refuses it, naming the hash.
        QCOMPARE(cli({"erase", layout, "slot0_partition"}).exitCode, 0);
        QCOMPARE(cli({"flash", layout, "slot0_partition", signedImage}).exitCode, 0);
        QCOMPARE(cli({"flash", layout, "slot1_partition", fixtures + "corrupted-ecdsa-p256.bin", "--mcuboot",
                      "test"})
                     .exitCode,
                 0);
        r = cli({"inspect", layout});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.out.contains("SHA256 mismatch"), qPrintable(r.out));
        const QString verdict = nextBoot(&summary);
        QVERIFY2(verdict.startsWith("fail: ") && verdict.contains("SHA256 mismatch"), qPrintable(verdict));
        QVERIFY2(summary.contains("SHA256 mismatch"), qPrintable(summary));

        // Headers and trailers only: far less read than the images.
        r = cli({"inspect", "--json", "--no-hash", layout});
        QVERIFY(r.result().value("partitions").toArray().at(2).toObject().value("hash").isNull());
        QVERIFY(r.result().value("bytes_read").toInt() < 4000);
        QCOMPARE(cli({"inspect", layout, "--key", dir_.filePath("missing.pem")}).exitCode, 2);
    }

    // wolfBoot images: version and type from the header, the digest checked, the signature with --key;
    // a corrupted firmware is named and makes the exit code 1.
    void inspectChecksWolfbootImages() {
        const QString fixtures = QStringLiteral(FLASHPLAN_SOURCE_DIR "/tests/data/wolfboot/");
        QCOMPARE(cli({"flash", kLayout, "boot", fixtures + "signed-ecc256-v7.bin"}).exitCode, 0);
        QCOMPARE(cli({"flash", kLayout, "update", fixtures + "corrupted-ecc256-v7.bin"}).exitCode, 0);
        Run r = cli({"inspect", "--json", kLayout, "--key", fixtures + "ecc256.pub.pem"});
        QCOMPARE(r.exitCode, 1);
        const QJsonArray parts = r.result().value("partitions").toArray();
        const QJsonObject boot = parts.at(1).toObject(), update = parts.at(2).toObject();
        QCOMPARE(boot.value("content").toString(), QStringLiteral("wolfboot"));
        QCOMPARE(boot.value("version").toString(), QStringLiteral("7"));
        QCOMPARE(boot.value("image_type").toString(), QStringLiteral("application, ECC256"));
        QCOMPARE(boot.value("validity").toString(), QStringLiteral("valid"));
        QCOMPARE(boot.value("hash").toObject().value("status").toString(), QStringLiteral("match"));
        QCOMPARE(boot.value("signature").toObject().value("status").toString(), QStringLiteral("verified"));
        QCOMPARE(update.value("hash").toObject().value("status").toString(), QStringLiteral("mismatch"));
        QCOMPARE(update.value("badges").toArray(), (QJsonArray{"wolfBoot v7", "hash mismatch"}));
        QCOMPARE(parts.at(3).toObject().value("content").toString(), QStringLiteral("erased"));
        r = cli({"inspect", kLayout});
        QVERIFY2(r.out.contains("wolfBoot v7 (application, ECC256), 3256 B, SHA256 matches") &&
                     r.out.contains("SHA256 mismatch: the header holds "),
                 qPrintable(r.out));
    }

    // A bootloader goes into its read-only partition only on an explicit confirmation, and then lands.
    void writesAReadOnlyPartitionOnlyWhenConfirmed() {
        const auto loader = fixtures::pattern(0x3000, 4);
        const QString bin = writeFile("mcuboot.bin", loader);
        Run r = cli({"flash", "--json", kLayout, "wolfboot", bin});
        QCOMPARE(r.exitCode, 1);
        QCOMPARE(r.result().value("reasons").toArray().at(0).toObject().value("rule").toString(),
                 QStringLiteral("preflight.read-only"));
        QVERIFY(!QFileInfo::exists(simDir_));
        r = cli({"flash", kLayout, "wolfboot", bin, "--write-read-only"});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QCOMPARE(flash().left(0x3000), QByteArray(reinterpret_cast<const char*>(loader.data()), 0x3000));
        QCOMPARE(cli({"erase", kLayout, "wolfboot"}).exitCode, 1);
        QCOMPARE(cli({"erase", kLayout, "wolfboot", "--write-read-only"}).exitCode, 0);
        QCOMPARE(flash().left(0x20000), QByteArray(0x20000, char(0xff)));
        // Only the commands that write take it.
        QCOMPARE(cli({"read", kLayout, "wolfboot", dir_.filePath("x.bin"), "--write-read-only"}).exitCode, 2);
    }

    void refusesALayoutWithErrors() {
        const QString layout = dir_.filePath("broken.flashplan");
        QFile f(layout);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(R"(<?xml version="1.0" encoding="UTF-8"?>
<flashplan-layout schema="1" name="overlapping">
  <board ref="stm32f4_disco"/>
  <partition label="a" device="flash0" offset="0x20000" size="0x40000" role="slot0"/>
  <partition label="b" device="flash0" offset="0x40000" size="0x20000" role="slot1"/>
</flashplan-layout>
)");
        f.close();
        const QString bin = writeFile("ok.bin", fixtures::pattern(0x100, 1));
        Run r = cli({"flash", layout, "b", bin});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(
            r.err.contains("[generic.overlap]") &&
                r.err.contains("[preflight.layout-errors] the layout has 1 error; flash writes only to a "
                               "layout without errors"),
            qPrintable(r.err));
        r = cli({"flash", "--json", layout, "b", bin});
        QCOMPARE(r.exitCode, 1);
        QCOMPARE(r.result().value("reasons").toArray().at(1).toObject().value("rule").toString(),
                 QStringLiteral("generic.overlap"));
        QVERIFY(!QFileInfo::exists(simDir_));
    }
};

QTEST_GUILESS_MAIN(TestCliProgram)
#include "tst_cli_program.moc"
