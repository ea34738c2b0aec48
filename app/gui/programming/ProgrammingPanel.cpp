// SPDX-License-Identifier: Apache-2.0
#include "programming/ProgrammingPanel.h"

#include "commands/LayoutEdits.h"
#include "desktop/FileFilters.h"
#include "desktop/UserPrompts.h"
#include "document/LayoutDocument.h"
#include "document/Text.h"
#include "io/TextFile.h"
#include "program/FlashPayload.h"
#include "programming/BackendForm.h"
#include "programming/JobReportText.h"
#include "programming/SlotList.h"
#include "util/Numbers.h"

#include <QCheckBox>
#include <QDateTime>
#include <QFileInfo>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QLabel>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QResizeEvent>
#include <QScrollArea>
#include <QSplitter>
#include <QVBoxLayout>

#include <algorithm>

namespace flashplan::gui {

using programmer::JobReport;
using programmer::JobSpec;
using programmer::Phase;

namespace {

const QString kRed = QStringLiteral("#c62828");
const QString kGreen = QStringLiteral("#2e7d32");

} // namespace

ProgrammingPanel::ProgrammingPanel(LayoutDocument* document, QWidget* parent)
    : QWidget(parent), document_(document), runner_(new programmer::JobRunner(this)),
      splitter_(new QSplitter(this)), backendForm_(new BackendForm(this)),
      probe_(new QPushButton(tr("Check connection"), this)), inspect_(new QPushButton(tr("Inspect"), this)),
      connection_(new QLabel(this)), slotList_(new SlotList(this)),
      choose_(new QPushButton(tr("Image…"), this)), verify_(new QPushButton(tr("Verify"), this)),
      read_(new QPushButton(tr("Read back…"), this)), erase_(new QPushButton(tr("Erase"), this)),
      full_(new QCheckBox(tr("Full"), this)), reset_(new QCheckBox(tr("Reset after"), this)),
      progress_(new QProgressBar(this)), progressText_(new QLabel(this)),
      cancel_(new QPushButton(tr("Cancel"), this)), result_(new QLabel(this)),
      log_(new QPlainTextEdit(this)) {
    setObjectName(QStringLiteral("ProgrammingPanel"));

    // Left: what to program with and what goes where.
    auto* left = new QWidget(splitter_);
    auto* connectionRow = new QHBoxLayout;
    connectionRow->addWidget(probe_);
    connectionRow->addWidget(inspect_);
    connectionRow->addWidget(connection_, 1);
    auto* actions = new QHBoxLayout;
    for (QPushButton* b : {choose_, verify_, read_, erase_})
        actions->addWidget(b);
    actions->addStretch(1);
    actions->addWidget(full_);
    actions->addWidget(reset_);
    auto* leftLayout = new QVBoxLayout(left);
    leftLayout->setContentsMargins(0, 0, 0, 0);
    leftLayout->addWidget(backendForm_);
    leftLayout->addLayout(connectionRow);
    leftLayout->addWidget(slotList_, 1);
    leftLayout->addLayout(actions);

    // Right: the job as it runs and how it ended.
    auto* right = new QWidget(splitter_);
    auto* progressRow = new QHBoxLayout;
    progressRow->addWidget(progress_, 1);
    progressRow->addWidget(cancel_);
    auto* rightLayout = new QVBoxLayout(right);
    rightLayout->setContentsMargins(0, 0, 0, 0);
    rightLayout->addLayout(progressRow);
    rightLayout->addWidget(progressText_);
    // The outcome scrolls within a few lines, so a long refusal never pushes the log out of sight nor is
    // cut off by it.
    resultArea_ = new QScrollArea(right);
    resultArea_->setWidget(result_);
    resultArea_->setWidgetResizable(true);
    resultArea_->setFrameShape(QFrame::NoFrame);
    resultArea_->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    resultArea_->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
    rightLayout->addWidget(resultArea_);
    rightLayout->addWidget(log_, 1);

    splitter_->addWidget(left);
    splitter_->addWidget(right);
    splitter_->setChildrenCollapsible(false);
    // Stacked until the dock is wide enough (resizeEvent): the size hint of a narrow dock stays narrow.
    splitter_->setOrientation(Qt::Vertical);
    splitter_->setStretchFactor(0, 3);
    splitter_->setStretchFactor(1, 2);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(splitter_);

    // The list and the log take the height there is and ask for none: the dock's size hint stays small,
    // so adding the panel leaves the rest of the window's layout as it was.
    for (QWidget* w : {static_cast<QWidget*>(slotList_), static_cast<QWidget*>(log_)}) {
        w->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Ignored);
        w->setMinimumHeight(fontMetrics().lineSpacing() * 4);
    }
    probe_->setToolTip(tr("Connect to the target, list the flash it reports, and disconnect"));
    inspect_->setToolTip(tr("Read what each partition of the target holds (image version, hash, MCUboot "
                            "trailer) and what MCUboot will do at the next boot; nothing is written"));
    choose_->setToolTip(tr("Choose the image file for the selected partition"));
    verify_->setToolTip(tr("Check that the selected partition holds its image; nothing is written"));
    read_->setToolTip(tr("Read the selected partition from the target into a file"));
    full_->setToolTip(tr("Flash: erase and write every sector the image touches, even those that already "
                         "hold it (no compare first)"));
    reset_->setToolTip(tr("Flash: reset the target afterwards so it runs the new image"));
    erase_->setToolTip(tr("Erase every sector of the selected partition"));
    cancel_->setToolTip(tr("Stop the job; sectors it was working on may be left partial"));
    connection_->setWordWrap(true);
    progress_->setRange(0, 1000);
    progress_->setValue(0);
    progress_->setTextVisible(false);
    progressText_->setText(tr("No job running"));
    result_->setObjectName(QStringLiteral("programmingResult"));
    result_->setWordWrap(true);
    result_->setTextFormat(Qt::PlainText);
    result_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    result_->setAlignment(Qt::AlignLeft | Qt::AlignTop);
    log_->setObjectName(QStringLiteral("programmingLog"));
    log_->setReadOnly(true);
    log_->setMaximumBlockCount(5000);
    log_->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    log_->setPlaceholderText(tr("What the jobs do appears here"));
    setConnection(tr("Not connected"), QString());
    fitResult();

