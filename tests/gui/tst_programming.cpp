// SPDX-License-Identifier: Apache-2.0
// The programming panel in the main window, with real widgets and the simulator backend in a throwaway
// folder: images assigned through the panel and by a file dropped on the map, Flash clicked, the bytes
// found in the simulator's device file; refusals (image too large, trailer, layout errors, read-only),
// Verify, Read back and Erase, and a cancel that ends with the sectors that may be partial.
#include "GatedBackend.h"
#include "GuiTestSupport.h"
#include "ImageFixtures.h"

#include "BackendRegistry.h"
#include "commands/LayoutEdits.h"
#include "desktop/AppSettings.h"
#include "document/Text.h"
#include "programming/BackendForm.h"
#include "programming/ProgrammingPanel.h"
#include "programming/SlotList.h"

#include <QCheckBox>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QMimeData>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTreeWidget>
#include <QUndoStack>

#include <fstream>
#include <iterator>

using namespace guitest;
using programmer::JobReport;
using programmer::SectorOutcome;

Q_DECLARE_METATYPE(flashplan::programmer::JobReport)

namespace {

constexpr std::uint64_t kSlot1 = 0x80000; // slot1_partition of zephyr-flash-map, 384 KiB

/// A simulator folder of its own for one test, named in $FLASHPLAN_SIM_DIR (the default backend's).
struct SimFolder {
    QTemporaryDir dir;
    SimFolder() { qputenv("FLASHPLAN_SIM_DIR", dir.path().toUtf8()); }
    std::filesystem::path device() const {
        return std::filesystem::path(dir.path().toStdString()) / "nrf52840dk_nrf52840" / "flash0.bin";
    }
    /// The simulated flash0, as the simulator keeps it; empty before the first job.
    fixtures::Bytes flash() const {
        std::ifstream in(device(), std::ios::binary);
        return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    }
    QString write(const QString& name, const fixtures::Bytes& bytes) const {
        const QString path = dir.filePath(name);
        std::ofstream(path.toStdString(), std::ios::binary)
            .write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
        return path;
    }
};

bool holds(const fixtures::Bytes& flash, std::uint64_t at, const fixtures::Bytes& image) {
    return flash.size() >= at + image.size() &&
           std::equal(image.begin(), image.end(), flash.begin() + static_cast<std::ptrdiff_t>(at));
}

/// The panel's row of a partition, or nullptr.
QTreeWidgetItem* rowOf(ProgrammingPanel* panel, std::size_t partition) {
    return panel->slotList()->rowOf(partition);
}

/// A file dragged from a file manager and dropped at a viewport point of the map.
void dropFile(QWidget* viewport, QPoint at, const QString& path) {
    QMimeData mime;
    mime.setUrls({QUrl::fromLocalFile(path)});
    QDragEnterEvent enter(at, Qt::CopyAction, &mime, Qt::NoButton, Qt::NoModifier);
    QCoreApplication::sendEvent(viewport, &enter);
    QDragMoveEvent move(at, Qt::CopyAction, &mime, Qt::NoButton, Qt::NoModifier);
    QCoreApplication::sendEvent(viewport, &move);
    QDropEvent drop(QPointF(at), Qt::CopyAction, &mime, Qt::NoButton, Qt::NoModifier);
    QCoreApplication::sendEvent(viewport, &drop);
}

/// Clicks a button and waits for the job it starts to end; the report, or none when nothing ended.
std::optional<JobReport> clickAndWait(ProgrammingPanel* panel, QPushButton* button) {
    QSignalSpy finished(panel, &ProgrammingPanel::jobFinished);
    QTest::mouseClick(button, Qt::LeftButton);
    if (!finished.wait(20000))
        return std::nullopt;
    return finished.at(0).at(0).value<JobReport>();
}

} // namespace

