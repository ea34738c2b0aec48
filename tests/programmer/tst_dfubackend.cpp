// SPDX-License-Identifier: Apache-2.0
// DfuBackend through real libusb against the emulated DFU devices on a umockdev bus: download, upload,
// verify and leave on each device kind, smart flashing, run-time detach, and the faults.
#include "DfuTestSupport.h"
#include "Jobs.h"
#include "UmockdevDfuBus.h"
#include "backends/dfu/DfuBackend.h"

#include <QtTest>

using namespace flashplan;
using namespace flashplan::emu;
using namespace flashplan::programmer;
using namespace flashplan::testing;

namespace {

JobReport flash(DfuBackend& backend, const Layout& layout, const std::string& label,
                const std::vector<std::uint8_t>& image, JobContext& ctx, bool reset = false) {
    FlashRequest r;
    r.layout = &layout;
    r.partition = static_cast<std::size_t>(layout.indexOf(label));
    r.offset = layout.partitions[r.partition].offset;
    r.data = image;
    r.reset = reset;
    return flashPartition(backend, r, ctx);
}

std::string errorOf(const JobReport& r) {
    return r.error ? r.error->toString() : std::string("no error");
}

} // namespace

class TestDfuBackend : public QObject {
    Q_OBJECT
private slots:
    void stm32f4DownloadUploadVerifyLeave() {
        UmockdevDfuBus bus;
        EmulatedDfuDevice& device = bus.plug(stm32f4Bootloader());
        const auto before = background(1024 * 1024);
        device.loadMemory(0, before);
        const Layout layout = f4Layout();
        const auto image = randomBytes(40000, 1);

        DfuBackend backend;
        JobContext ctx;
        const JobReport report = flash(backend, layout, "slot0_partition", image, ctx, true);
        QVERIFY2(report.ok(), errorOf(report).c_str());
        const DfuCounters c = device.counters();
        QCOMPARE(c.pageErases, 3u); // sectors 2, 3 and 4: only those the image touches
        QCOMPARE(c.leaves, 1u);
        QCOMPARE(c.leaveAddress, std::optional<std::uint32_t>(0x08000000));
        QCOMPARE(c.earlyPolls, 0u);
        QVERIFY(bus.gone(1));

        auto expected = before;
        std::fill(expected.begin() + 0x8000, expected.begin() + 0x20000, 0xff);
        std::copy(image.begin(), image.end(), expected.begin() + 0x8000);
        QVERIFY(device.memory(0) == expected);
    }
};

FLASHPLAN_UMOCKDEV_TEST_MAIN(TestDfuBackend)
#include "tst_dfubackend.moc"
