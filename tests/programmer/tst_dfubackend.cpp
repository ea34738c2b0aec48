// SPDX-License-Identifier: Apache-2.0
// DfuBackend through real libusb against the emulated DFU devices on a umockdev bus: download, upload,
// verify and leave on each device kind, run-time detach, plain DFU, device selection, and the faults of
// the DFU protocol (errVERIFY, a long bwPollTimeout). What every backend does alike (smart flashing, one
// changed sector, cancel, refused ranges, a vanished or stalling device) is in tst_backend_conformance.
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

/// Short limits, so a fault ends in seconds.
DfuBackendOptions quick() {
    DfuBackendOptions o;
    o.timeouts.transfer = std::chrono::milliseconds(2000);
    o.timeouts.busy = std::chrono::milliseconds(1500);
    o.reenumeration = std::chrono::milliseconds(3000);
    return o;
}

/// The emulated flash after a slot was written: `before` with the sectors [from, to) erased and the
/// image at `at`.
std::vector<std::uint8_t> expectedAfter(std::vector<std::uint8_t> before, std::size_t from, std::size_t to,
                                        std::size_t at, const std::vector<std::uint8_t>& image) {
    std::fill(before.begin() + static_cast<std::ptrdiff_t>(from),
              before.begin() + static_cast<std::ptrdiff_t>(to), 0xff);
    std::copy(image.begin(), image.end(), before.begin() + static_cast<std::ptrdiff_t>(at));
    return before;
}

