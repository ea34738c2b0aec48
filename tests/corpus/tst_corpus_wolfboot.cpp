// SPDX-License-Identifier: Apache-2.0
// Every wolfBoot config/examples/*.config of the corpus, imported and compared with its truth: the
// variables after make evaluation, and the BOOT/UPDATE/SWAP ranges the truth derives from them. Then each
// layout goes back out as a .config (import again: the same Layout) and as a target.h (import again: the
// same partitions).
#include "CorpusSupport.h"

#include "io/Format.h"
#include "io/wolfboot/MakeVariables.h"

#include <QtTest>

#include <map>

using namespace flashplan;

namespace {

/// Entries the import does not match by design, each with its reason; their behaviour is still checked.
struct KnownException {
    const char* entry;
    const char* reason;
};
constexpr const char* kNoPartitionsReason =
    "WOLFBOOT_NO_PARTITIONS=1: wolfBoot uses no fixed partitions here (target.h.in defines none; the "
    "config boots by disk partition number and says the addresses are for the test app), so the import "
    "places no partitions and keeps the addresses as variables; the truth derives ranges from them anyway";
const KnownException kKnownExceptions[] = {
    {"kontron_vx3060_s2.config", kNoPartitionsReason},    {"polarfire_mpfs250.config", kNoPartitionsReason},
    {"versal_vmk180_sdcard.config", kNoPartitionsReason}, {"zynqmp_fsbl_sd.config", kNoPartitionsReason},
    {"zynqmp_sdcard.config", kNoPartitionsReason},
};

const KnownException* knownException(const QString& input) {
    for (const KnownException& k : kKnownExceptions)
        if (input.endsWith(QLatin1String("/") + QLatin1String(k.entry)))
            return &k;
    return nullptr;
}

std::string readFile(const QString& path) {
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return f.readAll().toStdString();
}

/// A partition as wolfBoot addresses it: CPU address on mapped flash, offset on external flash.
struct WolfBootRange {
    quint64 start = 0;
    quint64 end = 0;
    bool external = false;
    friend bool operator==(const WolfBootRange&, const WolfBootRange&) = default;
};

std::map<std::string, WolfBootRange> rangesOf(const Layout& layout) {
    std::map<std::string, WolfBootRange> out;
    for (const Partition& p : layout.partitions) {
        const char* key = p.role == PartitionRole::Slot0   ? "boot_partition"
                          : p.role == PartitionRole::Slot1 ? "update_partition"
                          : p.role == PartitionRole::Swap  ? "swap_partition"
                                                           : "other";
        const FlashDevice* d = layout.deviceOf(p);
        const quint64 base = d && d->cpuBase ? *d->cpuBase : 0;
        out[key] = {base + p.offset, base + p.offset + p.size, !(d && d->cpuBase)};
    }
    return out;
}

QString describe(const std::map<std::string, WolfBootRange>& ranges) {
    QString s;
    for (const auto& [k, r] : ranges)
        s += QStringLiteral("%1 %2-%3%4; ")
                 .arg(QString::fromStdString(k))
                 .arg(r.start, 0, 16)
                 .arg(r.end, 0, 16)
                 .arg(r.external ? QStringLiteral(" ext") : QString());
    return s;
}

ImportOptions optionsWith(const DeviceDatabase& db) {
    ImportOptions o;
    o.db = &db;
    return o;
}

} // namespace

class TestCorpusWolfBoot : public QObject {
    Q_OBJECT

    DeviceDatabase db_ = *DeviceDatabase::builtin();

private slots:
    void initTestCase() { FLASHPLAN_REQUIRE_CORPUS(); }

