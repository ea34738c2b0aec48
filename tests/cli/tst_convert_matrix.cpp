// SPDX-License-Identifier: Apache-2.0
// Every source format into every target format with flashplan-cli convert: each pair either writes files
// that read back to the partitions the target format can hold, or refuses with a reason (exit 2 and a JSON
// error). A few pairs people rely on must work.
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSet>
#include <QTemporaryDir>
#include <QtTest>

namespace {

struct Run {
    int exitCode = -1;
    QJsonObject json;
    QString err;
};

Run cli(const QStringList& args) {
    QProcess p;
    p.start(QStringLiteral(FLASHPLAN_CLI), args);
    if (!p.waitForFinished(60000))
        qFatal("flashplan-cli did not finish");
    return {p.exitCode(), QJsonDocument::fromJson(p.readAllStandardOutput()).object(),
            QString::fromUtf8(p.readAllStandardError())};
}

/// A partition as every format keeps it: where it is and how big.
struct Place {
    QString label, device;
    qint64 offset = 0, size = 0;
    bool readOnly = false;
    bool operator==(const Place&) const = default;
};

QList<Place> places(const QJsonObject& layout) {
    QList<Place> out;
    for (const auto& v : layout["partitions"].toArray()) {
        const QJsonObject p = v.toObject();
        out.push_back({p["label"].toString(), p["device"].toString(), p["offset"].toInteger(),
                       p["size"].toInteger(), p["read_only"].toBool()});
    }
    return out;
}

bool samePlaceIgnoringLabel(const Place& a, const Place& b) {
    return a.device == b.device && a.offset == b.offset && a.size == b.size;
}

/// The names a partition takes in a format whose platform names its role otherwise (NCS
/// include/flash_map_pm.h): Zephyr's labels become the Partition Manager's in a pm_static.yml, and the
/// other way round in a devicetree.
const QMap<QString, QString> kPmNames{{"boot_partition", "mcuboot"},
                                      {"slot0_partition", "mcuboot_primary"},
                                      {"slot1_partition", "mcuboot_secondary"},
                                      {"scratch_partition", "mcuboot_scratch"},
                                      {"storage_partition", "settings_storage"}};

QString nameIn(const QString& target, const QString& label) {
    if (target == "pm-static-yml")
        return kPmNames.value(label, label);
    if (target == "dts")
        return kPmNames.key(label, label);
    return label;
}

const char* const kPmStatic = "mcuboot:\n  address: 0x0\n  size: 0xc000\n"
                              "mcuboot_primary:\n  address: 0xc000\n  size: 0x74000\n"
                              "mcuboot_secondary:\n  address: 0x80000\n  size: 0x74000\n"
                              "settings_storage:\n  address: 0xf4000\n  size: 0xc000\n";

const char* const kEspCsv = "# Name, Type, SubType, Offset, Size, Flags\n"
                            "nvs,      data, nvs,     0x9000,  0x6000,\n"
                            "phy_init, data, phy,     0xf000,  0x1000,\n"
                            "factory,  app,  factory, 0x10000, 1M,\n"
                            "storage,  data, spiffs,  ,        0xF0000,\n";

const char* const kWolfBootConfig = "ARCH?=ARM\nTARGET?=stm32f4\nWOLFBOOT_SECTOR_SIZE?=0x20000\n"
                                    "WOLFBOOT_PARTITION_SIZE?=0x20000\n"
                                    "WOLFBOOT_PARTITION_BOOT_ADDRESS?=0x08020000\n"
                                    "WOLFBOOT_PARTITION_UPDATE_ADDRESS?=0x08040000\n"
                                    "WOLFBOOT_PARTITION_SWAP_ADDRESS?=0x08060000\n";

} // namespace

class TestConvertMatrix : public QObject {
    Q_OBJECT

    QTemporaryDir dir_;
    QStringList targets_;

    /// Sources: name -> (input argument, --board for re-reading board-less outputs)
    QList<std::tuple<QString, QString, QString>> sources_;

private slots:
    void initTestCase() {
        QVERIFY(dir_.isValid());
        const Run help = cli({"--help"});
        QVERIFY(help.exitCode == 0);
        targets_ = {"c-flash-map", "dts",           "esp-idf-csv",     "flashplan",
                    "json",        "pm-static-yml", "wolfboot-config", "wolfboot-target-h"};
        const auto write = [&](const QString& name, const char* text) -> QString {
            QFile f(dir_.filePath(name));
            if (!f.open(QIODevice::WriteOnly))
                qFatal("cannot write %s", qPrintable(f.fileName()));
            f.write(text);
            return f.fileName();
        };
        sources_ = {
            {QStringLiteral("zephyr-flash-map"), QStringLiteral("zephyr-flash-map"),
             QStringLiteral("nrf52840dk_nrf52840")},
            {QStringLiteral("wolfboot-stm32f407"), QStringLiteral("wolfboot-stm32f407"),
             QStringLiteral("stm32f4_disco")},
            {QStringLiteral("nrf52840-mcuboot-external"), QStringLiteral("nrf52840-mcuboot-external"),
             QStringLiteral("nrf52840dk_nrf52840")},
            {QStringLiteral("spark-core"), QStringLiteral("spark-core"), QStringLiteral("spark_core")},
            {QStringLiteral("partitions.csv"), write("partitions.csv", kEspCsv),
             QStringLiteral("esp32_devkitc_wroom")},
            {QStringLiteral("wolfboot.config"), write("wolfboot.config", kWolfBootConfig),
             QStringLiteral("stm32f4_disco")},
            {QStringLiteral("pm_static.yml"), write("pm_static.yml", kPmStatic),
             QStringLiteral("nrf52840dk_nrf52840")}};
    }

