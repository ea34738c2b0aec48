// SPDX-License-Identifier: Apache-2.0
// The DFU protocol pieces without USB: names of states and statuses, the functional descriptor, device
// selectors, and DfuClient/DfuseClient driven straight onto an emulated device model.
#include "DfuTestSupport.h"
#include "EmulatedDfuDevice.h"
#include "backends/dfu/DfuDevice.h"
#include "backends/dfu/DfuseClient.h"

#include <QtTest>

#include <thread>
#include <vector>

using namespace flashplan;
using namespace flashplan::dfu;
using namespace flashplan::emu;
using namespace flashplan::testing;

class TestDfuProtocol : public QObject {
    Q_OBJECT
private slots:
    void everyStatusHasItsSpecificationName() {
        const char* names[] = {"OK",         "errTARGET",       "errFILE",     "errWRITE",
                               "errERASE",   "errCHECK_ERASED", "errPROG",     "errVERIFY",
                               "errADDRESS", "errNOTDONE",      "errFIRMWARE", "errVENDOR",
                               "errUSBR",    "errPOR",          "errUNKNOWN",  "errSTALLEDPKT"};
        for (std::uint8_t i = 0; i < 16; ++i) {
            QCOMPARE(statusName(i), std::string(names[i]));
            const Error e = DfuClient::statusError({i, 0, 10, 0}, "writing");
            QVERIFY(e.message.find(names[i]) != std::string::npos);
            QVERIFY(e.message.find(statusMeaning(i)) != std::string::npos);
            QVERIFY(e.message.find("dfuERROR") != std::string::npos);
        }
        QCOMPARE(statusName(0x42), std::string("status 0x42"));
        QCOMPARE(stateName(4), std::string("dfuDNBUSY"));
        QCOMPARE(stateName(8), std::string("dfuMANIFEST-WAIT-RESET"));
        QCOMPARE(stateName(11), std::string("state 11"));
    }

    void functionalDescriptor() {
        // The STM32F4 bootloader's, after an unrelated class descriptor.
        const std::vector<std::uint8_t> extra = {3,    0x24, 0,    9,    0x21, 0x0b,
                                                 0xff, 0x00, 0x00, 0x08, 0x1a, 0x01};
        auto f = findFunctionalDescriptor(extra);
        QVERIFY(f && *f);
        QVERIFY((*f)->canDownload && (*f)->canUpload && (*f)->willDetach && !(*f)->manifestationTolerant);
        QCOMPARE((*f)->detachTimeoutMs, std::uint16_t(255));
        QCOMPARE((*f)->transferSize, std::uint16_t(2048));
        QVERIFY((*f)->isDfuse());
        QCOMPARE((*f)->versionText(), std::string("1.1a"));
        QCOMPARE((*f)->attributes(), std::uint8_t(0x0b));
        // DFU 1.0: seven bytes, no version.
        auto old = findFunctionalDescriptor(std::vector<std::uint8_t>{7, 0x21, 0x07, 0x10, 0x27, 0x00, 0x04});
        QVERIFY(old && *old);
        QCOMPARE((*old)->versionText(), std::string("1.0"));
        QCOMPARE((*old)->transferSize, std::uint16_t(1024));
        QVERIFY(findFunctionalDescriptor(std::vector<std::uint8_t>{5, 0x24, 0, 0, 0}).ok());
        QVERIFY(!findFunctionalDescriptor(std::vector<std::uint8_t>{5, 0x24, 0, 0, 0})->has_value());
        const auto truncated = findFunctionalDescriptor(std::vector<std::uint8_t>{9, 0x21, 0x0b, 0xff});
        QVERIFY(!truncated);
        QCOMPARE(truncated.error().code, Errc::Parse);
        QVERIFY(!findFunctionalDescriptor(std::vector<std::uint8_t>{5, 0x21, 0x0b, 0xff, 0}));
    }

