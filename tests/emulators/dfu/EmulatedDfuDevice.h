// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "DfuDeviceProfile.h"
#include "EmulatedUsbDevice.h"
#include "io/DfuseDescriptor.h"
#include "sim/FlashSimulator.h"
#include "usb/ControlPipe.h"

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <vector>

namespace flashplan::emu {

/// Faults the device can be told to show, counted in data blocks received (DfuSe blocks n >= 2, every
/// plain DFU block); 1 is the first.
struct DfuFaults {
    std::optional<unsigned> vanishAtBlock; ///< drops off the bus when this block arrives
    std::optional<unsigned> stallAtBlock;  ///< stalls the DFU_DNLOAD of this block (dfuERROR, errSTALLEDPKT)
    std::optional<unsigned> verifyErrorAtBlock; ///< writes the block, then reports errVERIFY
    std::optional<std::uint32_t> pollTimeoutMs; ///< reports this bwPollTimeout whenever it is busy
};

/// What the device did, for tests to check.
struct DfuCounters {
    unsigned requests = 0, getStatus = 0, earlyPolls = 0, stalls = 0;
    unsigned dataBlocks = 0, uploads = 0, setAddress = 0, pageErases = 0, massErases = 0;
    std::uint64_t bytesProgrammed = 0; ///< data bytes programmed into memory
    unsigned manifestations = 0, detaches = 0, usbResets = 0, leaves = 0;
    std::optional<std::uint32_t> leaveAddress;
    /// Busy states of a nonzero length the device entered, and the sum of the times it asked the host to
    /// wait for them (bwPollTimeout): what a client that honours bwPollTimeout spends waiting.
    unsigned busyPeriods = 0;
    std::chrono::microseconds busyTime{0};
    std::vector<std::uint32_t> askedWaitsMs; ///< the bwPollTimeout of each busy state, in order
    /// How late the GETSTATUS that found a busy state over came, in all and at most: scheduling delay on
    /// a loaded machine, or a client that sleeps longer than asked. Figures for a test to print.
    std::chrono::microseconds lateness{0}, maxLateness{0};
};

/// An emulated USB DFU device: the DFU 1.1 state machine (and DfuSe's commands and addressing for a
/// DfuSe profile) over the core's NOR flash simulator, one per alt setting. It answers control requests
/// on endpoint 0 as a device would, standard ones included; it knows nothing of umockdev (UmockdevUsbBus
/// serves it as any EmulatedUsbDevice), so tests can also drive it directly. Busy states last as long as
/// the profile's timing (times the time scale) says, and report exactly the time left as bwPollTimeout;
/// a GETSTATUS that comes sooner is answered dfuDNBUSY again and counted as an early poll. It leaves the
/// bus (vanished()) on a vanish fault, DfuSe's leave, or a USB reset into new firmware, and a detached
/// run-time device asks to re-enumerate in DFU mode (reenumerating()). Thread-safe: every call takes one
/// lock.
class EmulatedDfuDevice final : public EmulatedUsbDevice {
public:
    explicit EmulatedDfuDevice(DfuDeviceProfile profile, bool startInRuntime = false, double timeScale = 0);

    // EmulatedUsbDevice
    /// The device descriptor followed by the configuration descriptor, for the current mode.
    std::vector<std::uint8_t> descriptors() const override;
    unsigned speedMbps() const override { return 12; }
    /// One control transfer: `out` holds an OUT data stage; IN replies carry at most setup.length bytes.
    ControlReply control(const UsbSetup& setup, std::span<const std::uint8_t> out) override;
    /// SET_INTERFACE (usbfs sends it as an ioctl, not a control transfer).
    bool setInterface(std::uint8_t interface, std::uint8_t alt) override;
    /// A USB port reset: a detached run-time device re-enumerates, one that ran manifestation is gone.
    void portReset() override;
    bool vanished() const override;
    bool reenumerating() const override;
    /// Switches to DFU mode (the bus calls this when it re-enumerates the device).
    void reenumerate() override;

    bool runtime() const;
    const DfuDeviceProfile& profile() const { return profile_; }

