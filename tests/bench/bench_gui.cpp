// SPDX-License-Identifier: Apache-2.0
// bench_gui: the flash map at scale. A 256 MiB QSPI device of 65,536 4 KiB sectors with 64 partitions:
// the time to build the scene, to paint one frame fitted and zoomed until single sectors show (goal: under
// 8 ms), the same for a 12-sector device (the cost must not follow the sector count), the process's peak
// memory (goal: under 150 MB), and the time from process start to the first painted frame of the default
// layout (goal: under 0.5 s). Figures only, never timed assertions: `ctest -L bench -V`.
#include "BenchFigures.h"
#include "db/ExampleLayouts.h"
#include "document/LayoutDocument.h"
#include "views/flashmap/FlashMapScene.h"
#include "views/flashmap/FlashMapView.h"

#include <QElapsedTimer>
#include <QImage>
#include <QPainter>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <algorithm>
#include <map>
#include <sys/resource.h>

using namespace flashplan;
using namespace flashplan::gui;
using flashplan::bench::median;

namespace {

constexpr QSize kFrame{1280, 800};

Layout bigLayout() {
    Layout l;
    l.name = "benchmark: 256 MiB QSPI, 64 partitions";
    l.board.id = "bench";
    l.board.name = "Benchmark board";
    FlashDevice d;
    d.id = "qspi0";
    d.name = "256 MiB QSPI NOR";
    d.kind = FlashKind::Qspi;
    d.sectors = *SectorMap::uniform(65536, 0x1000);
    d.xip = XipWindow{0x90000000, 256ull << 20};
    l.board.devices.push_back(d);
    const PartitionRole roles[] = {PartitionRole::Boot, PartitionRole::Slot0, PartitionRole::Slot1,
                                   PartitionRole::Storage, PartitionRole::Custom};
    for (int i = 0; i < 64; ++i) {
        Partition p;
        p.label = "part_" + std::to_string(i);
        p.device = d.id;
        p.offset = static_cast<std::uint64_t>(i) * (4ull << 20);
        p.size = (4ull << 20) - (i % 3 == 0 ? 0x10000 : 0); // some free space between them
        p.role = roles[i % 5];
        l.partitions.push_back(p);
    }
    return l;
}

/// Milliseconds for one frame of `view` rendered into an image, median of `runs`.
double frameMs(FlashMapView& view, int runs = 60) {
    QImage image(kFrame * view.devicePixelRatioF(), QImage::Format_ARGB32_Premultiplied);
    image.setDevicePixelRatio(view.devicePixelRatioF());
    std::vector<double> ms;
    for (int i = 0; i < runs; ++i) {
        QElapsedTimer t;
        t.start();
        QPainter painter(&image);
        view.render(&painter);
        painter.end();
        ms.push_back(static_cast<double>(t.nsecsElapsed()) / 1e6);
    }
    return median(ms);
}

} // namespace

class BenchGui : public QObject {
    Q_OBJECT

    DeviceDatabase db_ = *DeviceDatabase::builtin();
    // QBENCHMARK may run a test function several times: one figure per key, the last one kept.
    std::map<QString, QString> figures_;
    std::vector<QString> order_;

    void figure(const QString& key, const QString& line) {
        if (!figures_.count(key))
            order_.push_back(key);
        figures_[key] = line;
    }

    /// A shown view of `layout`, zoomed to `pixelsPerSector` (0: fitted) and centred on the middle.
    struct Map {
        LayoutDocument doc;
        FlashMapScene scene{&doc};
        FlashMapView view{&scene};
        Map(const Layout& layout, double pixelsPerSector) {
            doc.reset(layout, QString(), QStringLiteral("bench"));
            view.resize(kFrame);
            view.show();
            QCoreApplication::processEvents();
            if (pixelsPerSector > 0) {
                const auto& sectors = layout.board.devices.front().sectors;
                view.setLaneLength(static_cast<double>(sectors.sectorCount()) * pixelsPerSector);
                const LaneGeometry& lane = scene.lanes().front();
                view.centerOn(lane.bodyRect().center().x(), lane.yOf(lane.size() / 2));
            }
            QCoreApplication::processEvents();
        }
    };

private slots:
    void buildScene() {
        LayoutDocument doc;
        doc.reset(bigLayout(), QString(), QStringLiteral("bench"));
        std::vector<double> ms;
        QBENCHMARK {
            QElapsedTimer t;
            t.start();
            FlashMapScene scene(&doc);
            scene.setViewportSize(kFrame);
            ms.push_back(static_cast<double>(t.nsecsElapsed()) / 1e6);
        }
        figure(QStringLiteral("build"),
               QStringLiteral("scene build, 256 MiB / 65,536 sectors / 64 partitions: %1 ms")
                   .arg(median(ms), 0, 'f', 3));
    }

