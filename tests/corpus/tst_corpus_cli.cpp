// SPDX-License-Identifier: Apache-2.0
// flashplan-cli's exit codes on every upstream file of the corpus (../shared/corpus/visible), as a user
// runs it: convert's job is the conversion, so it exits 0 on every file it reads; with --strict it exits
// 1 exactly on the files where validate finds an error or a warning; validate exits 1 exactly on those
// with errors.
#include "CliRun.h"
#include "CorpusSupport.h"

#include <QTemporaryDir>

namespace {

const QStringList kSources{"esp-idf", "nordic-pm", "wolfboot", "zephyr", "zephyr-overlay"};

using clirun::cli;
using clirun::Run;

} // namespace

class TestCorpusCli : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() { FLASHPLAN_REQUIRE_CORPUS(); }

    void convertExitsZeroAndStrictFailsExactlyOnFindings() {
        QTemporaryDir tmp;
        QVERIFY(tmp.isValid());
        const QString out = tmp.filePath("out.json");
        corpus::Run run(QStringLiteral("convert exit codes"));
        run.check(kSources, [&](const corpus::Entry& e) {
            QStringList diffs;
            const Run v = cli({"validate", "--json", e.input});
            const QJsonObject doc = v.json();
            if (!doc.contains("errors"))
                return corpus::Verdict::differ("validate: exit " + QString::number(v.exitCode) + ": " +
                                               v.err);
            const int errors = doc["errors"].toInt(), warnings = doc["warnings"].toInt();
            if (v.exitCode != (errors > 0 ? 1 : 0))
                diffs << QString("validate exits %1 with %2 errors").arg(v.exitCode).arg(errors);
            const Run c = cli({"convert", e.input, out});
            if (c.exitCode != 0)
                diffs << QString("convert exits %1: %2").arg(c.exitCode).arg(c.err.left(300));
            const Run s = cli({"convert", "--strict", e.input, out});
            if (s.exitCode != (errors + warnings > 0 ? 1 : 0))
                diffs << QString("convert --strict exits %1 with %2 errors, %3 warnings")
                             .arg(s.exitCode)
                             .arg(errors)
                             .arg(warnings);
            return corpus::Verdict::differ(diffs);
        });
        FLASHPLAN_CORPUS_VERIFY(run);
    }
};

QTEST_APPLESS_MAIN(TestCorpusCli)
#include "tst_corpus_cli.moc"