    connect(probe_, &QPushButton::clicked, this, &ProgrammingPanel::probe);
    connect(inspect_, &QPushButton::clicked, this, &ProgrammingPanel::inspect);
    connect(choose_, &QPushButton::clicked, this, &ProgrammingPanel::chooseImage);
    connect(verify_, &QPushButton::clicked, this, [this] {
        if (const auto p = currentPartition())
            verify(*p);
    });
    connect(read_, &QPushButton::clicked, this, [this] {
        if (const auto p = currentPartition())
            readBack(*p);
    });
    connect(erase_, &QPushButton::clicked, this, [this] {
        if (const auto p = currentPartition())
            erase(*p);
    });
    connect(cancel_, &QPushButton::clicked, this, &ProgrammingPanel::cancel);
    connect(slotList_, &QTreeWidget::currentItemChanged, this, [this] {
        refreshButtons();
        if (const auto p = currentPartition(); p && !followingSelection_)
            document_->setSelection({*p});
    });
    connect(slotList_, &SlotList::rowActivated, this, [this] {
        if (!isBusy())
            chooseImage();
    });
    connect(slotList_, &SlotList::flashRequested, this, &ProgrammingPanel::flash);
    connect(slotList_, &SlotList::trailerChosen, this, &ProgrammingPanel::setTrailerChoice);
    connect(backendForm_, &BackendForm::backendChanged, this, [this] {
        connected_ = false;
        setConnection(tr("Not connected"), QString());
    });

    connect(runner_, &programmer::JobRunner::progress, this, &ProgrammingPanel::onProgress);
    connect(runner_, &programmer::JobRunner::logLine, this, &ProgrammingPanel::appendLog);
    connect(runner_, &programmer::JobRunner::finished, this, &ProgrammingPanel::onFinished);