    void setFaults(const DfuFaults& faults);
    /// A fixed point mid-write: once a data block reaches `offset` of its alt setting's memory (it writes
    /// the byte there or a later one), the device stops answering, its DFU_DNLOAD in flight, until
    /// release(); the block is then carried out as usual. Holds once. So a test can cancel a job mid-write
    /// on any machine, however fast or loaded: waitForHold() says when the hold began.
    void holdAt(std::uint64_t offset);
    /// Waits up to `timeout` for the hold to begin; true once it has.
    bool waitForHold(std::chrono::milliseconds timeout);
    /// Ends the hold (or disarms one not reached yet); the held request goes on.
    void release();
    void setTimeScale(double scale);
    DfuCounters counters() const;
    void resetCounters();
    /// The memory behind an alt setting (a copy, taken under the lock).
    std::vector<std::uint8_t> memory(std::size_t alt) const;
    /// Fills the memory behind an alt setting (programs it from erased).
    void loadMemory(std::size_t alt, std::span<const std::uint8_t> bytes);
    /// Erases per sector of an alt setting's memory.
    std::uint32_t eraseCount(std::size_t alt, std::uint64_t sector) const;

private:
    ControlReply standardRequest(const UsbSetup& setup, std::uint16_t length);
    ControlReply classRequest(const UsbSetup& setup, std::uint16_t length, std::span<const std::uint8_t> out);
    ControlReply dnload(std::uint16_t block, std::span<const std::uint8_t> data);
    ControlReply upload(std::uint16_t block, std::uint16_t length);
    ControlReply getStatus();
    ControlReply stall();
    std::vector<std::uint8_t> descriptorBytes() const;
    /// Runs what DNLOAD-SYNC holds when GETSTATUS arrives: returns how long it keeps the device busy.
    std::chrono::microseconds execute();
    std::chrono::microseconds dfuseCommand();
    std::chrono::microseconds writeBlock(std::uint64_t address, std::span<const std::uint8_t> data);
    std::chrono::microseconds plainBlock(std::span<const std::uint8_t> data);
    std::chrono::microseconds scaled(std::chrono::microseconds t) const;
    FlashSimulator& sim() { return *sims_[alt_]; }
    const EmulatedAlt& altInfo() const { return profile_.alts[alt_]; }

    /// Whether a DFU_DNLOAD of `block` with `length` bytes is the data block that reaches the hold.
    bool reachesHold(std::uint16_t block, std::size_t length) const;

    mutable std::mutex mutex_;
    std::condition_variable holdChanged_;
    std::optional<std::uint64_t> holdAt_;
    bool holding_ = false, held_ = false;
    DfuDeviceProfile profile_;
    std::vector<std::unique_ptr<FlashSimulator>> sims_;
    std::vector<std::optional<DfuseMemory>> layouts_; ///< each DfuSe alt's access letters
    bool runtime_;
    double timeScale_;
    std::uint8_t alt_ = 0;
    std::uint8_t state_;
    std::uint8_t status_ = 0;
    std::uint8_t pendingStatus_ = 0; ///< the status the busy operation ends with
    std::uint8_t nextState_ = 0;     ///< the state it ends in
    std::chrono::steady_clock::time_point busyUntil_{};
    std::uint16_t pendingBlock_ = 0;
    std::vector<std::uint8_t> pending_; ///< the data of the last DNLOAD
    std::uint64_t addressPointer_ = 0;
    std::uint64_t streamOffset_ = 0; ///< plain DFU: where the next block goes / comes from
    std::int32_t lastBlock_ = -1;
    std::vector<bool> erasedInStream_; ///< plain DFU: sectors erased by the running download
    DfuFaults faults_;
    DfuCounters counters_;
    bool reenumerate_ = false; ///< detached and told to go: comes back in DFU mode
    bool gone_ = false;
    bool manifested_ = false;
};

/// A ControlPipe straight onto an emulated device, for protocol tests without USB.
class EmulatedPipe final : public usb::ControlPipe {
public:
    explicit EmulatedPipe(EmulatedDfuDevice& device) : device_(device) {}
    Result<usb::ControlResult> controlIn(const usb::ControlSetup& setup, std::span<std::uint8_t> data,
                                         std::chrono::milliseconds timeout) override;
    Result<usb::ControlResult> controlOut(const usb::ControlSetup& setup, std::span<const std::uint8_t> data,
                                          std::chrono::milliseconds timeout) override;

private:
    EmulatedDfuDevice& device_;
};

} // namespace flashplan::emu
