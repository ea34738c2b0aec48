// SPDX-License-Identifier: Apache-2.0
// Median time to import + validate + export one real-world file of ../shared/corpus/visible, per source
// (goal: under 1 ms). Figures, not assertions. Each file is timed several times and its fastest run kept,
// so the figure is the cost of the work, not of what else the machine was doing.
#include "../corpus/CorpusSupport.h"

#include "db/DeviceDatabase.h"
#include "io/Format.h"
#include "io/TextFile.h"
#include "rules/RulePack.h"

#include <QtTest>

#include <algorithm>
#include <chrono>

using namespace flashplan;

namespace {

struct Figures {
    std::size_t files = 0, skipped = 0;
    double median = 0, p90 = 0, worst = 0; // microseconds
};

double percentile(std::vector<double> v, double q) {
    std::sort(v.begin(), v.end());
    return v[std::min(v.size() - 1, static_cast<std::size_t>(q * static_cast<double>(v.size())))];
}

} // namespace

class BenchFormats : public QObject {
    Q_OBJECT

    DeviceDatabase db_ = *DeviceDatabase::builtin();
    volatile std::size_t sink_ = 0;

    Figures measure(const QString& source) {
        Figures f;
        std::vector<double> times;
        ImportOptions options;
        options.db = &db_;
        for (const corpus::Entry& e : corpus::entries(source)) {
            const std::string path = e.input.toStdString();
            const auto text = readTextFile(path);
            if (!text) {
                ++f.skipped;
                continue;
            }
            const auto format = detectFormat(*text, path);
            if (!format) {
                ++f.skipped;
                continue;
            }
            const Format* out = (*format)->exporter ? *format : findFormat("flashplan");
            double best = 1e30;
            bool ok = true;
            for (int rep = 0; rep < 15 && ok; ++rep) {
                const auto start = std::chrono::steady_clock::now();
                auto imported = (*format)->importer->read(*text, path, options);
                if (!imported) {
                    ok = false;
                    break;
                }
                const auto diagnostics = validate(imported->layout);
                auto files = out->exporter->write(imported->layout, "bench.out", {});
                const auto stop = std::chrono::steady_clock::now();
                ok = files.ok();
                sink_ = sink_ + diagnostics.size(); // keeps validate() from being optimised away
                best = std::min(best, std::chrono::duration<double, std::micro>(stop - start).count());
            }
            if (!ok) {
                ++f.skipped;
                continue;
            }
            times.push_back(best);
        }
        f.files = times.size();
        if (!times.empty()) {
            f.median = percentile(times, 0.5);
            f.p90 = percentile(times, 0.9);
            f.worst = percentile(times, 1.0);
        }
        return f;
    }

private slots:
    void importValidateExport_data() {
        QTest::addColumn<QString>("source");
        for (const char* s : {"zephyr", "zephyr-overlay", "wolfboot", "nordic-pm", "esp-idf"})
            QTest::newRow(s) << QString(s);
    }
    void importValidateExport() {
        FLASHPLAN_REQUIRE_CORPUS();
        QFETCH(QString, source);
        const Figures f = measure(source);
        qInfo("%s: %zu files, median %.1f us, p90 %.1f us, worst %.1f us per import+validate+export%s",
              qPrintable(source), f.files, f.median, f.p90, f.worst,
              f.skipped ? qPrintable(QStringLiteral(" (%1 not importable here)").arg(f.skipped)) : "");
    }
};

QTEST_APPLESS_MAIN(BenchFormats)
#include "bench_formats.moc"
