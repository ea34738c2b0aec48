// SPDX-License-Identifier: Apache-2.0
#pragma once
// Shared by the corpus suites: where ../shared/corpus is, its index, and the one driver every suite runs
// its checks through (corpus::Run): each entry's verdict counted per source, one score line per source,
// the failures listed. A suite whose corpus is absent skips with a clear message
// (FLASHPLAN_REQUIRE_CORPUS) instead of failing.

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QString>
#include <QStringList>
#include <QVector>
#include <QtTest>

#include <map>
#include <string>
#include <utility>

namespace corpus {

/// ../shared/corpus/visible beside the project (FLASHPLAN_CORPUS_DIR overrides), or empty when absent.
/// FLASHPLAN_SOURCE_DIR is the project's root, defined for every test by tests/CMakeLists.txt.
inline QString visibleDir() {
    QString dir = qEnvironmentVariable("FLASHPLAN_CORPUS_DIR");
    if (dir.isEmpty())
        dir = QStringLiteral(FLASHPLAN_SOURCE_DIR "/../shared/corpus/visible");
    return QFile::exists(dir + QStringLiteral("/index.json")) ? QDir(dir).absolutePath() : QString();
}

/// One entry of index.json, with its paths made absolute.
struct Entry {
    QString source;
    QString input; ///< absolute path of the file to import
    QString truth; ///< absolute path of its ground truth
    QJsonObject raw;
};

/// The entries of one source ("zephyr", "zephyr-overlay", "wolfboot", "nordic-pm", "esp-idf").
inline QVector<Entry> entries(const QString& source) {
    QVector<Entry> out;
    const QString dir = visibleDir();
    QFile f(dir + QStringLiteral("/index.json"));
    if (dir.isEmpty() || !f.open(QIODevice::ReadOnly))
        return out;
    const QJsonArray all =
        QJsonDocument::fromJson(f.readAll()).object().value(QStringLiteral("entries")).toArray();
    for (const auto& v : all) {
        const QJsonObject o = v.toObject();
        if (o.value(QStringLiteral("source")).toString() != source)
            continue;
        out.push_back({source, dir + '/' + o.value(QStringLiteral("input_path")).toString(),
                       dir + '/' + o.value(QStringLiteral("truth_path")).toString(), o});
    }
    return out;
}

inline QJsonObject readJson(const QString& path) {
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return QJsonDocument::fromJson(f.readAll()).object();
}

/// A file's bytes as the importers take them; empty when it cannot be read.
inline std::string readText(const QString& path) {
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return f.readAll().toStdString();
}

/// What checking one entry against its truth found.
struct Verdict {
    QStringList differences; ///< empty (and no known exception): the entry matches
    QString knownException;  ///< non-empty: a documented exception, and why; its behaviour was checked

    static Verdict match() { return {}; }
    static Verdict differ(QStringList differences) { return {std::move(differences), {}}; }
    /// One difference; an empty text is a match (for checks that return "" or why not).
    static Verdict differ(const QString& difference) {
        return difference.isEmpty() ? match() : differ(QStringList{difference});
    }
    static Verdict known(QString why) { return {{}, std::move(why)}; }
};

/// The counts of one source in one run.
struct Tally {
    int matched = 0, failed = 0, known = 0;
    int total() const { return matched + failed + known; }
};

/// One pass of a check over corpus entries: each entry's verdict counted under its source. Suites that
/// check an entry in one go use check(); suites that batch work (dtc over every file at once) add() the
/// verdicts when they have them. report() prints one line per source, "<source> <what>: matched/total
/// (pct%), known exception(s), failed", the same shape for every suite.
class Run {
public:
    explicit Run(QString what) : what_(std::move(what)) {}

    /// Counts an entry's verdict; a difference becomes a failure naming the entry's input.
    void add(const Entry& entry, const Verdict& verdict) {
        Tally& t = tallies_[entry.source];
        if (!verdict.knownException.isEmpty()) {
            ++t.known;
            qInfo("%s: known exception: %s", qPrintable(QFileInfo(entry.input).fileName()),
                  qPrintable(verdict.knownException));
        } else if (verdict.differences.isEmpty()) {
            ++t.matched;
        } else {
            ++t.failed;
            failures_ << entry.input + QStringLiteral(":\n    ") + verdict.differences.join("\n    ");
        }
    }

    /// Checks every entry of each source with `check` (Entry -> Verdict). A source without entries is a
    /// failure: an index that lost a source must not pass as "nothing failed".
    template <typename Check>
    void check(const QStringList& sources, Check&& check) {
        for (const QString& source : sources) {
            tallies_[source]; // reported even when empty
            const QVector<Entry> all = entries(source);
            if (all.isEmpty())
                failures_ << source + QStringLiteral(": no entries in index.json");
            for (const Entry& e : all)
                add(e, check(e));
        }
    }

    /// One score line per source.
    void report() const {
        for (const auto& [source, t] : tallies_)
            qInfo("%s %s: %d/%d (%d%%) match, %d known exception(s), %d failed", qPrintable(source),
                  qPrintable(what_), t.matched, t.total(), t.total() ? t.matched * 100 / t.total() : 100,
                  t.known, t.failed);
    }

    const Tally& tally(const QString& source) const {
        static const Tally none;
        const auto it = tallies_.find(source);
        return it == tallies_.end() ? none : it->second;
    }
    /// Every failure, one per entry ("<input>:\n    <difference>...").
    const QStringList& failures() const { return failures_; }

private:
    QString what_;
    std::map<QString, Tally> tallies_;
    QStringList failures_;
};

} // namespace corpus

#define FLASHPLAN_REQUIRE_CORPUS()                                                                           \
    do {                                                                                                     \
        if (corpus::visibleDir().isEmpty())                                                                  \
            QSKIP("../shared/corpus/visible is absent (set FLASHPLAN_CORPUS_DIR to point at it): corpus "    \
                  "skipped");                                                                                \
    } while (false)

/// Reports a run and fails the test on any failure, listing them all.
#define FLASHPLAN_CORPUS_VERIFY(run)                                                                         \
    do {                                                                                                     \
        (run).report();                                                                                      \
        QVERIFY2((run).failures().isEmpty(), qPrintable((run).failures().join(QLatin1Char('\n'))));          \
    } while (false)
