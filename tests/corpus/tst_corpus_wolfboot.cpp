// SPDX-License-Identifier: Apache-2.0
// Every wolfBoot config/examples/*.config of the corpus, imported and compared with its truth: the
// variables after make evaluation, and the BOOT/UPDATE/SWAP ranges the truth derives from them. Then each
// layout goes back out as a .config (import again: the same Layout) and as a target.h (import again: the
// same partitions).
#include "CorpusSupport.h"

#include "db/DeviceDatabase.h"
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
    const Format* config_ = findFormat("wolfboot-config");
    const Format* header_ = findFormat("wolfboot-target-h");
    int swapMarkers_ = 0, busImpliesExt_ = 0;

    /// The make evaluation, detection and import of one entry against its truth.
    corpus::Verdict matchTruth(const corpus::Entry& e) {
        const QString name = QFileInfo(e.input).fileName();
        const std::string text = corpus::readText(e.input);
        const QJsonObject truth = corpus::readJson(e.truth);

        // The make evaluation: every final value, no variable more or less.
        const auto vars = wolfboot::MakeVariables::evaluate(text, name.toStdString());
        if (!vars)
            return corpus::Verdict::differ(QString::fromStdString(vars.error().toString()));
        const QJsonObject truthVars = truth.value(QStringLiteral("variables")).toObject();
        bool varsOk = int(vars->variables().size()) == truthVars.size();
        for (const auto& v : vars->variables())
            varsOk = varsOk &&
                     truthVars.value(QString::fromStdString(v.name)).toString().toStdString() == v.value &&
                     truthVars.contains(QString::fromStdString(v.name));
        if (!varsOk)
            return corpus::Verdict::differ(QStringLiteral("variables differ from the truth"));

        // sniff(): the file must be detected as a wolfBoot .config.
        const auto detected = detectFormat(text, name.toStdString());
        if (!detected || (*detected)->name != "wolfboot-config")
            return corpus::Verdict::differ(QStringLiteral("not detected as wolfboot-config"));

        const auto imported = config_->importer->read(text, name.toStdString(), optionsWith(db_));
        if (const KnownException* k = knownException(e.input)) {
            // Checked all the same: an import with no partitions, and a note that says why.
            const bool noted = imported && std::any_of(imported->notes.begin(), imported->notes.end(),
                                                       [](const Diagnostic& d) {
                                                           return d.rule == "import.wolfboot-no-partitions";
                                                       });
            if (!imported || !imported->layout.partitions.empty() || !noted)
                return corpus::Verdict::differ(
                    QStringLiteral("known exception no longer behaves as documented: ") +
                    QString::fromUtf8(k->reason));
            return corpus::Verdict::known(QString::fromUtf8(k->reason));
        }
        if (!imported)
            return corpus::Verdict::differ(QString::fromStdString(imported.error().toString()));

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
                ++swapMarkers_;
                continue;
            }
            if (it.key() == QLatin1String("update_partition")) {
                w.external = r.value(QStringLiteral("device")).toString() == QLatin1String("external");
                if (!w.external && busExt) {
                    w.external = true;
                    ++busImpliesExt_;
                }
            }
            expected[it.key().toStdString()] = w;
        }
        auto actual = rangesOf(imported->layout);
        // The truth gives the device of UPDATE only.
        for (auto& [key, range] : actual)
            if (key != "update_partition" && expected.count(key))
                range.external = expected[key].external;
        if (actual != expected)
            return corpus::Verdict::differ(QStringLiteral("expected ") + describe(expected) +
                                           QStringLiteral(" got ") + describe(actual));
        return corpus::Verdict::match();
    }

    /// The entry imported, or why not (the round trips check what the import gives; a failed import is
    /// their failure too).
    Result<ImportResult> importEntry(const corpus::Entry& e) {
        return config_->importer->read(corpus::readText(e.input), QFileInfo(e.input).fileName().toStdString(),
                                       optionsWith(db_));
    }

private slots:
    void initTestCase() {
        FLASHPLAN_REQUIRE_CORPUS();
        QVERIFY(config_ && header_);
    }

    void everyEntryMatchesItsTruth() {
        corpus::Run run(QStringLiteral("import"));
        run.check({QStringLiteral("wolfboot")}, [&](const corpus::Entry& e) { return matchTruth(e); });
        qInfo("wolfboot: compared with wolfBoot's rules: %d SWAP 0xFFFFFFFF as no swap, %d UPDATE external "
              "through a *_FLASH=1 bus",
              swapMarkers_, busImpliesExt_);
        FLASHPLAN_CORPUS_VERIFY(run);
        // The known exceptions of tst_corpus_wolfboot.cpp, every one met: no stale entry in the list.
        QCOMPARE(run.tally(QStringLiteral("wolfboot")).known, int(std::size(kKnownExceptions)));
    }

    /// Each import written as a .config and read again: the same Layout.
    void everyEntryRoundTripsThroughItsConfig() {
        corpus::Run run(QStringLiteral(".config round trip"));
        run.check({QStringLiteral("wolfboot")}, [&](const corpus::Entry& e) {
            const auto imported = importEntry(e);
            if (!imported)
                return corpus::Verdict::differ("import: " +
                                               QString::fromStdString(imported.error().toString()));
            const auto asConfig = config_->exporter->write(imported->layout, "out.config", {});
            if (!asConfig)
                return corpus::Verdict::differ(".config export: " +
                                               QString::fromStdString(asConfig.error().toString()));
            const auto back = config_->importer->read(
                asConfig->front().text, QFileInfo(e.input).fileName().toStdString(), optionsWith(db_));
            if (!back || !(back->layout == imported->layout))
                return corpus::Verdict::differ(QStringLiteral(".config round trip changed the layout"));
            return corpus::Verdict::match();
        });
        FLASHPLAN_CORPUS_VERIFY(run);
    }

    /// Each import written as a target.h and read again: the same partitions. A layout target.h cannot
    /// express (Errc::Schema: the exporter says why) is a known exception, named in the log.
    void everyEntryRoundTripsThroughTargetH() {
        corpus::Run run(QStringLiteral("target.h round trip"));
        run.check({QStringLiteral("wolfboot")}, [&](const corpus::Entry& e) {
            const auto imported = importEntry(e);
            if (!imported)
                return corpus::Verdict::differ("import: " +
                                               QString::fromStdString(imported.error().toString()));
            const auto asHeader = header_->exporter->write(imported->layout, "target.h", {});
            if (!asHeader && asHeader.error().code == Errc::Schema)
                return corpus::Verdict::known("target.h cannot express it: " +
                                              QString::fromStdString(asHeader.error().toString()));
            if (!asHeader)
                return corpus::Verdict::differ("target.h export: " +
                                               QString::fromStdString(asHeader.error().toString()));
            const auto fromHeader =
                header_->importer->read(asHeader->front().text, "target.h", optionsWith(db_));
            if (!fromHeader || rangesOf(fromHeader->layout) != rangesOf(imported->layout))
                return corpus::Verdict::differ(
                    QStringLiteral("target.h conversion changed the partitions: ") +
                    (fromHeader ? describe(rangesOf(fromHeader->layout))
                                : QString::fromStdString(fromHeader.error().toString())));
            return corpus::Verdict::match();
        });
        FLASHPLAN_CORPUS_VERIFY(run);
    }
};

QTEST_APPLESS_MAIN(TestCorpusWolfBoot)
#include "tst_corpus_wolfboot.moc"
