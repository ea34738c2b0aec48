// SPDX-License-Identifier: Apache-2.0
// The emulated CMSIS-DAP probe driven directly, packet by packet (no USB, no OpenOCD): DAP commands,
// the SW-DP's acknowledges and sticky errors, block transfers, the USB descriptors, injected faults.
#include "CmsisDapProbe.h"

#include <QtTest>

using namespace flashplan::emu;

namespace {

using Bytes = std::vector<std::uint8_t>;

// DAP_Transfer request bytes.
constexpr std::uint8_t kDpRead = 0x02, kDpWrite = 0x00, kApRead = 0x03, kApWrite = 0x01;
constexpr std::uint8_t kA4 = 0x04, kA8 = 0x08, kAc = 0x0c;

void put32(Bytes& b, std::uint32_t v) {
    for (int i = 0; i < 4; ++i)
        b.push_back(std::uint8_t(v >> (8 * i)));
}

std::uint32_t le32(const Bytes& b, std::size_t at) {
    return b.at(at) | b.at(at + 1) << 8 | b.at(at + 2) << 16 | std::uint32_t(b.at(at + 3)) << 24;
}

/// One DAP_Transfer: `ops` are (request, data) pairs; data is sent for writes only.
Bytes transfer(std::initializer_list<std::pair<std::uint8_t, std::uint32_t>> ops) {
    Bytes b = {0x05, 0, std::uint8_t(ops.size())};
    for (const auto& [request, data] : ops) {
        b.push_back(request);
        if (!(request & 0x02) || (request & 0x10))
            put32(b, data);
    }
    return b;
}

/// Sends a command and takes its response, as the USB side does.
Bytes run(CmsisDapProbe& probe, const Bytes& command) {
    if (!probe.bulkOut(CmsisDapProbe::kOutEndpoint, command))
        return {};
    return probe.bulkIn(CmsisDapProbe::kInEndpoint, 1024).value_or(Bytes{});
}

/// Connects the way OpenOCD does: line reset, DPIDR, clear errors, power up, select AP 0 bank 0.
void powerUpDebug(CmsisDapProbe& probe) {
    Bytes reset = {0x12, 64};
    reset.insert(reset.end(), 7, 0xff);
    reset.push_back(0x00);
    QCOMPARE(run(probe, reset), (Bytes{0x12, 0}));
    const Bytes r = run(probe, transfer({{kDpRead, 0},
                                         {kDpWrite, 0x1e},
                                         {kDpWrite | kA8, 0},
                                         {kDpWrite | kA4, 0x50000000},
                                         {kDpRead | kA4, 0}}));
    QCOMPARE(r.size(), std::size_t(11));
    QCOMPARE(r[1], 5);
    QCOMPARE(r[2], 1); // OK
    QCOMPARE(le32(r, 3), SwDp::kStm32f4Dpidr);
    QCOMPARE(le32(r, 7) & 0xa0000000u, 0xa0000000u); // CSYSPWRUPACK, CDBGPWRUPACK
}

} // namespace

class TestEmuCmsisDap : public QObject {
    Q_OBJECT

private slots:
    void infoSaysWhatOpenOcdNeeds() {
        CmsisDapProbe probe("FP-0001");
        QCOMPARE(run(probe, {0x00, 0xff}), (Bytes{0x00, 2, 0x00, 0x04})); // packet size 1024
        QCOMPARE(run(probe, {0x00, 0xf0}), (Bytes{0x00, 1, 0x01}));       // SWD
        QCOMPARE(run(probe, {0x00, 0x03}), (Bytes{0x00, 8, 'F', 'P', '-', '0', '0', '0', '1', 0}));
        QCOMPARE(run(probe, {0x00, 0x06}), (Bytes{0x00, 0})); // no target name
        QCOMPARE(run(probe, {0x02, 0x00}), (Bytes{0x02, 1})); // default port is SWD
        QCOMPARE(run(probe, {0x02, 0x02}), (Bytes{0x02, 0})); // no JTAG
        QCOMPARE(run(probe, {0x7e, 1, 2}), (Bytes{0xff}));
        QCOMPARE(run(probe, {0x05}), (Bytes{0xff})); // cut short
        QCOMPARE(probe.record().dap.unknownCommands, 2u);
    }