    void deviceSelectors() {
        auto id = DeviceSelector::parse("0483:DF11");
        QVERIFY(id && id->vendorId == 0x0483 && id->productId == 0xdf11);
        QCOMPARE(id->toString(), std::string("0483:df11"));
        auto path = DeviceSelector::parse("1-1.4");
        QVERIFY(path && path->path == "1-1.4" && !path->vendorId);
        auto serial = DeviceSelector::parse("315A28A0B956");
        QVERIFY(serial && serial->serial == "315A28A0B956");
        QVERIFY(DeviceSelector::parse("1-")->serial == "1-"); // not a path: a serial number
        QVERIFY(DeviceSelector::parse("")->empty());
        for (const char* bad : {"0483:", ":df11", "10483:df11", "04g3:df11"}) {
            const auto r = DeviceSelector::parse(bad);
            QVERIFY2(!r, bad);
            QCOMPARE(r.error().code, Errc::Parse);
        }
    }

    void dfuseWritesFromOneAddressPerRun() {
        EmulatedDfuDevice device(stm32f4Bootloader());
        EmulatedPipe pipe(device);
        DfuClient dfu(pipe, 0, 2048);
        DfuseClient dfuse(dfu);
        QVERIFY(dfuse.erasePage(0x08004000));
        const auto data = randomBytes(5000, 31);
        std::uint64_t progress = 0;
        QVERIFY(dfuse.write(0x08004000, data, [&](std::uint64_t n) { progress += n; }));
        QCOMPARE(progress, std::uint64_t(5000));
        const DfuCounters c = device.counters();
        QCOMPARE(c.setAddress, 1u);
        QCOMPARE(c.dataBlocks, 3u);
        QCOMPARE(c.pageErases, 1u);
        const auto memory = device.memory(0);
        QVERIFY(std::equal(data.begin(), data.end(), memory.begin() + 0x4000));
        auto back = dfuse.read(0x08004000, 5000, {});
        QVERIFY(back);
        QVERIFY(*back == data);
        QCOMPARE(device.counters().massErases, 0u); // only ever when asked
        QVERIFY(dfuse.massErase());
        QCOMPARE(device.counters().massErases, 1u);
        const auto erased = device.memory(0);
        QVERIFY(std::all_of(erased.begin(), erased.end(), [](std::uint8_t b) { return b == 0xff; }));
    }

    void deviceErrorsAreNamedAndCleared() {
        EmulatedDfuDevice device(stm32f4Bootloader());
        EmulatedPipe pipe(device);
        DfuClient dfu(pipe, 0, 2048);
        DfuseClient dfuse(dfu);
        // Out of the alt setting's memory: the device answers errADDRESS.
        QVERIFY(dfuse.setAddress(0x07000000));
        const auto r = dfuse.write(0x07000000, randomBytes(16, 1), {});
        QVERIFY(!r);
        QVERIFY2(r.error().message.find("errADDRESS") != std::string::npos, r.error().message.c_str());
        auto status = dfu.getStatus();
        QVERIFY(status);
        QCOMPARE(int(status->state), int(State::DfuIdle)); // cleared with DFU_CLRSTATUS
        // A request the state does not allow: stalled, reported as errSTALLEDPKT.
        std::vector<std::uint8_t> buffer(16);
        const auto upload = dfu.uploadBlock(1, buffer, "block 1");
        QVERIFY(!upload);
        QVERIFY2(upload.error().message.find("errSTALLEDPKT") != std::string::npos,
                 upload.error().message.c_str());
        QVERIFY(dfu.toIdle());
    }

    void pollTimeoutIsWaitedForExactly() {
        EmulatedDfuDevice device(stm32f4Bootloader(), false, 0.2); // a 16 KiB erase: 50 ms
        EmulatedPipe pipe(device);
        DfuClient dfu(pipe, 0, 2048);
        std::vector<std::chrono::milliseconds> waits;
        dfu.setSleep([&](std::chrono::milliseconds ms) {
            waits.push_back(ms);
            std::this_thread::sleep_for(ms);
        });
        QVERIFY(DfuseClient(dfu).erasePage(0x08000000));
        QCOMPARE(device.counters().earlyPolls, 0u);
        QCOMPARE(device.counters().getStatus, 2u); // busy, then idle: no needless poll
        // One wait, of exactly the bwPollTimeout the device asked for.
        QCOMPARE(device.counters().busyPeriods, 1u);
        QCOMPARE(waits.size(), std::size_t(1));
        QCOMPARE(waits[0].count(), std::chrono::milliseconds::rep(device.counters().askedWaitsMs.at(0)));
    }

