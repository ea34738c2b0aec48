// SPDX-License-Identifier: Apache-2.0
// Real files of ../shared/corpus opened in the editor, a few per source (Zephyr DTS, overlays, wolfBoot
// .config, pm_static.yml, partitions.csv): each must open without an error and show its map. A source
// whose format this build cannot read yet skips, naming it; the suite skips when the corpus is absent.
#include "../corpus/CorpusSupport.h"
#include "GuiTestSupport.h"

#include "io/Format.h"
#include "io/TextFile.h"

using namespace guitest;

class TestCorpusMaps : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() {
        isolateSettings();
        if (corpus::visibleDir().isEmpty())
            QSKIP("../shared/corpus/visible is absent");
    }

    void opensAndShows_data() {
        QTest::addColumn<QString>("input");
        for (const char* source : {"zephyr", "zephyr-overlay", "wolfboot", "nordic-pm", "esp-idf"}) {
            const auto entries = corpus::entries(QLatin1String(source));
            for (qsizetype i = 0; i < std::min<qsizetype>(3, entries.size()); ++i)
                QTest::newRow(qPrintable(QStringLiteral("%1/%2").arg(QLatin1String(source)).arg(i)))
                    << entries[i].input;
        }
    }

    void opensAndShows() {
        QFETCH(QString, input);
        const auto text = readTextFile(input.toStdString());
        QVERIFY(text);
        if (!detectFormat(*text, input.toStdString()))
            QSKIP(qPrintable(QStringLiteral("no importer for %1 in this build").arg(input)));
        Window w("zephyr-flash-map");
        QVERIFY2(w.window->openFile(input), qPrintable(w.answers.errors.join('\n')));
        QCOMPARE(w.scene()->lanes().size(), w.layout().board.devices.size());
        for (std::size_t i = 0; i < w.layout().partitions.size(); ++i)
            if (w.layout().board.device(w.layout().partitions[i].device))
                QVERIFY(w.scene()->partitionItem(i)->isVisible());
        QVERIFY(!w.view()->grab().isNull());
    }
};

QTEST_MAIN(TestCorpusMaps)
#include "tst_corpusmaps.moc"
