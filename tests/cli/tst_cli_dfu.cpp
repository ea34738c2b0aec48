// SPDX-License-Identifier: Apache-2.0
// flashplan-cli dfu list, as a user runs it, with emulated devices on a umockdev bus.
#include "UmockdevDfuBus.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

using namespace flashplan::emu;

namespace {

struct Run {
    int exitCode = -1;
    QString out, err;
};

Run cli(const QStringList& args) {
    QProcess p;
    p.start(QStringLiteral(FLASHPLAN_CLI), args);
    if (!p.waitForFinished(30000))
        qFatal("flashplan-cli did not finish");
    return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1,
            QString::fromUtf8(p.readAllStandardOutput()), QString::fromUtf8(p.readAllStandardError())};
}

} // namespace

class TestCliDfu : public QObject {
    Q_OBJECT
private slots:
    void listsDevicesAltsAndSectorMaps() {
        UmockdevDfuBus bus;
        bus.plug(stm32f4Bootloader());
        bus.plug(sparkCore());
        bus.plug(plainDfu(), {.runtime = true, .timeScale = 0});
        const Run r = cli({"dfu", "list"});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY2(r.out.startsWith("3 DFU devices\n"), qPrintable(r.out));
        QVERIFY(r.out.contains("0483:df11 STM32  BOOTLOADER (serial 315A28A0B956) at 1-1"));
        QVERIFY(r.out.contains("DFU mode, DFU 1.1a (DfuSe), transfer size 2048"));
        QVERIFY(r.out.contains("alt 0: \"@Internal Flash  /0x08000000/04*016Kg,01*064Kg,07*128Kg\""));
        QVERIFY2(r.out.contains("0x08000000 1 MiB: 4x16K, 1x64K, 7x128K (rew,rew,rew)"), qPrintable(r.out));
        QVERIFY(r.out.contains("0x08000000 128 KiB: 128x1K (r--,rew)"));
        QVERIFY(r.out.contains("0x00000000 2 MiB: 512x4K (rew)"));
        QVERIFY(r.out.contains(
            "1209:0002 Plain DFU test application (serial PLAIN0001) at 1-3\n  run-time mode"));

        const Run j = cli({"dfu", "list", "--json"});
        QCOMPARE(j.exitCode, 0);
        const QJsonObject doc = QJsonDocument::fromJson(j.out.toUtf8()).object();
        QCOMPARE(doc["schema"].toString(), QString("flashplan-cli/1"));
        const QJsonArray devices = doc["devices"].toArray();
        QCOMPARE(devices.size(), 3);
        const QJsonObject f4 = devices[0].toObject();
        QCOMPARE(f4["id"].toString(), QString("0483:df11"));
        QCOMPARE(f4["path"].toString(), QString("1-1"));
        QCOMPARE(f4["mode"].toString(), QString("dfu"));
        QCOMPARE(f4["dfuse"].toBool(), true);
        QCOMPARE(f4["transfer_size"].toInt(), 2048);
        QCOMPARE(f4["attributes"].toObject()["will_detach"].toBool(), true);
        QCOMPARE(f4["alts"].toArray().size(), 4);
        const QJsonObject flash = f4["alts"].toArray()[0].toObject()["memory"].toObject();
        QCOMPARE(flash["name"].toString(), QString("Internal Flash"));
        const QJsonObject device = flash["devices"].toArray()[0].toObject();
        QCOMPARE(device["cpu_base"].toInteger(), qint64(0x08000000));
        QCOMPARE(device["size"].toInteger(), qint64(1024 * 1024));
        QCOMPARE(device["sectors"].toArray().size(), 3);
        const QJsonObject plain = devices[2].toObject();
        QCOMPARE(plain["mode"].toString(), QString("runtime"));
        QVERIFY(plain["alts"].toArray()[0].toObject()["memory"].isNull());
    }

    void noDevicesIsNoError() {
        UmockdevDfuBus bus;
        const Run r = cli({"dfu", "list"});
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(r.out, QString("0 DFU devices\n"));
    }

