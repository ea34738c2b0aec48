// SPDX-License-Identifier: Apache-2.0
// The file dialogs' name filters come from the core's tables (the image endings of image/ImageFormat, the
// importable layout formats), and the programming panel asks with them.
#include "GuiTestSupport.h"
#include "desktop/FileFilters.h"
#include "document/Text.h"
#include "image/ImageFormat.h"
#include "programming/ProgrammingPanel.h"
#include "programming/SlotList.h"

#include <QPushButton>

using namespace guitest;

namespace {

/// The filter of a ";;" list that starts with `title (`.
QString filterTitled(const QString& filters, const QString& title) {
    for (const QString& f : filters.split(QStringLiteral(";;")))
        if (f.startsWith(title + QStringLiteral(" (")))
            return f;
    return {};
}

QPushButton* button(QWidget* parent, const QString& text) {
    for (QPushButton* b : parent->findChildren<QPushButton*>())
        if (b->text() == text)
            return b;
    return nullptr;
}

} // namespace

class TestFileFilters : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { isolateSettings(); }

    void imageFiltersListEveryEndingOfTheTable() {
        const QString filters = imageOpenFilter();
        const QStringList parts = filters.split(QStringLiteral(";;"));
        QVERIFY2(parts.first().startsWith(QStringLiteral("Firmware images (")), qPrintable(filters));
        QCOMPARE(parts.last(), QStringLiteral("All files (*)"));
        QCOMPARE(parts.size(), 1 + 4 + 1); // all endings, one per format, all files
        for (const ImageExtension& e : imageExtensions()) {
            const QString pattern = QStringLiteral("*") + q(e.suffix);
            QVERIFY2(parts.first().contains(pattern), qPrintable(pattern));
            const QString own = filterTitled(filters, q(imageFormatTitle(e.format)));
            QVERIFY2(own.contains(pattern), qPrintable(own + " lacks " + pattern));
        }
        QCOMPARE(filterTitled(filters, QStringLiteral("Intel HEX")),
                 QStringLiteral("Intel HEX (*.hex *.ihex *.ihx)"));
        QCOMPARE(imageSaveFilter(ImageFormat::Binary), QStringLiteral("Raw binary (*.bin);;All files (*)"));
    }

    void layoutFiltersListEveryImportableFormat() {
        const QString filters = openFilter();
        for (const Format& f : allFormats()) {
            const QString own = filterTitled(filters, q(f.title));
            QCOMPARE(own.isEmpty(), !f.importer);
            if (f.importer)
                QCOMPARE(own, formatFilter(f));
        }
        QVERIFY(filters.endsWith(QStringLiteral(";;All files (*)")));
    }

    void theProgrammingPanelAsksWithThem() {
        Window w("zephyr-flash-map");
        QString opened, saved;
        UserPrompts prompts = w.answers.prompts();
        prompts.openPath = [&](QWidget*, const QString&, const QString& filter) {
            opened = filter;
            return QString(); // cancelled: nothing is assigned
        };
        prompts.savePath = [&](QWidget*, const QString&, const QString&, const QString& filter) {
            saved = filter;
            return QString();
        };
        w.window->setPrompts(prompts);
        w.window->showProgrammingPanel();
        ProgrammingPanel* panel = w.window->programmingPanel();
        panel->slotList()->setCurrentItem(panel->slotList()->rowOf(w.index("slot1_partition")));
        QPushButton* choose = button(panel, QStringLiteral("Image…"));
        QPushButton* read = button(panel, QStringLiteral("Read back…"));
        QVERIFY(choose && read);
        QTest::mouseClick(choose, Qt::LeftButton);
        QCOMPARE(opened, imageOpenFilter());
        QTest::mouseClick(read, Qt::LeftButton);
        QCOMPARE(saved, imageSaveFilter(ImageFormat::Binary));
    }
};

QTEST_MAIN(TestFileFilters)
#include "tst_filefilters.moc"