    connect(document_, &LayoutDocument::layoutReset, this, [this] {
        backendForm_->setBoard(document_->layout().board);
        rebuildRows();
    });
    connect(document_, &LayoutDocument::partitionsChanged, this, &ProgrammingPanel::rebuildRows);
    connect(document_, &LayoutDocument::identityChanged, this, &ProgrammingPanel::rebuildRows);
    connect(document_, &LayoutDocument::selectionChanged, this, &ProgrammingPanel::followSelection);
    backendForm_->setBoard(document_->layout().board);
    rebuildRows();
}

ProgrammingPanel::~ProgrammingPanel() {
    // The runner cancels and waits for its job; nothing it reports afterwards may reach this half-gone
    // panel.
    runner_->disconnect(this);
}

void ProgrammingPanel::setPrompts(const UserPrompts* prompts) {
    prompts_ = prompts;
    backendForm_->setPrompts(prompts);
}

bool ProgrammingPanel::isBusy() const {
    return runner_->isRunning();
}

const std::vector<std::size_t>& ProgrammingPanel::rowPartitions() const {
    return slotList_->partitions();
}

QPushButton* ProgrammingPanel::flashButton(std::size_t partition) const {
    return slotList_->flashButton(partition);
}

SlotImage ProgrammingPanel::slotImage(std::size_t partition, JobKind kind, bool writeReadOnly) {
    const Layout& layout = document_->layout();
    if (partition >= layout.partitions.size())
        return {};
    return describeSlotImage(files_, layout, partition,
                             resolveImagePath(layout.partitions[partition].image, document_->filePath()),
                             kind, {trailerChoice(partition), writeReadOnly});
}

TrailerChoice ProgrammingPanel::trailerChoice(std::size_t partition) const {
    const Layout& layout = document_->layout();
    if (partition >= layout.partitions.size())
        return TrailerChoice::Default;
    const auto it = trailerChoices_.find(layout.partitions[partition].label);
    if (it == trailerChoices_.end())
        return TrailerChoice::Default;
    // A choice the slot no longer offers (its role changed) falls back to the default.
    const auto offered = trailerChoices(layout, partition);
    return std::find(offered.begin(), offered.end(), it->second) != offered.end() ? it->second
                                                                                  : TrailerChoice::Default;
}

void ProgrammingPanel::setTrailerChoice(std::size_t partition, TrailerChoice choice) {
    const Layout& layout = document_->layout();
    if (partition >= layout.partitions.size())
        return;
    trailerChoices_[layout.partitions[partition].label] = choice;
    rebuildRows();
}

void ProgrammingPanel::setCurrentPartition(std::size_t partition) {
    slotList_->setCurrentPartition(partition);
}

std::optional<std::size_t> ProgrammingPanel::currentPartition() const {
    return slotList_->currentPartition();
}

void ProgrammingPanel::rebuildRows() {
    slotList_->rebuild(document_->layout(), [this](std::size_t i) { return slotImage(i); });
    refreshButtons();
}

void ProgrammingPanel::followSelection() {
    const std::vector<std::size_t>& selection = document_->selection();
    const auto it = std::find_if(selection.begin(), selection.end(),
                                 [this](std::size_t i) { return slotList_->hasRow(i); });
    if (it == selection.end())
        return;
    followingSelection_ = true;
    setCurrentPartition(*it);
    followingSelection_ = false;
}

void ProgrammingPanel::refreshButtons() {
    const bool busy = isBusy();
    const Layout& layout = document_->layout();
    const std::optional<std::size_t> current = currentPartition();
    const bool hasImage = current && !layout.partitions[*current].image.empty();
    backendForm_->setEnabled(!busy);
    probe_->setEnabled(!busy);
    inspect_->setEnabled(!busy);
    choose_->setEnabled(current.has_value());
    verify_->setEnabled(!busy && hasImage);
    read_->setEnabled(!busy && current);
    erase_->setEnabled(!busy && current);
    cancel_->setEnabled(busy && !runner_->isCancelling());
    for (const std::size_t i : slotList_->partitions())
        if (QPushButton* b = flashButton(i))
            b->setEnabled(!busy && !layout.partitions[i].image.empty());
}