    void flashVerifyAndReadOverDfuSe() {
        UmockdevDfuBus bus;
        EmulatedDfuDevice& f4 = bus.plug(stm32f4Bootloader());
        QTemporaryDir dir;
        std::vector<std::uint8_t> image(40 * 1024);
        for (std::size_t i = 0; i < image.size(); ++i)
            image[i] = static_cast<std::uint8_t>(i * 31 + (i >> 9));
        const QString file = dir.filePath("app.bin");
        QFile f(file);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(reinterpret_cast<const char*>(image.data()), qint64(image.size()));
        f.close();
        // Old content everywhere, so the slot's sector must be erased and nothing else may change.
        std::vector<std::uint8_t> old(1024 * 1024);
        for (std::size_t i = 0; i < old.size(); ++i)
            old[i] = static_cast<std::uint8_t>(i * 7 + 3);
        f4.loadMemory(0, old);
        const std::vector<std::uint8_t> before = f4.memory(0);
        const std::uint32_t erases = f4.eraseCount(0, 5);

        // wolfboot-stm32f407: boot is the 128 KiB sector 5 at 0x08020000.
        const QStringList dfu = {"--backend", "dfu", "--device", "0483:df11"};
        Run r = cli(QStringList{"flash", "--json", "wolfboot-stm32f407", "boot", file} + dfu);
        QVERIFY2(r.exitCode == 0, qPrintable(r.err + r.out));
        const std::vector<std::uint8_t> after = f4.memory(0);
        QVERIFY(std::equal(image.begin(), image.end(), after.begin() + 0x20000));
        QVERIFY(std::equal(before.begin(), before.begin() + 0x20000, after.begin()));
        QVERIFY(std::equal(before.begin() + 0x40000, before.end(), after.begin() + 0x40000));
        QCOMPARE(f4.eraseCount(0, 5), erases + 1);

        r = cli(QStringList{"flash", "--json", "wolfboot-stm32f407", "boot", file} + dfu);
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.out.contains("\"sectors_skipped\":1"), qPrintable(r.out));
        QCOMPARE(f4.eraseCount(0, 5), erases + 1);

