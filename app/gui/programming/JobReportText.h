// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "JobRunner.h"

#include <QString>
#include <QStringList>

namespace flashplan::gui {

/// One paragraph on how a job ended, for people: what was done to which partition and how long it took,
/// the per-sector outcome counts ("6 sectors: 2 skipped, 4 written and verified"), and after a failure
/// or a cancel the error and the sectors that may be partial, by offset and size. A verify says what it
/// found instead ("6 sectors: 4 hold the image, 2 differ"), and names the sectors that differ.
QString jobSummary(programmer::JobSpec::Kind kind, const programmer::JobReport& report);

/// Whether a job ended other than as asked: an error, a cancel, or a verify that found differences.
bool jobFailed(programmer::JobSpec::Kind kind, const programmer::JobReport& report);

/// One line per sector the job touched, with what it found there and what it did:
/// "0x80000  4 KiB  erased  verified".
QStringList sectorLines(const programmer::JobReport& report);

/// What an inspection found, as flashplan-cli inspect prints it: one line per partition (what it holds
/// and its MCUboot trailer), then the next-boot verdict of each image pair with its reason.
QStringList inspectionLines(const Layout& layout, const Inspection& found);

/// "write · 128 KiB of 384 KiB · 1.2 MiB/s": the progress of a phase.
QString progressText(programmer::Phase phase, quint64 done, quint64 total, double bytesPerSecond);

} // namespace flashplan::gui