Result<void> ProgrammingPanel::assignImage(std::size_t partition, const QString& path) {
    const Layout& layout = document_->layout();
    if (partition >= layout.partitions.size())
        return makeError(Errc::NotFound, "no partition " + std::to_string(partition));
    const Partition& p = layout.partitions[partition];
    if (!slotList_->hasRow(partition)) {
        Error e =
            makeError(Errc::InvalidArgument, p.label + " takes no image: it is not on a device of the board");
        e.field = p.label;
        showResult(tr("Refused: %1").arg(q(e.message)), true);
        return e;
    }
    const QString absolute = QFileInfo(path).absoluteFilePath();
    if (auto r = edits::editPartitionField(*document_, partition, edits::PartitionField::Image,
                                           absolute.toStdString());
        !r) {
        showResult(tr("Refused: %1").arg(q(r.error().message)), true);
        return r;
    }
    setCurrentPartition(partition);
    const SlotImage image = slotImage(partition);
    showResult(tr("%1 → %2: %3, %4").arg(QFileInfo(absolute).fileName(), q(p.label), image.facts, image.fit),
               !image.errors.isEmpty());
    return {};
}

void ProgrammingPanel::chooseImage() {
    const auto p = currentPartition();
    if (!p || !prompts_ || !prompts_->openPath)
        return;
    const QString path = prompts_->openPath(
        this, tr("Image for %1").arg(q(document_->layout().partitions[*p].label)), imageOpenFilter());
    if (!path.isEmpty())
        (void)assignImage(*p, path);
}

std::function<std::unique_ptr<programmer::Backend>()> ProgrammingPanel::backendFactory() const {
    const programmer::BackendKind* kind = programmer::findBackend(backendForm_->backendName().toStdString());
    if (!kind)
        return {};
    return [kind = *kind, options = backendForm_->options(), maker = maker_] {
        return maker ? maker(kind, options) : kind.make(options);
    };
}

bool ProgrammingPanel::refuse(const QString& what, const QStringList& reasons) {
    progress_->setRange(0, 1000);
    progress_->setValue(0);
    progressText_->setText(tr("Refused"));
    QString text = tr("Refused: %1; nothing was started.").arg(what);
    for (const QString& r : reasons)
        text += QStringLiteral("\n• ") + r;
    showResult(text, true);
    appendLog(text);
    return false;
}

std::optional<JobSpec> ProgrammingPanel::preflightJob(JobKind kind, std::size_t partition,
                                                      const QString& what) {
    const Layout& layout = document_->layout();
    const Partition& p = layout.partitions[partition];
    const bool withImage = kind == JobKind::Flash || kind == JobKind::Verify;
    if (withImage && p.image.empty()) {
        refuse(
            what,
            {tr("%1 has no image; choose one with Image… or drop a file on it in the map").arg(q(p.label))});
        return std::nullopt;
    }
    // Writing a read-only partition (a bootloader into its own) takes an answer naming it, every time.
    const bool writeReadOnly = writesFlash(kind) && p.readOnly && prompts_ &&
                               prompts_->confirmWriteReadOnly &&
                               prompts_->confirmWriteReadOnly(this, q(p.label), what);
    // The same preflight flashplan-cli asks: one verdict, one list of reasons.
    SlotImage image;
    if (withImage) {
        image = slotImage(partition, kind, writeReadOnly);
    } else {
        PreflightRequest request;
        applyOptions(request, {TrailerChoice::Default, writeReadOnly});
        request.kind = kind;
        request.layout = &layout;
        request.partition = partition;
        image.check = preflight(request);
    }
    if (!image.check.ready()) {
        refuse(what, reasonLines(image.check));
        return std::nullopt;
    }
    JobSpec spec;
    spec.layout = layout;
    spec.partition = partition;
    spec.writeReadOnly = image.check.job->writeReadOnly;
    if (withImage) {
        spec.offset = image.check.job->offset;
        spec.data = std::move(image.check.job->bytes);
        spec.more = std::move(image.check.job->more);
        spec.moreWhat = image.check.job->moreWhat;
        appendLog(
            tr("image %1: %2, %3 at %4")
                .arg(image.path, image.facts, q(formatSize(spec.data.size())), q(formatHex(spec.offset))));
    }
    return spec;
}