    void nothingAnswersBeforeDpidrIsRead() {
        CmsisDapProbe probe("FP-0001");
        Bytes r = run(probe, transfer({{kDpRead | kA4, 0}}));
        QCOMPARE(r, (Bytes{0x05, 0, 7}));
        powerUpDebug(probe);
        // A line reset puts the DP back in its reset state.
        Bytes reset = {0x12, 56};
        reset.insert(reset.end(), 7, 0xff);
        QCOMPARE(run(probe, reset), (Bytes{0x12, 0}));
        QCOMPARE(run(probe, {0x12, 8, 0x00}), (Bytes{0x12, 0}));
        QCOMPARE(run(probe, transfer({{kDpRead | kA4, 0}})), (Bytes{0x05, 0, 7}));
        QCOMPARE(probe.record().dap.lineResets, 2u);
    }

    void apReadsComeBackAtOnce() {
        CmsisDapProbe probe("FP-0001");
        powerUpDebug(probe);
        // CSW word size, TAR at DBGMCU_IDCODE, read DRW, then the AP's IDR (bank 0xf), then RDBUFF.
        const Bytes r = run(probe, transfer({{kApWrite, 0x23000002},
                                             {kApWrite | kA4, 0xe0042000},
                                             {kApRead | kAc, 0},
                                             {kDpWrite | kA8, 0x000000f0},
                                             {kApRead | kAc, 0},
                                             {kDpRead | kAc, 0}}));
        QCOMPARE(r.size(), std::size_t(3 + 12));
        QCOMPARE(r[1], 6);
        QCOMPARE(le32(r, 3), 0x10076413u);
        QCOMPARE(le32(r, 7), Stm32f4Target::kAhbApIdr);
        QCOMPARE(le32(r, 11), Stm32f4Target::kAhbApIdr); // RDBUFF: the last AP read again
    }

    void transferBlockWritesAndReadsSram() {
        CmsisDapProbe probe("FP-0001");
        powerUpDebug(probe);
        QCOMPARE(run(probe, transfer({{kApWrite, 0x23000012}, {kApWrite | kA4, 0x20000100}}))[2], 1);
        Bytes write = {0x06, 0, 4, 0, kApWrite | kAc};
        for (std::uint32_t v : {0x11111111u, 0x22222222u, 0x33333333u, 0x44444444u})
            put32(write, v);
        QCOMPARE(run(probe, write), (Bytes{0x06, 4, 0, 1}));
        QCOMPARE(run(probe, transfer({{kApWrite | kA4, 0x20000100}}))[2], 1);
        const Bytes r = run(probe, {0x06, 0, 4, 0, kApRead | kAc});
        QCOMPARE(r.size(), std::size_t(4 + 16));
        QCOMPARE(r[1], 4);
        QCOMPARE(r[3], 1);
        QCOMPARE(le32(r, 4), 0x11111111u);
        QCOMPARE(le32(r, 16), 0x44444444u);
    }

    void valueMatchRetriesThenReportsMismatch() {
        CmsisDapProbe probe("FP-0001");
        powerUpDebug(probe);
        QCOMPARE(run(probe, {0x04, 0, 64, 0, 3, 0}), (Bytes{0x04, 0})); // 3 match retries
        // Mask the power-up acks; they match; then a value they never take.
        QCOMPARE(run(probe, transfer({{0x20, 0xa0000000}, {kDpRead | kA4 | 0x10, 0xa0000000}})),
                 (Bytes{0x05, 2, 1}));
        const unsigned before = probe.record().dap.transfers;
        QCOMPARE(run(probe, transfer({{kDpRead | kA4 | 0x10, 0x00000000}})), (Bytes{0x05, 0, 0x11}));
        QCOMPARE(probe.record().dap.transfers - before, 4u); // the read and its 3 retries
    }