    void everyPair_data() {
        QTest::addColumn<QString>("source");
        QTest::addColumn<QString>("input");
        QTest::addColumn<QString>("board");
        QTest::addColumn<QString>("target");
        for (const auto& [name, input, board] : sources_)
            for (const QString& t : targets_)
                QTest::addRow("%s to %s", qPrintable(name), qPrintable(t)) << name << input << board << t;
    }
    void everyPair() {
        QFETCH(QString, source);
        QFETCH(QString, input);
        QFETCH(QString, board);
        QFETCH(QString, target);
        const Run original = cli({"import", "--json", input, "--board", board});
        QCOMPARE(original.exitCode, 0);
        const QList<Place> before = places(original.json["layout"].toObject());

        const QString out = dir_.filePath(source + "." + target);
        const Run conv = cli({"convert", "--json", input, out, "--to", target, "--board", board});
        if (conv.exitCode == 2) {
            // A refusal must say why, and write nothing.
            const QString why = conv.json["error"].toObject()["message"].toString();
            QVERIFY2(why.size() > 20, qPrintable(source + " -> " + target + ": refused without a reason"));
            QVERIFY(!QFile::exists(out));
            qInfo("%s -> %s: refused: %s", qPrintable(source), qPrintable(target), qPrintable(why));
            return;
        }
        QVERIFY2(conv.exitCode == 0 || conv.exitCode == 1, qPrintable(conv.err));
        QVERIFY(!conv.json["files"].toArray().isEmpty());
        if (target == "c-flash-map")
            return; // write-only; tst_cflashmap compiles and serves one
        const Run back = cli({"import", "--json", out, "--from", target, "--board", board});
        QVERIFY2(back.exitCode == 0, qPrintable(source + " -> " + target + ": " + back.err));
        const QList<Place> after = places(back.json["layout"].toObject());

        if (target.startsWith("wolfboot")) {
            // wolfBoot names its own partitions (boot, update, swap) and keeps only those: each one read back
            // must sit where a partition of the source sat (SWAP may be the first sector of a scratch area).
            QVERIFY(after.size() >= 2);
            for (const Place& p : after) {
                const bool found = std::any_of(before.begin(), before.end(), [&](const Place& q) {
                    return samePlaceIgnoringLabel(p, q) || (p.device == q.device && p.offset == q.offset &&
                                                            p.size < q.size && p.label == "swap");
                });
                QVERIFY2(found, qPrintable(source + " -> " + target + ": " + p.label +
                                           " is not where the source put it"));
            }
        } else {
            // Everything else keeps every partition, by label (in the words of the target's platform) and
            // place, and the read-only flag where the format has one (pm_static.yml does not).
            QCOMPARE(after.size(), before.size());
            for (Place p : before) {
                p.label = nameIn(target, p.label);
                if (target == "pm-static-yml")
                    p.readOnly = false;
                QVERIFY2(after.contains(p), qPrintable(source + " -> " + target + ": lost " + p.label));
            }
        }
        qInfo("%s -> %s: %lld partitions back", qPrintable(source), qPrintable(target),
              qlonglong(after.size()));
    }

    void pairsPeopleRelyOnWork() {
        // The example, and the ways to and from Zephyr.
        const QString h = dir_.filePath("target.h");
        QVERIFY(cli({"convert", "zephyr-flash-map", h, "--to", "wolfboot-target-h"}).exitCode == 0);
        for (const char* t : {"dts", "json", "pm-static-yml", "wolfboot-config", "flashplan"})
            QVERIFY2(cli({"convert", "zephyr-flash-map", dir_.filePath(QStringLiteral("z.") + t), "--to", t})
                             .exitCode == 0,
                     qPrintable(t));
        QVERIFY(cli({"convert", dir_.filePath("partitions.csv"), dir_.filePath("esp.json"), "--board",
                     "esp32_devkitc_wroom"})
                    .exitCode == 0);
    }
};

QTEST_GUILESS_MAIN(TestConvertMatrix)
#include "tst_convert_matrix.moc"