bool ProgrammingPanel::flash(std::size_t partition) {
    if (isBusy() || !slotList_->hasRow(partition))
        return false;
    const QString what = tr("flash %1").arg(q(document_->layout().partitions[partition].label));
    auto spec = preflightJob(JobKind::Flash, partition, what);
    if (!spec)
        return false;
    spec->kind = JobSpec::Kind::Flash;
    spec->full = full_->isChecked();
    spec->reset = reset_->isChecked();
    return start(std::move(*spec), what);
}

bool ProgrammingPanel::verify(std::size_t partition) {
    if (isBusy() || !slotList_->hasRow(partition))
        return false;
    const QString what = tr("verify %1").arg(q(document_->layout().partitions[partition].label));
    auto spec = preflightJob(JobKind::Verify, partition, what);
    if (!spec)
        return false;
    spec->kind = JobSpec::Kind::Verify;
    return start(std::move(*spec), what);
}

bool ProgrammingPanel::erase(std::size_t partition) {
    if (isBusy() || !slotList_->hasRow(partition))
        return false;
    const QString what = tr("erase %1").arg(q(document_->layout().partitions[partition].label));
    auto spec = preflightJob(JobKind::Erase, partition, what);
    if (!spec)
        return false;
    spec->kind = JobSpec::Kind::Erase;
    return start(std::move(*spec), what);
}

bool ProgrammingPanel::readBack(std::size_t partition, QString path) {
    if (isBusy() || !slotList_->hasRow(partition))
        return false;
    const Partition& p = document_->layout().partitions[partition];
    const QString what = tr("read %1").arg(q(p.label));
    auto spec = preflightJob(JobKind::Read, partition, what);
    if (!spec)
        return false;
    if (path.isEmpty() && prompts_ && prompts_->savePath)
        path = prompts_->savePath(this, tr("Read %1 into").arg(q(p.label)),
                                  q(p.label) + QStringLiteral(".bin"), imageSaveFilter(ImageFormat::Binary));
    if (path.isEmpty())
        return false;
    spec->kind = JobSpec::Kind::Read;
    if (!start(std::move(*spec), what))
        return false;
    readTarget_ = path;
    return true;
}

bool ProgrammingPanel::probe() {
    if (isBusy())
        return false;
    JobSpec spec;
    spec.kind = JobSpec::Kind::Probe;
    spec.layout = document_->layout();
    return start(std::move(spec), tr("check the connection"));
}

bool ProgrammingPanel::inspect() {
    if (isBusy())
        return false;
    JobSpec spec;
    spec.kind = JobSpec::Kind::Inspect;
    spec.layout = document_->layout();
    Layout snapshot = spec.layout;
    if (!start(std::move(spec), tr("inspect the target")))
        return false;
    inspectedWith_ = std::move(snapshot);
    return true;
}

void ProgrammingPanel::cancel() {
    if (!isBusy())
        return;
    runner_->cancel();
    progressText_->setText(tr("Cancelling…"));
    appendLog(tr("cancel requested"));
    refreshButtons();
}

bool ProgrammingPanel::start(JobSpec spec, const QString& what) {
    spec.makeBackend = backendFactory();
    if (!spec.makeBackend)
        return refuse(what, {tr("no backend named %1").arg(backendForm_->backendName())});
    const QString board = q(spec.layout.board.name);
    if (!runner_->start(std::move(spec)))
        return false;
    readTarget_.clear();
    connecting_ = connected_ = false;
    jobBoard_ = board;
    jobBackend_ = backendForm_->backendName();
    appendLog(QStringLiteral("— %1 with %2, %3")
                  .arg(what, jobBackend_, QDateTime::currentDateTime().toString(Qt::ISODate)));
    setConnection(tr("Connecting to %1…").arg(board), QString());
    showResult(tr("Running: %1").arg(what), false);
    progress_->setRange(0, 0);
    progressText_->setText(tr("connect"));
    refreshButtons();
    emit busyChanged(true);
    return true;
}