    void faultIsStickyUntilAborted() {
        CmsisDapProbe probe("FP-0001");
        powerUpDebug(probe);
        probe.setFault({ProbeFault::Kind::Fault, {}, {}});
        // The AP access fails, and so does what follows it in the same command.
        QCOMPARE(run(probe, transfer({{kApRead | kAc, 0}, {kDpRead | kA4, 0}})), (Bytes{0x05, 0, 4}));
        Bytes r = run(probe, transfer({{kDpRead | kA4, 0}}));
        QCOMPARE(r[2], 1);
        QVERIFY(le32(r, 3) & (1u << 5)); // STICKYERR
        // Only DPIDR, CTRL/STAT, RESEND reads and ABORT writes get through while it is set.
        QCOMPARE(run(probe, transfer({{kDpWrite | kA8, 0}})), (Bytes{0x05, 0, 4}));
        QCOMPARE(run(probe, {0x08, 0, 0x04, 0, 0, 0}), (Bytes{0x08, 0})); // DAP_WriteABORT: STKERRCLR
        r = run(probe, transfer({{kDpRead | kA4, 0}, {kDpWrite | kA8, 0}}));
        QCOMPARE(r[1], 2);
        QVERIFY(!(le32(r, 3) & (1u << 5)));
        // The injected fault stays: the next AP access fails again.
        QCOMPARE(run(probe, transfer({{kApRead | kAc, 0}})), (Bytes{0x05, 0, 4}));
        QVERIFY(probe.record().faultBegan);
        QCOMPARE(probe.record().dap.faultAcks, 3u);
    }

    void waitIsRetriedAsConfiguredThenReported() {
        CmsisDapProbe probe("FP-0001");
        powerUpDebug(probe);
        QCOMPARE(run(probe, {0x04, 0, 5, 0, 0, 0}), (Bytes{0x04, 0})); // 5 WAIT retries
        probe.setFault({ProbeFault::Kind::Wait, {}, {}});
        QCOMPARE(run(probe, transfer({{kDpRead, 0}, {kApRead | kAc, 0}})).at(2), 2);
        QCOMPARE(probe.record().dap.waitAcks, 6u);
        // RDBUFF waits too; DP registers still answer.
        QCOMPARE(run(probe, transfer({{kDpRead | kAc, 0}})), (Bytes{0x05, 0, 2}));
        QCOMPARE(run(probe, transfer({{kDpRead | kA4, 0}}))[2], 1);
    }

    void vanishesMidCommandAtAFlashOffset() {
        CmsisDapProbe probe("FP-0001");
        powerUpDebug(probe);
        probe.setFault({ProbeFault::Kind::Vanish, 0x4, {}});
        // Unlock the flash controller, PG with PSIZE word, then program two words at 0x08000000.
        QCOMPARE(run(probe, transfer({{kApWrite, 0x23000002}, // word, no auto-increment
                                      {kApWrite | kA4, 0x40023c04},
                                      {kApWrite | kAc, 0x45670123},
                                      {kApWrite | kAc, 0xcdef89ab},
                                      {kApWrite | kA4, 0x40023c10},
                                      {kApWrite | kAc, 0x00000201}}))[2],
                 1);
        QVERIFY(probe.bulkOut(CmsisDapProbe::kOutEndpoint, transfer({{kApWrite, 0x23000012},
                                                                     {kApWrite | kA4, 0x08000000},
                                                                     {kApWrite | kAc, 0x12345678},
                                                                     {kApWrite | kAc, 0x9abcdef0},
                                                                     {kApWrite | kAc, 0x0badcafe}})));
        QVERIFY(probe.vanished());
        QVERIFY(!probe.bulkIn(CmsisDapProbe::kInEndpoint, 1024)); // no response, ever
        const ProbeRecord rec = probe.record();
        QVERIFY(rec.faultBegan);
        QCOMPARE(rec.bytesAtFault, 8u); // the write that reached offset 4 landed, the next did not
        QCOMPARE(probe.bytesProgrammed(), 8u);
        const auto flash = probe.flash();
        QCOMPARE(flash[4], 0xf0);
        QCOMPARE(flash[8], 0xff);
    }

