// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "JobRunner.h"

#include <QString>
#include <QStringList>

namespace flashplan::gui {

/// One paragraph on how a job ended, for people: what was done to which partition and how long it took,
/// the per-sector outcome counts ("6 sectors: 2 skipped, 4 written and verified"), and after a failure
/// or a cancel the error and the sectors that may be partial, by offset and size.
QString jobSummary(programmer::JobSpec::Kind kind, const programmer::JobReport& report);

/// One line per sector the job touched: "0x80000  4 KiB  verified".
QStringList sectorLines(const programmer::JobReport& report);

/// "write · 128 KiB of 384 KiB · 1.2 MiB/s": the progress of a phase.
QString progressText(programmer::Phase phase, quint64 done, quint64 total, double bytesPerSecond);

} // namespace flashplan::gui