    void everyEntryMatchesItsTruth() {
        const auto entries = corpus::entries(QStringLiteral("wolfboot"));
        QVERIFY(!entries.isEmpty());
        const Format* format = findFormat("wolfboot-config");
        QVERIFY(format);
        int matched = 0, exceptions = 0, swapMarkers = 0, busImpliesExt = 0;
        QStringList failures;
        for (const corpus::Entry& e : entries) {
            const QString name = QFileInfo(e.input).fileName();
            const std::string text = readFile(e.input);
            const QJsonObject truth = corpus::readJson(e.truth);
            const auto fail = [&](const QString& why) { failures << name + QStringLiteral(": ") + why; };

            // The make evaluation: every final value, no variable more or less.
            const auto vars = wolfboot::MakeVariables::evaluate(text, name.toStdString());
            if (!vars) {
                fail(QString::fromStdString(vars.error().toString()));
                continue;
            }
            const QJsonObject truthVars = truth.value(QStringLiteral("variables")).toObject();
            bool varsOk = int(vars->variables().size()) == truthVars.size();
            for (const auto& v : vars->variables())
                varsOk =
                    varsOk &&
                    truthVars.value(QString::fromStdString(v.name)).toString().toStdString() == v.value &&
                    truthVars.contains(QString::fromStdString(v.name));
            if (!varsOk) {
                fail(QStringLiteral("variables differ from the truth"));
                continue;
            }

            // sniff(): the file must be detected as a wolfBoot .config.
            const auto detected = detectFormat(text, name.toStdString());
            if (!detected || (*detected)->name != "wolfboot-config") {
                fail(QStringLiteral("not detected as wolfboot-config"));
                continue;
            }

            const auto imported = format->importer->read(text, name.toStdString(), optionsWith(db_));
            if (const KnownException* k = knownException(e.input)) {
                ++exceptions;
                // Checked all the same: an import with no partitions, and a note that says why.
                const bool noted =
                    imported &&
                    std::any_of(imported->notes.begin(), imported->notes.end(), [](const Diagnostic& d) {
                        return d.rule == "import.wolfboot-no-partitions";
                    });
                if (!imported || !imported->layout.partitions.empty() || !noted)
                    fail(QStringLiteral("known exception no longer behaves as documented: ") +
                         QString::fromUtf8(k->reason));
                continue;
            }
            if (!imported) {
                fail(QString::fromStdString(imported.error().toString()));
                continue;
            }

            // The truth's ranges, read with two wolfBoot rules its derivation leaves out:
            // - a SWAP address of 0xFFFFFFFF is "no swap partition" (the dual-bank configs write it so);
            // - options.mk turns EXT_FLASH on for SPI_FLASH, QSPI_FLASH, OCTOSPI_FLASH and UART_FLASH=1, so
            //   UPDATE is external there although the truth looks at EXT_FLASH alone.
            std::map<std::string, WolfBootRange> expected;
            const QJsonObject derived = truth.value(QStringLiteral("derived")).toObject();
            bool busExt = false;
            for (const char* bus : {"SPI_FLASH", "QSPI_FLASH", "OCTOSPI_FLASH", "UART_FLASH"})
                busExt = busExt || truthVars.value(QLatin1String(bus)).toString() == QLatin1String("1");
            for (auto it = derived.begin(); it != derived.end(); ++it) {
                const QJsonObject r = it.value().toObject();
                WolfBootRange w{quint64(r.value(QStringLiteral("start")).toDouble()),
                                quint64(r.value(QStringLiteral("end")).toDouble()), false};
                if (it.key() == QLatin1String("swap_partition") && w.start == 0xffffffffu) {
                    ++swapMarkers;
                    continue;
                }
                if (it.key() == QLatin1String("update_partition")) {
                    w.external = r.value(QStringLiteral("device")).toString() == QLatin1String("external");
                    if (!w.external && busExt) {
                        w.external = true;
                        ++busImpliesExt;
                    }
                }
                expected[it.key().toStdString()] = w;
            }
            auto actual = rangesOf(imported->layout);
            // The truth gives the device of UPDATE only.
            for (auto& [key, range] : actual)
                if (key != "update_partition" && expected.count(key))
                    range.external = expected[key].external;
            if (actual != expected) {
                fail(QStringLiteral("expected ") + describe(expected) + QStringLiteral(" got ") +
                     describe(actual));
                continue;
            }
            ++matched;
        }
        const int total = int(entries.size());
        qInfo("wolfboot: %d/%d (%d%%) match the truth; %d known exceptions (checked), listed in "
              "tst_corpus_wolfboot.cpp",
              matched, total, matched * 100 / total, exceptions);
        qInfo("wolfboot: compared with wolfBoot's rules: %d SWAP 0xFFFFFFFF as no swap, %d UPDATE external "
              "through a *_FLASH=1 bus",
              swapMarkers, busImpliesExt);
        QVERIFY2(failures.isEmpty(), qPrintable(failures.join(QLatin1Char('\n'))));
        QCOMPARE(matched + exceptions, total);
        QCOMPARE(exceptions, int(std::size(kKnownExceptions))); // no stale entry in the list
    }

    void everyEntryRoundTrips() {
        const Format* config = findFormat("wolfboot-config");
        const Format* header = findFormat("wolfboot-target-h");
        QVERIFY(config && header);
        int configTrips = 0, headerTrips = 0;
        QMap<QString, QString> notExpressible;
        QStringList failures;
        for (const corpus::Entry& e : corpus::entries(QStringLiteral("wolfboot"))) {
            const QString name = QFileInfo(e.input).fileName();
            const auto imported =
                config->importer->read(readFile(e.input), name.toStdString(), optionsWith(db_));
            if (!imported)
                continue; // everyEntryMatchesItsTruth reports it
            const Layout& layout = imported->layout;

            const auto asConfig = config->exporter->write(layout, "out.config", {});
            if (!asConfig) {
                failures << name + QStringLiteral(": .config export: ") +
                                QString::fromStdString(asConfig.error().toString());
                continue;
            }
            const auto back =
                config->importer->read(asConfig->front().text, name.toStdString(), optionsWith(db_));
            if (!back || !(back->layout == layout)) {
                failures << name + QStringLiteral(": .config round trip changed the layout");
                continue;
            }
            ++configTrips;

            const auto asHeader = header->exporter->write(layout, "target.h", {});
            if (!asHeader) {
                if (asHeader.error().code != Errc::Schema)
                    failures << name + QStringLiteral(": target.h export: ") +
                                    QString::fromStdString(asHeader.error().toString());
                notExpressible[name] = QString::fromStdString(asHeader.error().toString());
                continue;
            }
            const auto fromHeader =
                header->importer->read(asHeader->front().text, "target.h", optionsWith(db_));
            if (!fromHeader || rangesOf(fromHeader->layout) != rangesOf(layout)) {
                failures << name + QStringLiteral(": target.h conversion changed the partitions: ") +
                                (fromHeader ? describe(rangesOf(fromHeader->layout))
                                            : QString::fromStdString(fromHeader.error().toString()));
                continue;
            }
            ++headerTrips;
        }
        qInfo("wolfboot: %d .config round trips equal; %d layouts through target.h keep their partitions",
              configTrips, headerTrips);
        for (auto it = notExpressible.begin(); it != notExpressible.end(); ++it)
            qInfo("wolfboot: target.h cannot express %s: %s", qPrintable(it.key()), qPrintable(it.value()));
        QVERIFY2(failures.isEmpty(), qPrintable(failures.join(QLatin1Char('\n'))));
    }
};

QTEST_APPLESS_MAIN(TestCorpusWolfBoot)
#include "tst_corpus_wolfboot.moc"