    void holdsAtAFlashOffsetUntilReleased() {
        CmsisDapProbe probe("FP-0001");
        powerUpDebug(probe);
        probe.holdAt(0x4);
        QCOMPARE(run(probe, transfer({{kApWrite, 0x23000002},
                                      {kApWrite | kA4, 0x40023c04},
                                      {kApWrite | kAc, 0x45670123},
                                      {kApWrite | kAc, 0xcdef89ab},
                                      {kApWrite | kA4, 0x40023c10},
                                      {kApWrite | kAc, 0x00000201}}))[2],
                 1);
        // The command that reaches offset 4 runs to its end but is not answered; the next is taken and
        // neither run nor answered while the hold lasts.
        QVERIFY(probe.bulkOut(CmsisDapProbe::kOutEndpoint, transfer({{kApWrite, 0x23000012},
                                                                     {kApWrite | kA4, 0x08000000},
                                                                     {kApWrite | kAc, 0x12345678},
                                                                     {kApWrite | kAc, 0x9abcdef0}})));
        QVERIFY(probe.waitForHold(std::chrono::milliseconds(0)));
        QVERIFY(probe.bulkOut(CmsisDapProbe::kOutEndpoint, transfer({{kApWrite | kAc, 0x0badcafe}})));
        QVERIFY(!probe.bulkIn(CmsisDapProbe::kInEndpoint, 1024));
        QCOMPARE(probe.bytesProgrammed(), 8u);
        QVERIFY(!probe.vanished());
        probe.release();
        // Then both are answered in order, and the held one has run.
        QCOMPARE(probe.bulkIn(CmsisDapProbe::kInEndpoint, 1024).value_or(Bytes{}), (Bytes{0x05, 4, 1}));
        QCOMPARE(probe.bulkIn(CmsisDapProbe::kInEndpoint, 1024).value_or(Bytes{}), (Bytes{0x05, 1, 1}));
        QCOMPARE(probe.bytesProgrammed(), 12u);
        QCOMPARE(probe.flash()[8], 0xfe);
    }

    void aStuckSectorTakesProgramsWithoutChanging() {
        CmsisDapProbe probe("FP-0001");
        probe.setStuckSector(0);
        powerUpDebug(probe);
        QCOMPARE(run(probe, transfer({{kApWrite, 0x23000002},
                                      {kApWrite | kA4, 0x40023c04},
                                      {kApWrite | kAc, 0x45670123},
                                      {kApWrite | kAc, 0xcdef89ab},
                                      {kApWrite | kA4, 0x40023c10},
                                      {kApWrite | kAc, 0x00000201},
                                      {kApWrite | kA4, 0x08000000},
                                      {kApWrite | kAc, 0x12345678},
                                      {kApWrite | kA4, 0x08004000},
                                      {kApWrite | kAc, 0x12345678}}))[2],
                 1);
        QCOMPARE(probe.flash()[0], 0xff);      // sector 0 is stuck
        QCOMPARE(probe.flash()[0x4000], 0x78); // sector 1 is not
    }

    void usbDescriptorsMakeItACmsisDapV2Probe() {
        CmsisDapProbe probe("FP-0002");
        const Bytes d = probe.descriptors();
        QCOMPARE(d.size(), std::size_t(18 + 32));
        QCOMPARE(d[16], 3); // iSerialNumber
        // Interface: two endpoints, class FF/00/00, its string.
        QCOMPARE((Bytes(d.begin() + 27, d.begin() + 36)), (Bytes{9, 4, 0, 0, 2, 0xff, 0, 0, 4}));
        QCOMPARE((Bytes(d.begin() + 36, d.begin() + 43)), (Bytes{7, 5, 0x01, 2, 0x00, 0x02, 0}));
        QCOMPARE((Bytes(d.begin() + 43, d.begin() + 50)), (Bytes{7, 5, 0x81, 2, 0x00, 0x02, 0}));
        const auto text = [&](std::uint8_t index) {
            const auto r = probe.control({0x80, 6, std::uint16_t(0x300 | index), 0x409, 255}, {});
            QString s;
            for (std::size_t i = 2; i + 1 < r.data.size(); i += 2)
                s += QChar(r.data[i]);
            return s;
        };
        QVERIFY(text(4).contains(QStringLiteral("CMSIS-DAP")));
        QCOMPARE(text(3), QStringLiteral("FP-0002"));
        QVERIFY(probe.control({0x80, 6, 0x0305, 0x409, 255}, {}).stall);
    }
};

QTEST_GUILESS_MAIN(TestEmuCmsisDap)
#include "tst_emu_cmsisdap.moc"
