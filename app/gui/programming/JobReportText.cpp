// SPDX-License-Identifier: Apache-2.0
#include "programming/JobReportText.h"

#include "document/Text.h"
#include "util/Numbers.h"

#include <algorithm>
#include <array>
#include <cmath>

namespace flashplan::gui {

using programmer::JobReport;
using programmer::JobSpec;
using programmer::SectorOutcome;

namespace {

/// What a verify found, in the order a summary lists it.
struct StateWords {
    SectorState state;
    const char* words;
};
constexpr std::array kStates{
    StateWords{SectorState::Matches, "hold the image"},
    StateWords{SectorState::Differs, "differ"},
    StateWords{SectorState::Erased, "are erased"},
    StateWords{SectorState::Unknown, "were not compared"},
};

/// The outcomes in the order a summary lists them, with the words it uses.
struct OutcomeWords {
    SectorOutcome outcome;
    const char* words;
};
constexpr std::array kOutcomes{
    OutcomeWords{SectorOutcome::Skipped, "skipped (already held the image)"},
    OutcomeWords{SectorOutcome::Verified, "verified"},
    OutcomeWords{SectorOutcome::Written, "written"},
    OutcomeWords{SectorOutcome::Erased, "erased"},
    OutcomeWords{SectorOutcome::MaybePartial, "maybe partial"},
    OutcomeWords{SectorOutcome::Untouched, "untouched"},
};

QString doneText(JobSpec::Kind kind, const JobReport& r) {
    const QString p = q(r.partition);
    switch (kind) {
    case JobSpec::Kind::Probe:
        return QObject::tr("Reached the target with %1").arg(q(r.backend));
    case JobSpec::Kind::Flash:
        return QObject::tr("Flashed %1").arg(p);
    case JobSpec::Kind::Read:
        return QObject::tr("Read %1 of %2").arg(readableSize(r.bytesRead), p);
    case JobSpec::Kind::Erase:
        return QObject::tr("Erased %1").arg(p);
    case JobSpec::Kind::Verify:
        return QObject::tr("%1 holds the image").arg(p);
    case JobSpec::Kind::Inspect: {
        QString text = QObject::tr("Inspected the target (%1 read)").arg(readableSize(r.bytesRead));
        if (r.inspection)
            for (const PairInspection& pair : r.inspection->pairs)
                text += QObject::tr("; image %1 at the next boot: %2").arg(pair.image).arg(q(pair.verdict()));
        return text;
    }
    }
    return {};
}

QString sectorText(const Sector& s) {
    return QStringLiteral("%1 (%2)").arg(q(formatHex(s.offset)), q(formatSize(s.size)));
}

/// "4 ms", "2.3 s".
QString durationText(double seconds) {
    return seconds < 1 ? QStringLiteral("%1 ms").arg(std::llround(seconds * 1000))
                       : QStringLiteral("%1 s").arg(seconds, 0, 'f', 1);
}

QString roughSize(double bytes) {
    return readableSize(static_cast<std::uint64_t>(std::llround(std::max(bytes, 0.0))));
}

} // namespace

bool jobFailed(JobSpec::Kind kind, const JobReport& report) {
    return !report.ok() || (kind == JobSpec::Kind::Verify && !report.mismatches().empty());
}

QString jobSummary(JobSpec::Kind kind, const JobReport& r) {
    const bool verify = kind == JobSpec::Kind::Verify;
    QString head;
    if (r.ok() && verify && !r.mismatches().empty()) {
        QStringList where;
        for (const programmer::SectorReport& s : r.sectors)
            if (s.state != SectorState::Matches && where.size() < 8)
                where << QStringLiteral("%1 (%2)").arg(q(formatHex(s.sector.offset)),
                                                       QLatin1String(to_string(s.state)));
        if (r.mismatches().size() > 8)
            where << QStringLiteral("…");
        head = QObject::tr("Verify failed: %1 does not hold the image; differing sectors: %2.")
                   .arg(q(r.partition), where.join(QStringLiteral(", ")));
    } else if (r.ok()) {
        head = QObject::tr("%1 in %2.").arg(doneText(kind, r), durationText(r.seconds));
    } else if (r.cancelled()) {
        head = QObject::tr("Cancelled: %1 %2 stopped after %3.")
                   .arg(QString::fromLatin1(programmer::to_string(kind)), q(r.partition),
                        durationText(r.seconds));
    } else {
        head = QObject::tr("Failed: %1").arg(q(r.error->toString()));
    }

    // A verify changes nothing: what it found is the news. Every other job: what it did.
    QStringList counts;
    if (verify) {
        for (const StateWords& w : kStates) {
            std::size_t n = 0;
            for (const programmer::SectorReport& s : r.sectors)
                n += s.state == w.state;
            if (n)
                counts << QStringLiteral("%1 %2").arg(n).arg(QLatin1String(w.words));
        }
    } else {
        for (const OutcomeWords& o : kOutcomes) {
            std::size_t n = 0;
            for (const programmer::SectorReport& s : r.sectors)
                n += s.outcome == o.outcome;
            if (n)
                counts << QStringLiteral("%1 %2").arg(n).arg(QLatin1String(o.words));
        }
    }
    QString text = head;
    if (!counts.isEmpty())
        text += (r.sectors.size() == 1 ? QObject::tr(" 1 sector: %1.")
                                       : QObject::tr(" %1 sectors: %2.").arg(r.sectors.size()))
                    .arg(counts.join(QStringLiteral(", ")));
    QStringList bytes;
    if (r.bytesErased)
        bytes << QObject::tr("%1 erased").arg(readableSize(r.bytesErased));
    if (r.bytesWritten)
        bytes << QObject::tr("%1 written").arg(readableSize(r.bytesWritten));
    if (!bytes.isEmpty())
        text += QStringLiteral(" %1.").arg(bytes.join(QStringLiteral(", ")));
    if (const auto partial = r.maybePartial(); !partial.empty()) {
        QStringList where;
        for (const Sector& s : partial)
            where << sectorText(s);
        text += QObject::tr(" Content unknown (maybe partial): %1; flash the image again.")
                    .arg(where.join(QStringLiteral(", ")));
    }
    return text;
}

QStringList inspectionLines(const Layout& layout, const Inspection& found) {
    QStringList out;
    for (const PartitionInspection& p : found.partitions) {
        QString line =
            QStringLiteral("  %1: %2").arg(q(layout.partitions[p.partition].label), q(p.summary()));
        if (p.trailer)
            line += QObject::tr("; trailer: magic %1, image_ok %2, copy_done %3")
                        .arg(q(to_string(p.trailer->state.magic)), q(to_string(p.trailer->state.imageOk)),
                             q(to_string(p.trailer->state.copyDone)));
        out << line;
    }
    for (const PairInspection& pair : found.pairs) {
        out << QObject::tr("  image %1 (%2, %3): next boot: %4")
                   .arg(pair.image)
                   .arg(q(layout.partitions[pair.primary].label), q(layout.partitions[pair.secondary].label),
                        q(pair.verdict()));
        if (pair.next && !pair.next->reason.empty())
            out << QStringLiteral("    ") + q(pair.next->reason);
    }
    return out;
}

QStringList sectorLines(const JobReport& r) {
    QStringList out;
    for (const programmer::SectorReport& s : r.sectors)
        out << QStringLiteral("  %1  %2  %3  %4")
                   .arg(q(formatHex(s.sector.offset)), -10)
                   .arg(q(formatSize(s.sector.size)), -8)
                   .arg(s.state == SectorState::Unknown ? QStringLiteral("-")
                                                        : QLatin1String(to_string(s.state)),
                        -8)
                   .arg(QLatin1String(to_string(s.outcome)));
    return out;
}

QString progressText(programmer::Phase phase, quint64 done, quint64 total, double bytesPerSecond) {
    QString text = QLatin1String(programmer::to_string(phase));
    if (total > 0)
        text += QStringLiteral(" · %1 of %2")
                    .arg(roughSize(static_cast<double>(done)), roughSize(static_cast<double>(total)));
    if (bytesPerSecond > 0)
        text += QStringLiteral(" · %1/s").arg(roughSize(bytesPerSecond));
    return text;
}

} // namespace flashplan::gui
