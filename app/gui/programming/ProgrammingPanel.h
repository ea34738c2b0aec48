// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "BackendRegistry.h"
#include "JobRunner.h"
#include "programming/SlotImage.h"
#include "util/Result.h"

#include <QWidget>

#include <cstddef>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <vector>

class QLabel;
class QPlainTextEdit;
class QProgressBar;
class QScrollArea;
class QCheckBox;
class QPushButton;
class QSplitter;

namespace flashplan::gui {

class BackendForm;
class LayoutDocument;
class SlotList;
struct UserPrompts;

/// The programming panel: a backend and its options, whether the target was reached, one row per
/// partition on a device of the board (the slots first, then the other writable partitions, then the
/// read-only and reserved ones) with its image file, what the image is and whether a flash would take it,
/// and a Flash button; Verify, Read back and Erase for the current row; progress with phase and speed,
/// Cancel, the outcome of the last job and a log.
///
/// A job runs on a JobRunner's worker thread with a snapshot of the layout and the image taken when it
/// starts, so the window (and the editor) stay live while it runs; the job is one the user already
/// confirmed by clicking, and it keeps to what was validated then, whatever is edited meanwhile. Every
/// job first passes the core's preflight (program/Preflight), the same one flashplan-cli asks: when it
/// refuses, nothing starts and its reasons are shown as the CLI prints them.
class ProgrammingPanel : public QWidget {
    Q_OBJECT
public:
    /// Makes the backend a job runs with (on the job's thread); the default is the registry's.
    using BackendMaker = std::function<std::unique_ptr<programmer::Backend>(
        const programmer::BackendKind&, const programmer::BackendOptions&)>;

    explicit ProgrammingPanel(LayoutDocument* document, QWidget* parent = nullptr);
    ~ProgrammingPanel() override;

    /// Where image files are chosen and read-backs saved (the window's prompts, which tests script).
    void setPrompts(const UserPrompts* prompts);
    /// Replaces how backends are made (tests wrap the simulator); an empty maker restores the default.
    void setBackendMaker(BackendMaker maker) { maker_ = std::move(maker); }

    BackendForm* backendForm() const { return backendForm_; }
    programmer::JobRunner* runner() const { return runner_; }
    SlotList* slotList() const { return slotList_; }
    /// The partitions with a row, by index in the layout, in row order.
    const std::vector<std::size_t>& rowPartitions() const;
    /// The Flash button of a partition's row; nullptr when it has no row.
    QPushButton* flashButton(std::size_t partition) const;
    /// The image of a partition as the panel describes it, with the preflight of `kind` (and the row's
    /// trailer choice).
    SlotImage slotImage(std::size_t partition, JobKind kind = JobKind::Flash, bool writeReadOnly = false);
    /// What a slot's MCUboot trailer is to hold after a flash (its row's choice); Default for others.
    TrailerChoice trailerChoice(std::size_t partition) const;
    void setTrailerChoice(std::size_t partition, TrailerChoice choice);
    QPushButton* probeButton() const { return probe_; }
    /// Inspect: what every partition of the target holds and what MCUboot does at the next boot.
    QPushButton* inspectButton() const { return inspect_; }
    QPushButton* chooseButton() const { return choose_; }
    QPushButton* verifyButton() const { return verify_; }
    QPushButton* readButton() const { return read_; }
    QPushButton* eraseButton() const { return erase_; }
    QPushButton* cancelButton() const { return cancel_; }
    /// Flash: erase and write every sector the image touches, whatever it holds (no compare).
    QCheckBox* fullBox() const { return full_; }
    /// Flash: reset the target afterwards so it runs the image.
    QCheckBox* resetBox() const { return reset_; }
    QProgressBar* progressBar() const { return progress_; }
    QLabel* progressLabel() const { return progressText_; }
    QLabel* connectionLabel() const { return connection_; }
    /// The outcome of the last job, or why the last request was refused.
    QLabel* resultLabel() const { return result_; }
    QPlainTextEdit* log() const { return log_; }
    /// The report of the last job that ran, if any.
    const std::optional<programmer::JobReport>& lastReport() const { return lastReport_; }
    bool isBusy() const;

    /// Makes a partition's row the current one (the buttons below the list act on it).
    void setCurrentPartition(std::size_t partition);
    std::optional<std::size_t> currentPartition() const;

    /// Assigns an image file to a partition as one undoable edit of the layout. Refused, with the reason
    /// shown, for a partition without a row (read-only, or not on the board).
    Result<void> assignImage(std::size_t partition, const QString& path);
    /// Asks for a file (the prompts) and assigns it to the current row's partition.
    void chooseImage();

    // Each starts a job and returns true, or refuses, shows why, and returns false; nothing starts while
    // another job runs.
    bool flash(std::size_t partition);
    bool verify(std::size_t partition);
    bool erase(std::size_t partition);
    /// Reads the partition into `path` (asked for with the prompts when empty).
    bool readBack(std::size_t partition, QString path = QString());
    /// Connects, lists the flash the target reports, disconnects.
    bool probe();
    /// Reads what each partition holds (headers, TLVs, trailers; each MCUboot image's hash) and what
    /// MCUboot will do at the next boot, writing nothing; the map shows it on each partition.
    bool inspect();
    void cancel();

signals:
    /// A job started or ended (the buttons follow).
    void busyChanged(bool busy);
    void jobFinished(const flashplan::programmer::JobReport& report);

protected:
    void resizeEvent(QResizeEvent* event) override;

private:
    void rebuildRows();
    void refreshButtons();
    void followSelection();
    bool refuse(const QString& what, const QStringList& reasons);
    bool start(programmer::JobSpec spec, const QString& what);
    /// The preflight of a job on a partition: a spec with its bytes (kind still to set), or nothing after
    /// showing the reasons.
    std::optional<programmer::JobSpec> preflightJob(JobKind kind, std::size_t partition, const QString& what);
    std::function<std::unique_ptr<programmer::Backend>()> backendFactory() const;
    void onProgress(programmer::Phase phase, quint64 done, quint64 total, double bytesPerSecond);
    void onFinished(const programmer::JobReport& report);
    void appendLog(const QString& line);
    void showResult(const QString& text, bool error);
    void fitResult();
    void setConnection(const QString& text, const QString& color);

    LayoutDocument* document_;
    const UserPrompts* prompts_ = nullptr;
    BackendMaker maker_;
    programmer::JobRunner* runner_;
    ImageFiles files_;
    std::map<std::string, TrailerChoice, std::less<>> trailerChoices_; ///< by partition label
    std::optional<programmer::JobReport> lastReport_;
    QString readTarget_;                  ///< where the running read job's bytes go
    std::optional<Layout> inspectedWith_; ///< the running inspect job's layout
    QString jobBoard_, jobBackend_;       ///< what the running job reaches, and how
    bool connecting_ = false;             ///< the running job began to connect
    bool connected_ = false;              ///< ... and got past it
    bool followingSelection_ = false;

    QSplitter* splitter_;
    BackendForm* backendForm_;
    QPushButton* probe_;
    QPushButton* inspect_;
    QLabel* connection_;
    SlotList* slotList_;
    QPushButton* choose_;
    QPushButton* verify_;
    QPushButton* read_;
    QPushButton* erase_;
    QCheckBox* full_;
    QCheckBox* reset_;
    QProgressBar* progress_;
    QLabel* progressText_;
    QPushButton* cancel_;
    QLabel* result_;
    QScrollArea* resultArea_ = nullptr;
    QPlainTextEdit* log_;
};

} // namespace flashplan::gui