/// Runs a fault: the job must fail with the error of that fault (its code and a message saying `says`), and
/// leave every byte outside [from, to) as it was. The code tells which mechanism ended the job: a fault
/// that were only noticed when a timeout ran out would end in Errc::Timeout and a message about waiting.
void checkFault(const DfuFaults& faults, const char* says, Errc code, bool duringWrites = true) {
    UmockdevDfuBus bus;
    EmulatedDfuDevice& device = bus.plug(stm32f4Bootloader());
    const auto before = background(1024 * 1024);
    device.loadMemory(0, before);
    device.setFaults(faults);
    const Layout layout = f4Layout();
    DfuBackend backend(quick());
    JobContext ctx;
    const JobReport report = flash(backend, layout, "slot0_partition", randomBytes(40000, 7), ctx);
    QVERIFY(!report.ok());
    QCOMPARE(report.error->code, code);
    QVERIFY2(report.error->message.find(says) != std::string::npos, report.error->message.c_str());
    QCOMPARE(!report.maybePartial().empty(), duringWrites);
    const auto after = device.memory(0);
    QVERIFY(std::equal(after.begin(), after.begin() + 0x8000, before.begin()));
    QVERIFY(std::equal(after.begin() + 0x20000, after.end(), before.begin() + 0x20000));
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

    void stm32f4ReadsBackAndDescribesItsFlash() {
        UmockdevDfuBus bus;
        EmulatedDfuDevice& device = bus.plug(stm32f4Bootloader());
        const auto content = randomBytes(1024 * 1024, 2);
        device.loadMemory(0, content);
        const Layout layout = f4Layout();
        DfuBackend backend;
        JobContext ctx;
        const JobReport read = readPartition(backend, layout, 2, ctx);
        QVERIFY2(read.ok(), errorOf(read).c_str());
        QVERIFY(std::equal(read.data.begin(), read.data.end(), content.begin() + 0x20000));
        QCOMPARE(read.data.size(), std::size_t(0x20000));

        QVERIFY(backend.connect(layout.board, ctx));
        auto described = backend.describe(ctx);
        QVERIFY(described);
        QCOMPARE(described->size(), std::size_t(4)); // flash, option bytes, OTP, device feature
        QCOMPARE(described->front().id, std::string("flash0"));
        QVERIFY(described->front().sectors == layout.board.devices.front().sectors);
        QCOMPARE(described->front().cpuBase, std::optional<std::uint64_t>(0x08000000));
        backend.disconnect();
    }

    void faultErrVerify() {
        DfuFaults f;
        f.verifyErrorAtBlock = 2;
        checkFault(f, "errVERIFY", Errc::Io);
    }
    void faultLongPollTimeout() {
        // The first command (setting the address to compare) asks for a minute: refused at once, before
        // any wait (a client that waited would have found the device idle after the minute).
        DfuFaults f;
        f.pollTimeoutMs = 60000;
        checkFault(f, "asks to wait 60000 ms", Errc::Timeout, false);
    }

    void pollTimeoutsAreHonouredExactly() {
        // F4 timing at 1/10: every erase and block keeps the device busy. What the device records says
        // whether the client honoured bwPollTimeout: it never polled before the busy state was over, and
        // the busy states are exactly the operations the image needs, for as long as the datasheet says.
        // (That the client waits exactly what is asked, no longer, is checked in tst_dfuprotocol with its
        // waits recorded; wall time on a loaded machine says nothing about it.)
        constexpr double kScale = 0.1;
        UmockdevDfuBus bus;
        EmulatedDfuDevice& device = bus.plug(stm32f4Bootloader(), {.runtime = false, .timeScale = kScale});
        device.loadMemory(0, background(1024 * 1024)); // not erased: both sectors must be erased first
        const Layout layout = f4Layout();
        DfuBackend backend;
        JobContext ctx;
        const JobReport r = flash(backend, layout, "slot0_partition", randomBytes(0x8000, 4), ctx);
        QVERIFY2(r.ok(), errorOf(r).c_str());
        const DfuCounters c = device.counters();
        QCOMPARE(c.earlyPolls, 0u);
        // Two 16 KiB sectors erased, sixteen 2 KiB blocks written.
        const DeviceTiming& t = device.profile().timing;
        const auto scaled = [&](std::chrono::microseconds d) {
            return std::chrono::microseconds(
                static_cast<std::int64_t>(static_cast<double>(d.count()) * kScale));
        };
        QCOMPARE(c.busyPeriods, 2u + 16u);
        QCOMPARE(c.busyTime.count(),
                 (2 * scaled(t.erase(16 * 1024)) + 16 * scaled(t.programPerWord * (2048 / 4))).count());
        qInfo("busy %lld us in %u states; polls came %lld us late in all, %lld us at most",
              qlonglong(c.busyTime.count()), c.busyPeriods, qlonglong(c.lateness.count()),
              qlonglong(c.maxLateness.count()));
    }

    void runtimeDeviceIsDetachedFirst_data() {
        QTest::addColumn<int>("discovery");
        QTest::addColumn<bool>("willDetach");
        QTest::newRow("hotplug, will detach") << int(usb::Discovery::Hotplug) << true;
        QTest::newRow("polling, will detach") << int(usb::Discovery::Polling) << true;
        QTest::newRow("hotplug, USB reset") << int(usb::Discovery::Hotplug) << false;
    }
    void runtimeDeviceIsDetachedFirst() {
        QFETCH(int, discovery);
        QFETCH(bool, willDetach);
        UmockdevDfuBus bus;
        DfuDeviceProfile profile = stm32f4Bootloader();
        if (!willDetach)
            profile.attributes &= ~0x08;
        EmulatedDfuDevice& device = bus.plug(profile, {.runtime = true, .timeScale = 0});
        QVERIFY(device.runtime());
        const int address = bus.address(1);
        const Layout layout = f4Layout();
        DfuBackendOptions options = quick();
        options.discovery = static_cast<usb::Discovery>(discovery);
        DfuBackend backend(options);
        JobContext ctx;
        const auto image = randomBytes(0x4000, 5);
        const JobReport r = flash(backend, layout, "slot0_partition", image, ctx);
        QVERIFY2(r.ok(), errorOf(r).c_str());
        QVERIFY(!device.runtime());
        QCOMPARE(device.counters().detaches, 1u);
        QCOMPARE(device.counters().usbResets, willDetach ? 0u : 1u);
        QCOMPARE(bus.address(1), address + 1); // re-enumerated at a new address, same port
        const auto memory = device.memory(0);
        QVERIFY(std::equal(image.begin(), image.end(), memory.begin() + 0x8000));
    }

    void cancelWhileWaitingForTheDetachedDevice() {
        UmockdevDfuBus bus;
        EmulatedDfuDevice& device = bus.plug(stm32f4Bootloader(), {.runtime = true, .timeScale = 0});
        // Waiting for the device to come back could take a minute: only the cancel can end it, and the
        // report says it did (a wait that ran out would be a timeout).
        DfuBackendOptions options = quick();
        options.reenumeration = std::chrono::milliseconds(60000);
        DfuBackend backend(options);
        JobContext ctx;
        ctx.cancel(); // before the device is back in DFU mode, the wait ends as cancelled
        const JobReport r = flash(backend, f4Layout(), "slot0_partition", randomBytes(0x100, 6), ctx);
        QVERIFY2(r.cancelled(), errorOf(r).c_str());
        QCOMPARE(device.counters().detaches, 1u);
        QCOMPARE(device.counters().dataBlocks, 0u);
    }

    void sparkCoreBothAlts() {
        UmockdevDfuBus bus;
        EmulatedDfuDevice& device = bus.plug(sparkCore());
        const auto internalBefore = background(128 * 1024);
        const auto spiBefore = background(2 * 1024 * 1024);
        device.loadMemory(0, internalBefore);
        device.loadMemory(1, spiBefore);
        const Layout layout = sparkLayout();
        DfuBackend backend;
        JobContext ctx;
        const auto app = randomBytes(10000, 8);
        JobReport r = flash(backend, layout, "slot0_partition", app, ctx);
        QVERIFY2(r.ok(), errorOf(r).c_str());
        QVERIFY(device.memory(0) == expectedAfter(internalBefore, 0x5000, 0x5000 + 10 * 1024, 0x5000, app));

        const auto external = randomBytes(9000, 9);
        r = flash(backend, layout, "slot1_partition", external, ctx);
        QVERIFY2(r.ok(), errorOf(r).c_str());
        QVERIFY(device.memory(1) == expectedAfter(spiBefore, 0x10000, 0x10000 + 3 * 4096, 0x10000, external));

        const JobReport read = readPartition(backend, layout, 2, ctx);
        QVERIFY2(read.ok(), errorOf(read).c_str());
        QVERIFY(std::equal(external.begin(), external.end(), read.data.begin()));

        // The bootloader's pages are read-only ('a'): refused before anything is sent.
        device.resetCounters();
        const JobReport boot = flash(backend, layout, "boot_partition", randomBytes(1024, 10), ctx);
        QVERIFY(!boot.ok());
        QVERIFY2(boot.error->message.find("does not allow") != std::string::npos,
                 boot.error->message.c_str());
        QCOMPARE(device.counters().pageErases, 0u);
        QVERIFY(device.memory(0) == expectedAfter(internalBefore, 0x5000, 0x5000 + 10 * 1024, 0x5000, app));

        // Unchanged application, then leave DFU mode to the start of the internal flash.
        const JobReport leave = flash(backend, layout, "slot0_partition", app, ctx, true);
        QVERIFY2(leave.ok(), errorOf(leave).c_str());
        QCOMPARE(leave.sectorsSkipped, std::size_t(10));
        QCOMPARE(device.counters().leaves, 1u);
        QCOMPARE(device.counters().leaveAddress, std::optional<std::uint32_t>(0x08000000));
        QVERIFY(bus.gone(1));
    }

    void plainDfuDownloadUploadVerifyReset() {
        UmockdevDfuBus bus;
        EmulatedDfuDevice& device = bus.plug(plainDfu());
        const Layout layout = plainLayout();
        auto image = randomBytes(50000, 11);
        DfuBackend backend;
        JobContext ctx;
        JobReport r = flash(backend, layout, "image_partition", image, ctx);
        QVERIFY2(r.ok(), errorOf(r).c_str());
        QCOMPARE(device.counters().manifestations, 1u);
        auto memory = device.memory(0);
        QVERIFY(std::equal(image.begin(), image.end(), memory.begin()));
        QVERIFY(std::all_of(memory.begin() + 50000, memory.begin() + 13 * 4096,
                            [](std::uint8_t b) { return b == 0xff; }));

        // Unchanged: nothing is downloaded.
        device.resetCounters();
        r = flash(backend, layout, "image_partition", image, ctx);
        QVERIFY2(r.ok(), errorOf(r).c_str());
        QCOMPARE(r.sectorsSkipped, std::size_t(13));
        QCOMPARE(device.counters().dataBlocks, 0u);

        // One byte changed: plain DFU can only send the whole image again.
        device.resetCounters();
        image[30000] ^= 0xff;
        r = flash(backend, layout, "image_partition", image, ctx, true);
        QVERIFY2(r.ok(), errorOf(r).c_str());
        QCOMPARE(device.counters().dataBlocks, 52u); // the 13 sectors the image touches, in blocks of 1024
        memory = device.memory(0);
        QVERIFY(std::equal(image.begin(), image.end(), memory.begin()));
        QCOMPARE(device.counters().usbResets, 1u);
        QVERIFY(bus.gone(1));

        const JobReport read = readPartition(backend, layout, 0, ctx);
        QVERIFY(!read.ok()); // reset into its firmware: no DFU device any more
        QCOMPARE(read.error->code, Errc::NoDevice);
    }

    void plainDfuRefusesAnImageThatDoesNotStartAtItsStart() {
        UmockdevDfuBus bus;
        EmulatedDfuDevice& device = bus.plug(plainDfu());
        Layout layout = plainLayout();
        layout.partitions = {partition("a", "image", 0, 0x8000), partition("b", "image", 0x8000, 0x8000)};
        DfuBackend backend;
        JobContext ctx;
        FlashRequest request;
        request.layout = &layout;
        request.partition = 1;
        request.offset = 0x8000;
        const auto image = randomBytes(100, 12);
        request.data = image;
        request.full = true;
        const JobReport r = flashPartition(backend, request, ctx);
        QVERIFY(!r.ok());
        QCOMPARE(r.error->code, Errc::NotSupported);
        QCOMPARE(device.counters().dataBlocks, 0u);
    }

    void selectionByDeviceAndAlt() {
        UmockdevDfuBus bus;
        bus.plug(stm32f4Bootloader());
        EmulatedDfuDevice& spark = bus.plug(sparkCore());
        const Layout layout = sparkLayout();
        JobContext ctx;
        for (const std::string& selector :
             {std::string("1d50:607f"), std::string("8D7028785754"), std::string("1-2")}) {
            DfuBackendOptions o;
            o.device = selector;
            o.alt = "SPI Flash : SST25x";
            DfuBackend backend(o);
            QVERIFY2(backend.connect(layout.board, ctx), selector.c_str());
            QCOMPARE(backend.device()->idText(), std::string("1d50:607f"));
            QCOMPARE(backend.device()->findAlt(o.alt)->alt, std::uint8_t(1));
            backend.disconnect();
        }
        DfuBackendOptions none;
        none.device = "0483:dead";
        DfuBackend missing(none);
        const auto r = missing.connect(layout.board, ctx);
        QVERIFY(!r);
        QCOMPARE(r.error().code, Errc::NoDevice);
        QVERIFY2(r.error().message.find("0483:df11") != std::string::npos, r.error().message.c_str());
        (void)spark;
    }
};

FLASHPLAN_UMOCKDEV_TEST_MAIN(TestDfuBackend)
#include "tst_dfubackend.moc"