        r = cli(QStringList{"verify", "wolfboot-stm32f407", "boot", file} + dfu);
        QCOMPARE(r.exitCode, 0);
        const QString out = dir.filePath("boot.bin");
        r = cli(QStringList{"read", "wolfboot-stm32f407", "boot", out} + dfu);
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QFile back(out);
        QVERIFY(back.open(QIODevice::ReadOnly));
        const QByteArray bytes = back.readAll();
        QCOMPARE(bytes.size(), 0x20000);
        QVERIFY(std::equal(image.begin(), image.end(), reinterpret_cast<const std::uint8_t*>(bytes.data())));
    }

    // The stale-trailer case over DfuSe: MCUboot's slot1 ends in the 128 KiB sector 8, where an earlier
    // test request left its magic. The flash erases that sector (and writes nothing into it), the next
    // identical flash erases and writes nothing at all.
    void aStaleTrailerIsErasedOverDfuSe() {
        UmockdevDfuBus bus;
        EmulatedDfuDevice& f4 = bus.plug(stm32f4Bootloader());
        QTemporaryDir dir;
        const QString layout = dir.filePath("mcuboot-f407.flashplan");
        QFile l(layout);
        QVERIFY(l.open(QIODevice::WriteOnly));
        l.write(R"(<?xml version="1.0" encoding="UTF-8"?>
<flashplan-layout schema="1" name="MCUboot on an STM32F407">
  <board ref="stm32f4_disco"/>
  <bootloader kind="mcuboot" mode="swap-using-scratch"/>
  <partition label="boot_partition" device="flash0" offset="0x0" size="0x20000" role="boot" read-only="true"/>
  <partition label="slot0_partition" device="flash0" offset="0x20000" size="0x40000" role="slot0"/>
  <partition label="slot1_partition" device="flash0" offset="0x60000" size="0x40000" role="slot1"/>
  <partition label="scratch_partition" device="flash0" offset="0xa0000" size="0x20000" role="scratch"/>
</flashplan-layout>
)");
        l.close();
        std::vector<std::uint8_t> image(40 * 1024);
        for (std::size_t i = 0; i < image.size(); ++i)
            image[i] = static_cast<std::uint8_t>(i * 13 + 1);
        const QString file = dir.filePath("app.bin");
        QFile f(file);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(reinterpret_cast<const char*>(image.data()), qint64(image.size()));
        f.close();
        std::vector<std::uint8_t> flash(1024 * 1024, 0xff);
        const std::uint8_t magic[16] = {0x77, 0xc2, 0x95, 0xf3, 0x60, 0xd2, 0xef, 0x7f,
                                        0x35, 0x52, 0x50, 0x0f, 0x2c, 0xb6, 0x79, 0x80};
        std::copy(std::begin(magic), std::end(magic), flash.begin() + 0xa0000 - 16);
        flash[0xa0000 - 24] = 0x01; // image_ok
        f4.loadMemory(0, flash);
        const std::uint32_t erases7 = f4.eraseCount(0, 7), erases8 = f4.eraseCount(0, 8);

        const QStringList dfu = {"--backend", "dfu", "--device", "0483:df11"};
        Run r = cli(QStringList{"flash", "--json", layout, "slot1_partition", file} + dfu);
        QVERIFY2(r.exitCode == 0, qPrintable(r.err + r.out));
        QVERIFY2(r.out.contains("\"stale_cleared\":true"), qPrintable(r.out));
        std::vector<std::uint8_t> after = f4.memory(0);
        QVERIFY(std::equal(image.begin(), image.end(), after.begin() + 0x60000));
        QVERIFY(std::all_of(after.begin() + 0x80000, after.begin() + 0xa0000,
                            [](std::uint8_t b) { return b == 0xff; }));
        QCOMPARE(f4.eraseCount(0, 7), erases7); // erased already: only written
        QCOMPARE(f4.eraseCount(0, 8), erases8 + 1);

        r = cli(QStringList{"flash", "--json", layout, "slot1_partition", file} + dfu);
        QVERIFY2(r.exitCode == 0, qPrintable(r.err + r.out));
        QVERIFY2(r.out.contains("\"bytes_erased\":0,\"bytes_written\":0"), qPrintable(r.out));
        QVERIFY2(r.out.contains("\"stale_cleared\":false"), qPrintable(r.out));
        QCOMPARE(f4.eraseCount(0, 7), erases7);
        QCOMPARE(f4.eraseCount(0, 8), erases8 + 1);
        QVERIFY(f4.memory(0) == after);
    }

    void aDeviceBecomesALayoutTheEditorCanOpen() {
        UmockdevDfuBus bus;
        bus.plug(sparkCore());
        QTemporaryDir dir;
        const QString file = dir.filePath("spark.flashplan");
        Run r = cli({"dfu", "layout", "--device", "1d50:607f", "-o", file});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY(r.out.contains("2 flash devices"));
        r = cli({"info", "--json", file});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        const QJsonObject board =
            QJsonDocument::fromJson(r.out.toUtf8()).object()["layout"].toObject()["board"].toObject();
        QCOMPARE(board["id"].toString(), QString("dfu_1d50_607f"));
        const QJsonArray devices = board["devices"].toArray();
        QCOMPARE(devices.size(), 2);
        QCOMPARE(devices[0].toObject()["cpu_base"].toInteger(), qint64(0x08000000));
        QCOMPARE(devices[0].toObject()["size"].toInteger(), qint64(128 * 1024));
        QCOMPARE(devices[1].toObject()["size"].toInteger(), qint64(2 * 1024 * 1024));
        QCOMPARE(devices[1].toObject()["sector_count"].toInteger(), qint64(512));
        const QJsonObject dfu = board["programmer"].toObject()["dfu"].toObject();
        QCOMPARE(dfu["vid"].toInt(), 0x1d50);
        QCOMPARE(dfu["alts"].toArray().size(), 2);

        r = cli({"dfu", "layout", "--device", "0483:df11", "-o", file});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains("no DFU device in DFU mode matches '0483:df11'"), qPrintable(r.err));
        r = cli({"dfu", "layout"});
        QCOMPARE(r.exitCode, 2);
        QVERIFY(r.err.contains("-o <file.flashplan>"));
    }

    void unknownSubcommandIsUsage() {
        const Run r = cli({"dfu", "flash"});
        QCOMPARE(r.exitCode, 2);
        QVERIFY(r.err.contains("dfu takes one subcommand: list or layout"));
    }
};

FLASHPLAN_UMOCKDEV_TEST_MAIN(TestCliDfu)
#include "tst_cli_dfu.moc"