    void busyLongerThanAllowedIsATimeout() {
        EmulatedDfuDevice device(stm32f4Bootloader());
        DfuFaults f;
        f.pollTimeoutMs = 0xffffff;
        device.setFaults(f);
        EmulatedPipe pipe(device);
        Timeouts t;
        t.busy = std::chrono::milliseconds(100);
        DfuClient dfu(pipe, 0, 2048, t);
        std::vector<std::chrono::milliseconds> waits;
        dfu.setSleep([&](std::chrono::milliseconds ms) { waits.push_back(ms); });
        const auto r = DfuseClient(dfu).erasePage(0x08000000);
        QVERIFY(!r);
        QCOMPARE(r.error().code, Errc::Timeout);
        QVERIFY(waits.empty()); // refused at once: waiting first would only delay the same answer
        QCOMPARE(device.counters().getStatus, 1u);
    }

    void plainDownloadManifestsAndUploadEndsOnAShortFrame() {
        EmulatedDfuDevice device(plainDfu());
        EmulatedPipe pipe(device);
        DfuClient dfu(pipe, 0, 1024);
        const auto image = randomBytes(3000, 32);
        auto state = dfu.download(image, {});
        QVERIFY(state);
        QCOMPARE(int(*state), int(State::DfuIdle)); // manifestation tolerant
        QCOMPARE(device.counters().manifestations, 1u);
        auto whole = dfu.upload(1024 * 1024, {});
        QVERIFY(whole);
        QCOMPARE(whole->size(), std::size_t(128 * 1024)); // the memory's end: a zero-length frame
        QVERIFY(std::equal(image.begin(), image.end(), whole->begin()));
        auto part = dfu.upload(2048, {}); // stops early with DFU_ABORT
        QVERIFY(part);
        QCOMPARE(part->size(), std::size_t(2048));
        QCOMPARE(int(*dfu.getState()), int(State::DfuIdle));
    }

    void cancelStopsADfuSeWriteOrReadWithinOneBlock() {
        EmulatedDfuDevice device(stm32f4Bootloader());
        EmulatedPipe pipe(device);
        DfuClient dfu(pipe, 0, 2048);
        DfuseClient dfuse(dfu);
        QVERIFY(dfuse.erasePage(0x08004000));
        int blocks = 0;
        dfu.setStop([&] { return blocks >= 3; });
        const auto written =
            dfuse.write(0x08004000, randomBytes(0x4000, 34), [&](std::uint64_t) { ++blocks; });
        QVERIFY(!written);
        QCOMPARE(written.error().code, Errc::Cancelled);
        QCOMPARE(written.error().message, std::string("write cancelled at 0x08005800"));
        QCOMPARE(device.counters().dataBlocks, 3u); // of the 8 the 16 KiB would take
        blocks = 0;
        const auto read = dfuse.read(0x08004000, 0x4000, [&](std::uint64_t) { ++blocks; });
        QVERIFY(!read);
        QCOMPARE(read.error().code, Errc::Cancelled);
        QCOMPARE(device.counters().uploads, 3u);
        dfu.setStop({});
        QCOMPARE(int(*dfu.getState()), int(State::DfuIdle)); // DFU_ABORT brought it back
    }

    void cancelAbortsTheDownload() {
        EmulatedDfuDevice device(plainDfu());
        EmulatedPipe pipe(device);
        DfuClient dfu(pipe, 0, 1024);
        int blocks = 0;
        dfu.setStop([&] { return blocks >= 3; });
        const auto r = dfu.download(randomBytes(10000, 33), [&](std::uint64_t) { ++blocks; });
        QVERIFY(!r);
        QCOMPARE(r.error().code, Errc::Cancelled);
        QCOMPARE(device.counters().dataBlocks, 3u);
        QCOMPARE(device.counters().manifestations, 0u);
        dfu.setStop({});
        QCOMPARE(int(*dfu.getState()), int(State::DfuIdle)); // DFU_ABORT brought it back
    }
};

QTEST_GUILESS_MAIN(TestDfuProtocol)
#include "tst_dfuprotocol.moc"