    void paintFrame_data() {
        QTest::addColumn<QString>("layout");
        QTest::addColumn<double>("pixelsPerSector");
        QTest::newRow("256MiB-fitted") << QString() << 0.0;
        QTest::newRow("256MiB-sectors-8px") << QString() << 8.0;
        QTest::newRow("256MiB-sectors-40px") << QString() << 40.0;
        QTest::newRow("stm32f407-12-sectors-fitted") << QStringLiteral("wolfboot-stm32f407") << 0.0;
        QTest::newRow("zephyr-flash-map-fitted") << QStringLiteral("zephyr-flash-map") << 0.0;
    }

    void paintFrame() {
        QFETCH(QString, layout);
        QFETCH(double, pixelsPerSector);
        const Layout l = layout.isEmpty() ? bigLayout() : *ExampleLayouts::load(layout.toStdString(), db_);
        Map map(l, pixelsPerSector);
        QImage image(kFrame, QImage::Format_ARGB32_Premultiplied);
        QBENCHMARK {
            QPainter painter(&image);
            map.view.render(&painter);
        }
        figure(QString::fromUtf8(QTest::currentDataTag()),
               QStringLiteral("frame %1 (%2 sectors, lane %3 px): %4 ms")
                   .arg(QString::fromUtf8(QTest::currentDataTag()))
                   .arg(l.board.devices.front().sectors.sectorCount())
                   .arg(map.scene.laneLength(), 0, 'f', 0)
                   .arg(frameMs(map.view), 0, 'f', 3));
    }

    void startup() {
        std::vector<double> inside, outside, memory;
        const QTemporaryDir config; // the app reads its window state: never the user's
        for (int run = 0; run < 5; ++run) {
            QProcess app;
            QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
            env.insert(QStringLiteral("XDG_CONFIG_HOME"), config.path());
            if (!env.contains(QStringLiteral("QT_QPA_PLATFORM")))
                env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
            app.setProcessEnvironment(env);
            QElapsedTimer t;
            t.start();
            app.start(QStringLiteral(FLASHPLAN_APP), {QStringLiteral("--measure-startup")});
            QVERIFY(app.waitForReadyRead(30000));
            outside.push_back(static_cast<double>(t.nsecsElapsed()) / 1e9);
            QVERIFY(app.waitForFinished(30000));
            const QString line = QString::fromUtf8(app.readAllStandardOutput());
            // "first frame: 0.165 s after process start, 0.108 s after main(), peak memory 52.1 MB"
            const QStringList words = line.split(' ');
            if (words.size() > 13) {
                inside.push_back(words[2].toDouble());
                memory.push_back(words[13].toDouble());
            }
        }
        figure(
            QStringLiteral("startup"),
            QStringLiteral("startup to first painted frame (default layout): %1 s after process start "
                           "(measured by the app), %2 s from launch (measured here), median of 5; the app's "
                           "peak memory then: %3 MB")
                .arg(median(inside), 0, 'f', 3)
                .arg(median(outside), 0, 'f', 3)
                .arg(median(memory), 0, 'f', 1));
    }

    void cleanupTestCase() {
        rusage usage{};
        getrusage(RUSAGE_SELF, &usage);
        figure(QStringLiteral("memory"), QStringLiteral("peak memory of this process: %1 MB (ru_maxrss)")
                                             .arg(usage.ru_maxrss / 1024.0, 0, 'f', 1));
        qInfo() << "--- bench_gui figures ---";
        for (const QString& key : order_)
            qInfo().noquote() << figures_[key];
    }
};

QTEST_MAIN(BenchGui)
#include "bench_gui.moc"
