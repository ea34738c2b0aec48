// SPDX-License-Identifier: Apache-2.0
#include "db/ExampleLayouts.h"
#include "rules/AutoFix.h"

#include <QtTest>

using namespace flashplan;

class TestAutoFix : public QObject {
    Q_OBJECT

    DeviceDatabase db_ = *DeviceDatabase::builtin();

private slots:
    void repairsMisalignedPartitionsOneAtATime() {
        Layout l = *ExampleLayouts::load("wolfboot-stm32f407", db_);
        l.partitions[2].offset = 0x41000; // update: 4 KiB into sector 6
        l.partitions[3].size = 0x1f000;   // swap: ends 4 KiB short of sector 7's end
        const FixReport r = applyFixes(l);
        QCOMPARE(r.applied.size(), std::size_t(2));
        QCOMPARE(r.layout.partitions[2].offset, quint64(0x40000));
        QCOMPARE(r.layout.partitions[3].size, quint64(0x20000));
        QCOMPARE(countSeverities(r.remaining).errors, std::size_t(0));
    }

    void aCleanLayoutIsLeftAlone() {
        const Layout l = *ExampleLayouts::load("spark-core", db_);
        const FixReport r = applyFixes(l);
        QVERIFY(r.applied.empty());
        QVERIFY(r.layout == l);
    }

    void whatHasNoFixRemains() {
        Layout l = *ExampleLayouts::load("zephyr-flash-map", db_);
        l.partitions[3].offset = 0x70000; // slot1 overlaps slot0: no obvious repair
        const FixReport r = applyFixes(l);
        QVERIFY(r.applied.empty());
        QCOMPARE(countSeverities(r.remaining).errors, std::size_t(1));
        QCOMPARE(r.remaining.front().rule, std::string("generic.overlap"));
    }

    void roundsAreBounded() {
        Layout l = *ExampleLayouts::load("wolfboot-stm32f407", db_);
        l.partitions[2].offset = 0x41000;
        l.partitions[3].size = 0x1f000;
        QCOMPARE(applyFixes(l, 1).applied.size(), std::size_t(1));
    }
};

QTEST_APPLESS_MAIN(TestAutoFix)
#include "tst_autofix.moc"