class TestProgramming : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() {
        isolateSettings();
        qRegisterMetaType<JobReport>();
    }

    void flashesAnImageAssignedInThePanel() {
        SimFolder sim;
        Window w("zephyr-flash-map");
        QCOMPARE(countSeverities(w.doc()->diagnostics()).errors, std::size_t(0));
        ProgrammingPanel* panel = w.window->programmingPanel();
        w.window->showProgrammingPanel();
        QCOMPARE(panel->backendForm()->backendName(), QStringLiteral("sim"));
        // Slots first, then the other writable partitions, then the read-only boot partition (it can be
        // read and verified; the preflight refuses to write it).
        const std::vector<std::size_t> rows = {w.index("slot0_partition"), w.index("slot1_partition"),
                                               w.index("storage_partition"), w.index("scratch_partition"),
                                               w.index("boot_partition")};
        QCOMPARE(panel->rowPartitions(), rows);

        const fixtures::Bytes image = fixtures::pattern(0x2400, 5);
        const QString file = sim.write(QStringLiteral("app update.bin"), image);
        const std::size_t slot1 = w.index("slot1_partition");
        QVERIFY(panel->assignImage(slot1, file));
        QCOMPARE(w.layout().partitions[slot1].image, file.toStdString());
        QCOMPARE(w.doc()->undoStack()->undoText(), QStringLiteral("Assign %1 to slot1_partition").arg(file));
        QTreeWidgetItem* row = rowOf(panel, slot1);
        QCOMPARE(row->text(0), QStringLiteral("slot1_partition\napp update.bin"));
        QVERIFY2(row->text(1).startsWith(QStringLiteral("bin · 9 KiB\nfits, ")), qPrintable(row->text(1)));

        QPushButton* flash = panel->flashButton(slot1);
        QVERIFY(flash && flash->isEnabled());
        const auto report = clickAndWait(panel, flash);
        QVERIFY(report);
        QVERIFY2(report->ok(), qPrintable(panel->resultLabel()->text()));
        QVERIFY(holds(sim.flash(), kSlot1, image));
        QCOMPARE(sim.flash()[kSlot1 + 0x2400], std::uint8_t(0xff)); // the rest of the last sector: erased
        QCOMPARE(report->sectors.size(), std::size_t(4)); // the image's 3, and the trailer's (erased)
        QVERIFY2(panel->resultLabel()->text().startsWith(QStringLiteral("Flashed slot1_partition in ")),
                 qPrintable(panel->resultLabel()->text()));
        QVERIFY2(panel->resultLabel()->text().contains(
                     QStringLiteral("4 sectors: 1 skipped (already held the image), 3 verified")),
                 qPrintable(panel->resultLabel()->text()));
        QVERIFY(panel->log()->toPlainText().contains(QStringLiteral("0x80000")));
        QVERIFY(panel->connectionLabel()->text().contains(QStringLiteral("was reached with sim")));
        QVERIFY(flash->isEnabled());

        // Again: every sector already holds the image and is skipped.
        const auto again = clickAndWait(panel, panel->flashButton(slot1));
        QVERIFY(again && again->ok());
        QCOMPARE(again->sectorsSkipped, std::size_t(4));
        QVERIFY2(panel->resultLabel()->text().contains(QStringLiteral("4 skipped")),
                 qPrintable(panel->resultLabel()->text()));
    }

    void aFileDroppedOnAPartitionIsItsImage() {
        SimFolder sim;
        Window w("zephyr-flash-map");
        ProgrammingPanel* panel = w.window->programmingPanel();
        const fixtures::Bytes image = fixtures::makeMcubootImage({});
        const QString file = sim.write(QStringLiteral("zephyr.signed.bin"), image);
        const std::size_t slot1 = w.index("slot1_partition");

        dropFile(w.viewport(), w.at("flash0", kSlot1 + 0x10000), file);
        QCOMPARE(w.layout().partitions[slot1].image, file.toStdString());
        QCOMPARE(panel->currentPartition(), std::optional<std::size_t>(slot1));
        QVERIFY(panel->isVisible()); // the drop brought the panel forward
        QTreeWidgetItem* row = rowOf(panel, slot1);
        QVERIFY2(row->text(1).startsWith(QStringLiteral("bin · MCUboot 1.2.3+4 · ")),
                 qPrintable(row->text(1)));

        const auto report = clickAndWait(panel, panel->flashButton(slot1));
        QVERIFY(report && report->ok());
        QVERIFY(holds(sim.flash(), kSlot1, image));

        // A read-only partition takes a file (to verify it), but the preflight refuses to flash it, as
        // flashplan-cli does, and nothing is written.
        const std::size_t boot = w.index("boot_partition");
        dropFile(w.viewport(), w.at("flash0", 0x8000), file);
        QCOMPARE(w.layout().partitions[boot].image, file.toStdString());
        QVERIFY2(rowOf(panel, boot)->text(0).startsWith(QStringLiteral("boot_partition (read-only)")),
                 qPrintable(rowOf(panel, boot)->text(0)));
        const fixtures::Bytes flashBefore = sim.flash();
        QVERIFY(!panel->flash(boot));
        QCOMPARE(w.answers.readOnlyAsked,
                 QStringList{QStringLiteral("boot_partition: flash boot_partition")});
        QVERIFY2(panel->resultLabel()->text().contains(QStringLiteral(
                     "[preflight.read-only] boot_partition is read-only; flash writes to it only when you "
                     "confirm it")),
                 qPrintable(panel->resultLabel()->text()));
        QCOMPARE(sim.flash(), flashBefore);
        // Confirmed, naming the partition, it is written (a bootloader into its own partition).
        w.answers.writeReadOnly = true;
        const auto written = clickAndWait(panel, panel->flashButton(boot));
        QVERIFY2(written && written->ok(), qPrintable(panel->resultLabel()->text()));
        QCOMPARE(w.answers.readOnlyAsked.size(), 2);
        QVERIFY(holds(sim.flash(), 0, image));
    }

    // The slot's row offers what its MCUboot trailer is to hold; "Request test" leaves the magic
    // imgtool's --pad leaves, so MCUboot swaps the image in at the next boot.
    void aSlotsRowRequestsAnUpgrade() {
        SimFolder sim;
        Window w("zephyr-flash-map");
        ProgrammingPanel* panel = w.window->programmingPanel();
        w.window->showProgrammingPanel();
        const std::size_t slot0 = w.index("slot0_partition"), slot1 = w.index("slot1_partition");
        QComboBox* secondary = panel->slotList()->trailerBox(slot1);
        QComboBox* primary = panel->slotList()->trailerBox(slot0);
        QVERIFY(secondary && primary);
        QVERIFY(!panel->slotList()->trailerBox(w.index("storage_partition")));
        QCOMPARE(secondary->count(), 4);
        QCOMPARE(primary->findText(QStringLiteral("Request test")), -1);
        QVERIFY(primary->findText(QStringLiteral("Confirm")) >= 0);

        QVERIFY(panel->assignImage(slot1, sim.write(QStringLiteral("v2.bin"), fixtures::pattern(0x1800, 7))));
        secondary = panel->slotList()->trailerBox(slot1); // the rows were built again
        secondary->setFocus();
        QTest::keyClick(secondary, Qt::Key_Down); // "Request test", chosen with the keyboard
        QTRY_COMPARE(panel->trailerChoice(slot1), TrailerChoice::Test);
        QCOMPARE(panel->slotList()->trailerBox(slot1)->currentText(), QStringLiteral("Request test"));

        const auto report = clickAndWait(panel, panel->flashButton(slot1));
        QVERIFY2(report && report->ok(), qPrintable(panel->resultLabel()->text()));
        const fixtures::Bytes flash = sim.flash();
        const std::uint8_t magic[16] = {0x77, 0xc2, 0x95, 0xf3, 0x60, 0xd2, 0xef, 0x7f,
                                        0x35, 0x52, 0x50, 0x0f, 0x2c, 0xb6, 0x79, 0x80};
        QVERIFY(std::equal(std::begin(magic), std::end(magic), flash.begin() + kSlot1 + 0x60000 - 16));
        QCOMPARE(flash[kSlot1 + 0x60000 - 24], std::uint8_t(0xff)); // image_ok unset: a test
        QVERIFY(panel->log()->toPlainText().contains(QStringLiteral("(a test request)")));

        // Back to the default: the next flash erases the request again.
        panel->setTrailerChoice(slot1, TrailerChoice::Default);
        QVERIFY(clickAndWait(panel, panel->flashButton(slot1)).value_or(JobReport{}).ok());
        QCOMPARE(sim.flash()[kSlot1 + 0x60000 - 1], std::uint8_t(0xff));
    }

    // Flash with "Request test" through the panel, then Inspect: the map shows the slot's version and
    // that MCUboot will swap it in at the next boot, as flashplan-cli inspect says; an edit that moves a
    // partition drops what no longer describes it.
    void inspectShowsTheSlotsVersionAndTheNextBootOnTheMap() {
        SimFolder sim;
        Window w("zephyr-flash-map");
        ProgrammingPanel* panel = w.window->programmingPanel();
        w.window->showProgrammingPanel();
        const std::size_t slot0 = w.index("slot0_partition"), slot1 = w.index("slot1_partition");
        const QString signedImage =
            QStringLiteral(FLASHPLAN_SOURCE_DIR "/tests/data/mcuboot/signed-ecdsa-p256.bin");
        QVERIFY(panel->assignImage(slot0, signedImage));
        QVERIFY(panel->assignImage(slot1, signedImage));
        QVERIFY(clickAndWait(panel, panel->flashButton(slot0)).value_or(JobReport{}).ok());
        panel->setTrailerChoice(slot1, TrailerChoice::Test);
        const auto flashed = clickAndWait(panel, panel->flashButton(slot1));
        QVERIFY2(flashed && flashed->ok(), qPrintable(panel->resultLabel()->text()));
        QVERIFY(w.item("slot1_partition")->badges().isEmpty()); // nothing inspected yet

        QVERIFY(panel->inspectButton()->isEnabled());
        const auto inspected = clickAndWait(panel, panel->inspectButton());
        QVERIFY2(inspected && inspected->ok() && inspected->inspection,
                 qPrintable(panel->resultLabel()->text()));
        QVERIFY2(panel->resultLabel()->text().contains(QStringLiteral("image 0 at the next boot: test")),
                 qPrintable(panel->resultLabel()->text()));
        const QString log = panel->log()->toPlainText();
        QVERIFY2(
            log.contains(QStringLiteral("slot1_partition: MCUboot 1.2.3+0, ")) &&
                log.contains(QStringLiteral("SHA256 matches; trailer: magic good, image_ok unset")) &&
                log.contains(QStringLiteral("image 0 (slot0_partition, slot1_partition): next boot: test")),
            qPrintable(log));
        QCOMPARE(w.item("slot1_partition")->badges(),
                 (QStringList{QStringLiteral("v1.2.3+0"), QStringLiteral("will swap at next boot (test)")}));
        QCOMPARE(w.item("slot0_partition")->badges(), QStringList{QStringLiteral("v1.2.3+0")});
        QCOMPARE(w.item("scratch_partition")->badges(), QStringList{QStringLiteral("erased")});

        // The tag is drawn: the amber of "will swap" shows inside slot1's block on screen.
        w.centreOn("flash0", kSlot1 + 0x30000);
        const QImage shot = w.viewport()->grab().toImage();
        const QRect block = w.view()
                                ->mapFromScene(w.item("slot1_partition")->sceneBoundingRect())
                                .boundingRect()
                                .intersected(shot.rect());
        int amber = 0;
        for (int y = block.top(); y <= block.bottom(); ++y)
            for (int x = block.left(); x <= block.right(); ++x)
                amber += shot.pixelColor(x, y) == QColor(255, 193, 7);
        QVERIFY2(amber > 100, qPrintable(QString::number(amber)));

        // Choosing an image keeps the findings; moving a partition drops them all.
        QVERIFY(panel->assignImage(w.index("storage_partition"), signedImage));
        QVERIFY(w.doc()->inspection().has_value());
        QVERIFY(edits::editPartitionField(*w.doc(), w.index("storage_partition"), edits::PartitionField::Size,
                                          "0x1000"));
        QVERIFY(!w.doc()->inspection().has_value());
        QVERIFY(w.item("slot1_partition")->badges().isEmpty());
        // Undo puts the places back, but what was read then is not known to still be there.
        w.doc()->undoStack()->undo();
        QVERIFY(!w.doc()->inspection().has_value());
    }

    void aRelativeImagePathIsTakenFromTheLayoutsFolder() {
        SimFolder sim;
        Window w("zephyr-flash-map");
        const fixtures::Bytes image = fixtures::pattern(0x800, 4);
        QVERIFY(QDir(sim.dir.path()).mkpath(QStringLiteral("build")));
        const QString file = sim.write(QStringLiteral("build/app.bin"), image);
        Layout layout = w.layout();
        const std::size_t slot1 = w.index("slot1_partition");
        layout.partitions[slot1].image = "build/app.bin";
        w.doc()->reset(layout, sim.dir.filePath(QStringLiteral("board.flashplan")),
                       QStringLiteral("board.flashplan"));
        ProgrammingPanel* panel = w.window->programmingPanel();
        QCOMPARE(panel->slotImage(slot1).path, file);
        QVERIFY(panel->slotImage(slot1).fits);
        QVERIFY(clickAndWait(panel, panel->flashButton(slot1)).value_or(JobReport{}).ok());
        QVERIFY(holds(sim.flash(), kSlot1, image));
    }

    void anImageTooLargeForItsSlotIsRefused() {
        SimFolder sim;
        Window w("zephyr-flash-map");
        ProgrammingPanel* panel = w.window->programmingPanel();
        const std::size_t slot1 = w.index("slot1_partition");

        // One byte past the slot's end, into the scratch partition.
        QVERIFY(
            panel->assignImage(slot1, sim.write(QStringLiteral("big.bin"), fixtures::pattern(0x60001, 1))));
        QVERIFY2(rowOf(panel, slot1)->text(1).endsWith(QStringLiteral("\ndoes not fit")),
                 qPrintable(rowOf(panel, slot1)->text(1)));
        QTest::mouseClick(panel->flashButton(slot1), Qt::LeftButton);
        QCoreApplication::processEvents();
        QVERIFY(!panel->isBusy());
        QVERIFY(!panel->lastReport());
        QString text = panel->resultLabel()->text();
        QVERIFY2(text.startsWith(QStringLiteral("Refused: flash slot1_partition; nothing was started.")),
                 qPrintable(text));
        QVERIFY2(text.contains(QStringLiteral("scratch_partition")), qPrintable(text));

        // Inside the slot, but into the MCUboot trailer at its end: refused too, saying so.
        QVERIFY(panel->assignImage(
            slot1, sim.write(QStringLiteral("tight.bin"), fixtures::pattern(0x60000 - 0x10, 2))));
        QVERIFY2(rowOf(panel, slot1)->text(1).endsWith(QStringLiteral(" too large")),
                 qPrintable(rowOf(panel, slot1)->text(1)));
        QTest::mouseClick(panel->flashButton(slot1), Qt::LeftButton);
        QCoreApplication::processEvents();
        QVERIFY(!panel->isBusy());
        text = panel->resultLabel()->text();
        QVERIFY2(text.contains(QStringLiteral("trailer")), qPrintable(text));
        QVERIFY(!panel->lastReport());
        QVERIFY(!std::filesystem::exists(sim.device())); // no job ever reached the simulator
    }

    void aLayoutWithErrorsRefusesToFlash() {
        SimFolder sim;
        Window w("zephyr-flash-map");
        ProgrammingPanel* panel = w.window->programmingPanel();
        const std::size_t slot1 = w.index("slot1_partition");
        QVERIFY(
            panel->assignImage(slot1, sim.write(QStringLiteral("app.bin"), fixtures::pattern(0x1000, 3))));
        // storage grows into slot0: an overlap, which the generic rules call an error.
        QVERIFY(edits::editPartitionField(*w.doc(), w.index("storage_partition"), edits::PartitionField::Size,
                                          "0x4000"));
        QVERIFY(countSeverities(w.doc()->diagnostics()).errors > 0);

        QTest::mouseClick(panel->flashButton(slot1), Qt::LeftButton);
        QCoreApplication::processEvents();
        QVERIFY(!panel->isBusy());
        const QString text = panel->resultLabel()->text();
        QVERIFY2(text.contains(QStringLiteral("[preflight.layout-errors] the layout has 1 error")),
                 qPrintable(text));
        QVERIFY2(text.contains(QStringLiteral("[generic.overlap]")), qPrintable(text));
        QVERIFY(!std::filesystem::exists(sim.device()));
        // Erasing is refused for the same reason.
        panel->setCurrentPartition(slot1);
        QTest::mouseClick(panel->eraseButton(), Qt::LeftButton);
        QVERIFY(!panel->isBusy());
        QVERIFY(panel->resultLabel()->text().startsWith(QStringLiteral("Refused: erase slot1_partition")));

        w.doc()->undoStack()->undo();
        // The image's sector and the MCUboot trailer's.
        QVERIFY(clickAndWait(panel, panel->flashButton(slot1)).value_or(JobReport{}).sectors.size() == 2);
    }

    void verifyReadBackAndErase() {
        SimFolder sim;
        Window w("zephyr-flash-map");
        ProgrammingPanel* panel = w.window->programmingPanel();
        const std::size_t slot1 = w.index("slot1_partition");
        const fixtures::Bytes image = fixtures::pattern(0x1800, 9);
        QVERIFY(panel->assignImage(slot1, sim.write(QStringLiteral("app.bin"), image)));
        QVERIFY(clickAndWait(panel, panel->flashButton(slot1)).value_or(JobReport{}).ok());

        panel->setCurrentPartition(slot1);
        auto verified = clickAndWait(panel, panel->verifyButton());
        QVERIFY(verified && verified->ok());
        QVERIFY2(
            panel->resultLabel()->text().startsWith(QStringLiteral("slot1_partition holds the image in ")),
            qPrintable(panel->resultLabel()->text()));
        QVERIFY(panel->resultLabel()->text().contains(QStringLiteral("2 sectors: 2 hold the image.")));

        w.answers.savePath = sim.dir.filePath(QStringLiteral("slot1 read.bin"));
        auto read = clickAndWait(panel, panel->readButton());
        QVERIFY(read && read->ok());
        std::ifstream in(w.answers.savePath.toStdString(), std::ios::binary);
        const fixtures::Bytes saved{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
        QCOMPARE(saved.size(), std::size_t(0x60000));
        QVERIFY(holds(saved, 0, image));
        QVERIFY(panel->resultLabel()->text().contains(QStringLiteral("Saved to")));

        auto erased = clickAndWait(panel, panel->eraseButton());
        QVERIFY(erased && erased->ok());
        QCOMPARE(sim.flash()[kSlot1], std::uint8_t(0xff));

        auto differs = clickAndWait(panel, panel->verifyButton());
        QVERIFY(differs && differs->mismatches().size() == 2);
        const QString text = panel->resultLabel()->text();
        QVERIFY2(text.startsWith(QStringLiteral("Verify failed: slot1_partition does not hold the image; "
                                                "differing sectors: 0x80000 (erased), 0x81000 (erased).")),
                 qPrintable(text));
        QVERIFY2(text.contains(QStringLiteral("2 sectors: 2 are erased")), qPrintable(text));
        QCOMPARE(panel->progressLabel()->text(), QStringLiteral("Failed"));
    }

    void fullModeRewritesWhatSmartFlashingSkips() {
        SimFolder sim;
        Window w("zephyr-flash-map");
        ProgrammingPanel* panel = w.window->programmingPanel();
        w.window->showProgrammingPanel();
        const std::size_t slot1 = w.index("slot1_partition");
        QVERIFY(
            panel->assignImage(slot1, sim.write(QStringLiteral("full.bin"), fixtures::pattern(0x2000, 3))));
        QVERIFY(clickAndWait(panel, panel->flashButton(slot1)).value_or(JobReport{}).ok());
        const auto smart = clickAndWait(panel, panel->flashButton(slot1));
        QVERIFY(smart && smart->ok());
        QCOMPARE(smart->sectorsSkipped, std::size_t(3)); // the image's two, the trailer's (erased)
        QCOMPARE(smart->bytesErased, std::uint64_t(0));
        panel->fullBox()->setChecked(true);
        const auto full = clickAndWait(panel, panel->flashButton(slot1));
        QVERIFY(full && full->ok());
        QCOMPARE(full->sectorsSkipped, std::size_t(0));
        QCOMPARE(full->bytesErased, std::uint64_t(0x3000));
        QCOMPARE(full->bytesWritten, std::uint64_t(0x2000));
    }

    void cancelEndsCancelledWithTheSectorsThatMayBePartial() {
        SimFolder sim;
        Window w("zephyr-flash-map");
        ProgrammingPanel* panel = w.window->programmingPanel();
        w.window->showProgrammingPanel();
        const std::size_t slot1 = w.index("slot1_partition");
        // An older image first, so that the new one has to erase every sector it touches.
        QVERIFY(
            panel->assignImage(slot1, sim.write(QStringLiteral("old.bin"), fixtures::pattern(0x3000, 1))));
        QVERIFY(clickAndWait(panel, panel->flashButton(slot1)).value_or(JobReport{}).ok());
        const fixtures::Bytes image = fixtures::pattern(0x3000, 2);
        QVERIFY(panel->assignImage(slot1, sim.write(QStringLiteral("new.bin"), image)));

        auto gate = std::make_shared<testsupport::Gate>();
        panel->setBackendMaker([gate](const programmer::BackendKind&, const programmer::BackendOptions&) {
            return std::make_unique<testsupport::GatedBackend>(programmer::SimulatorBackend::defaultFolder(),
                                                               gate);
        });
        QSignalSpy finished(panel, &ProgrammingPanel::jobFinished);
        QTest::mouseClick(panel->flashButton(slot1), Qt::LeftButton);
        QTRY_VERIFY(gate->entered); // the first sector's write is under way
        QVERIFY(panel->isBusy());
        QVERIFY(!panel->flashButton(slot1)->isEnabled());
        QVERIFY(panel->cancelButton()->isEnabled());
        // The window stays live: the layout can be edited while the job runs on its snapshot.
        QVERIFY(edits::editPartitionField(*w.doc(), w.index("storage_partition"), edits::PartitionField::Size,
                                          "0x1000"));

        QTest::mouseClick(panel->cancelButton(), Qt::LeftButton);
        QVERIFY(!panel->cancelButton()->isEnabled());
        QVERIFY(finished.wait(20000));
        const JobReport report = finished.at(0).at(0).value<JobReport>();
        QVERIFY(report.cancelled());
        QCOMPARE(report.sectors.size(), std::size_t(4)); // the image's 3, the trailer's (erased: skipped)
        QCOMPARE(report.sectors[0].outcome, SectorOutcome::MaybePartial);
        QCOMPARE(report.sectors[1].outcome, SectorOutcome::Erased);
        const QString text = panel->resultLabel()->text();
        QVERIFY2(text.startsWith(QStringLiteral("Cancelled: flash slot1_partition stopped after")),
                 qPrintable(text));
        QVERIFY2(text.contains(QStringLiteral(
                     "4 sectors: 1 skipped (already held the image), 2 erased, 1 maybe partial")),
                 qPrintable(text));
        QVERIFY2(text.contains(QStringLiteral("Content unknown (maybe partial): 0x80000 (4 KiB)")),
                 qPrintable(text));
        QCOMPARE(panel->progressLabel()->text(), QStringLiteral("Cancelled"));
        QVERIFY(!panel->connectionLabel()->text().contains(QStringLiteral("Could not connect")));
        QVERIFY(panel->flashButton(slot1)->isEnabled());

        // Flashed again, the slot holds the new image.
        panel->setBackendMaker({});
        QVERIFY(clickAndWait(panel, panel->flashButton(slot1)).value_or(JobReport{}).ok());
        QVERIFY(holds(sim.flash(), kSlot1, image));
    }

    void theBackendFormIsBuiltFromTheDeclarations() {
        // Nothing in the form names a backend or an option: every field comes from the declarations, so a
        // new option shows up, with its label, placeholder and help, and reaches the backend's options.
        Window w("zephyr-flash-map");
        BackendForm* form = w.window->programmingPanel()->backendForm();
        QCOMPARE(form->backendBox()->count(), int(programmer::allBackends().size()));
        for (const programmer::BackendKind& kind : programmer::allBackends()) {
            QVERIFY(form->setBackend(q(kind.name)));
            QCOMPARE(form->backendBox()->currentText(), q(kind.title));
            QCOMPARE(form->deviceBox() != nullptr, kind.devices != nullptr);
            QStringList labels;
            for (const QLabel* label : form->findChildren<QLabel*>())
                labels << label->text();
            for (const programmer::BackendOption& o : programmer::allBackendOptions()) {
                QLineEdit* field = form->field(o.option->key);
                QCOMPARE(field != nullptr, kind.option(o.option->key) != nullptr);
                if (o.backend != &kind)
                    continue;
                QCOMPARE(field->placeholderText(), q(o.option->placeholder));
                QCOMPARE(field->toolTip(), q(o.option->help));
                QVERIFY2(labels.contains(q(o.option->label)), qPrintable(labels.join(QLatin1Char(','))));
                const QString was = field->text();
                field->setText(QStringLiteral("typed for --%1").arg(q(o.option->cliName)));
                QCOMPARE(form->options().get(o.option->key), "typed for --" + std::string(o.option->cliName));
                field->setText(was);
            }
        }
        QVERIFY(form->setBackend(QStringLiteral("sim")));
        QLineEdit* folder = form->field("folder");
        QVERIFY(folder);
        folder->setText(QStringLiteral("/tmp/sims"));
        QCOMPARE(form->options().get("folder"), std::string("/tmp/sims"));

        // The board's hints fill the OpenOCD configs (shown when OpenOCD is chosen), and follow the board.
        QVERIFY(form->setBackend(QStringLiteral("openocd")));
        QCOMPARE(form->options().get("interface"), std::string("interface/jlink.cfg"));
        QCOMPARE(form->options().get("target"), std::string("target/nrf52.cfg"));
        QCOMPARE(form->field("target")->text(), QStringLiteral("target/nrf52.cfg"));
        QVERIFY(w.window->openExample(QStringLiteral("wolfboot-stm32f407")));
        QCOMPARE(form->options().get("target"), std::string("target/stm32f4x.cfg"));
        QCOMPARE(form->options().get("interface"), std::string("interface/stlink.cfg"));
        QCOMPARE(form->field("interface")->text(), QStringLiteral("interface/stlink.cfg"));
        // Values typed for one backend stay while another is chosen.
        QVERIFY(form->setBackend(QStringLiteral("sim")));
        QCOMPARE(form->options().get("folder"), std::string("/tmp/sims"));
        QCOMPARE(form->options().get("interface"), std::string());
    }

    void anUnknownRememberedBackendFallsBackToTheSimulator() {
        // A choice saved by a build with another backend: the simulator is used, and the choice is kept.
        QSettings(kSettingsOrganization, kSettingsApplication)
            .setValue(QStringLiteral("programming/backend"), QStringLiteral("no-such-backend"));
        {
            Window w("zephyr-flash-map");
            QCOMPARE(w.window->programmingPanel()->backendForm()->backendName(), QStringLiteral("sim"));
        }
        QCOMPARE(QSettings(kSettingsOrganization, kSettingsApplication)
                     .value(QStringLiteral("programming/backend")),
                 QVariant(QStringLiteral("no-such-backend")));
        QSettings(kSettingsOrganization, kSettingsApplication).remove(QStringLiteral("programming/backend"));
    }
};

QTEST_MAIN(TestProgramming)
#include "tst_programming.moc"
