// SPDX-License-Identifier: Apache-2.0
// Every corpus file validated as `flashplan-cli validate` does (the format detected, the built-in device
// database): per source, how many files have errors and which rule ids those errors come from. Each of
// them is a real defect of the upstream file, listed with its evidence in docs/upstream-defects.md; a rule
// change that adds an error (or silences one of these) fails here.
#include "CorpusSupport.h"
#include "db/DeviceDatabase.h"
#include "io/Format.h"
#include "rules/RulePack.h"

#include <set>

using namespace flashplan;

namespace {

const DeviceDatabase& db() {
    static const DeviceDatabase instance = *DeviceDatabase::builtin();
    return instance;
}

/// What validation says of one source: the files with errors and the rules their errors come from.
struct Errors {
    int files = 0;
    std::set<std::string> rules;
    friend bool operator==(const Errors&, const Errors&) = default;
};

QString describe(const Errors& e) {
    QStringList rules;
    for (const std::string& r : e.rules)
        rules << QString::fromStdString(r);
    return QStringLiteral("%1 file(s) with errors from {%2}").arg(e.files).arg(rules.join(", "));
}

} // namespace

class TestCorpusValidation : public QObject {
    Q_OBJECT
private slots:
    void onlyRealDefectsAreErrors() {
        FLASHPLAN_REQUIRE_CORPUS();
        const std::map<QString, Errors> expected{
            {"esp-idf", {0, {}}},
            {"nordic-pm", {1, {"generic.overlap"}}},
            {"wolfboot",
             {8,
              {"generic.overlap", "generic.sector-alignment", "wolfboot.alignment", "wolfboot.sector-size"}}},
            {"zephyr", {9, {"generic.outside-device", "generic.overlap", "generic.sector-alignment"}}},
            {"zephyr-overlay", {1, {"generic.outside-device"}}},
        };
        std::map<QString, Errors> found;
        corpus::Run run(QStringLiteral("validate"));
        QStringList sources;
        for (const auto& [source, errors] : expected)
            sources << source;
        run.check(sources, [&](const corpus::Entry& e) {
            Errors& errors = found[e.source];
            const std::string path = e.input.toStdString();
            ImportOptions options;
            options.db = &db();
            const auto text = readImportFile(options, path);
            if (!text)
                return corpus::Verdict::differ(QString::fromStdString(text.error().toString()));
            const auto format = detectFormat(*text, path);
            if (!format)
                return corpus::Verdict::differ(QString::fromStdString(format.error().toString()));
            const auto imported = (*format)->importer->read(*text, path, options);
            if (!imported)
                return corpus::Verdict::differ(QString::fromStdString(imported.error().toString()));
            bool any = false;
            for (const Diagnostic& d : findings(imported->layout, imported->notes))
                if (d.severity == Severity::Error) {
                    errors.rules.insert(d.rule);
                    any = true;
                }
            errors.files += any;
            return corpus::Verdict::match();
        });
        FLASHPLAN_CORPUS_VERIFY(run);
        for (const auto& [source, want] : expected) {
            const Errors& got = found[source];
            qInfo("%s: %s", qPrintable(source), qPrintable(describe(got)));
            QVERIFY2(got == want, qPrintable(source + ": " + describe(got) + ", expected " + describe(want)));
        }
    }
};

QTEST_APPLESS_MAIN(TestCorpusValidation)
#include "tst_corpus_validation.moc"