void ProgrammingPanel::onProgress(Phase phase, quint64 done, quint64 total, double bytesPerSecond) {
    connecting_ = true;
    if (phase != Phase::Connect && !connected_) {
        connected_ = true;
        setConnection(tr("Connected to %1 with %2").arg(jobBoard_, jobBackend_), kGreen);
    }
    if (total == 0) {
        progress_->setRange(0, 0);
    } else {
        progress_->setRange(0, 1000);
        progress_->setValue(static_cast<int>(done * 1000 / total));
    }
    if (!runner_->isCancelling())
        progressText_->setText(progressText(phase, done, total, bytesPerSecond));
}

void ProgrammingPanel::onFinished(const JobReport& report) {
    lastReport_ = report;
    const JobSpec::Kind kind = runner_->kind();
    QString summary = jobSummary(kind, report);
    bool failed = jobFailed(kind, report);
    if (kind == JobSpec::Kind::Read && report.ok() && !readTarget_.isEmpty()) {
        const std::string_view bytes(reinterpret_cast<const char*>(report.data.data()), report.data.size());
        if (auto w = writeFileAtomically(readTarget_.toStdString(), bytes); !w) {
            summary = tr("Failed: read %1 but could not save it: %2")
                          .arg(q(report.partition), q(w.error().toString()));
            failed = true;
        } else {
            summary += tr(" Saved to %1.").arg(readTarget_);
        }
    }
    readTarget_.clear();
    if (kind == JobSpec::Kind::Inspect && report.inspection && inspectedWith_) {
        for (const QString& line : inspectionLines(*inspectedWith_, *report.inspection))
            appendLog(line);
        document_->setInspection(*report.inspection, *inspectedWith_);
    }
    inspectedWith_.reset();
    progress_->setRange(0, 1000);
    progress_->setValue(report.ok() ? 1000 : progress_->value());
    progressText_->setText(!failed ? tr("Done") : report.cancelled() ? tr("Cancelled") : tr("Failed"));
    showResult(summary, failed);
    appendLog(summary);
    for (const QString& line : sectorLines(report))
        appendLog(line);

    if (connecting_ && !connected_ && report.error && !report.cancelled())
        setConnection(tr("Could not connect: %1").arg(q(report.error->message)), kRed);
    else if (connected_)
        setConnection(tr("Disconnected; %1 was reached with %2").arg(jobBoard_, jobBackend_), QString());
    else
        setConnection(tr("Not connected"), QString());
    connecting_ = connected_ = false;
    refreshButtons();
    emit busyChanged(false);
    emit jobFinished(report);
}

void ProgrammingPanel::appendLog(const QString& line) {
    log_->appendPlainText(line);
}

void ProgrammingPanel::showResult(const QString& text, bool error) {
    result_->setText(text);
    result_->setStyleSheet(error ? QStringLiteral("color: %1; font-weight: bold").arg(kRed) : QString());
    fitResult();
}

void ProgrammingPanel::fitResult() {
    // Up to as tall as the text at the width it has (at most six lines); at least two, scrolling the rest
    // when the dock is short.
    const int line = result_->fontMetrics().lineSpacing();
    const int width = resultArea_->viewport()->width();
    const int wanted = width > 0 ? result_->heightForWidth(width) : 2 * line;
    resultArea_->setMinimumHeight(2 * line + 2);
    resultArea_->setMaximumHeight(std::clamp(wanted, 2 * line, 6 * line) + 2);
}

void ProgrammingPanel::setConnection(const QString& text, const QString& color) {
    connection_->setText(text);
    connection_->setStyleSheet(color.isEmpty() ? QString() : QStringLiteral("color: %1").arg(color));
}

void ProgrammingPanel::resizeEvent(QResizeEvent* event) {
    // Side by side in a wide dock, stacked in a narrow one.
    splitter_->setOrientation(event->size().width() >= 760 ? Qt::Horizontal : Qt::Vertical);
    QWidget::resizeEvent(event);
    fitResult();
}

} // namespace flashplan::gui
