// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "Backend.h"
#include "backends/dfu/DfuClient.h"
#include "backends/dfu/DfuDevice.h"
#include "usb/UsbContext.h"
#include "usb/UsbHandle.h"

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace flashplan::programmer {

/// How the DFU backend finds and talks to its device.
struct DfuBackendOptions {
    std::string
        device; ///< VID:PID, serial number or bus path (empty: the board's DFU VID:PID, else the only device)
    std::string
        alt; ///< alt setting number or name (empty: the board's alt for the flash device, else by address)
    dfu::Timeouts timeouts;
    /// How long a detached run-time device may take to come back in DFU mode, beyond its wDetachTimeOut.
    std::chrono::milliseconds reenumeration{5000};
    usb::Discovery discovery = usb::Discovery::Automatic;
};

/// USB DFU 1.1 and DfuSe on libusb. A DfuSe alt setting is addressed memory: the device offset plus the
/// flash device's base (cpuBase, else its XIP window, else 0) is the address; pages are erased one by
/// one, only those asked for, and a page that reaches outside the range to erase is refused rather than
/// erased. A plain DFU alt setting takes a whole image from the start of its memory: writes are gathered
/// and downloaded by commit(), reads upload from the start (once, then served from what was read), and
/// compare() reports all-or-nothing, since such a device cannot rewrite one sector alone. reset() leaves
/// DFU mode (DfuSe `:leave`; a USB reset for plain DFU). Run-time devices are detached first.
class DfuBackend final : public Backend {
public:
    explicit DfuBackend(DfuBackendOptions options = {});
    ~DfuBackend() override;

    std::string_view name() const override { return "dfu"; }
    Result<void> connect(const Board& board, JobContext& ctx) override;
    void disconnect() override;
    Result<std::vector<FlashDevice>> describe(JobContext& ctx) override;
    Result<void> erase(const FlashDevice& device, std::uint64_t offset, std::uint64_t length,
                       JobContext& ctx) override;
    Result<void> write(const FlashDevice& device, std::uint64_t offset, std::span<const std::uint8_t> data,
                       JobContext& ctx) override;
    Result<std::vector<std::uint8_t>> read(const FlashDevice& device, std::uint64_t offset,
                                           std::uint64_t length, JobContext& ctx) override;
    Result<std::vector<SectorState>> compare(const FlashDevice& device, std::span<const ExpectedRange> ranges,
                                             JobContext& ctx) override;
    Result<void> commit(const FlashDevice& device, JobContext& ctx) override;
    Result<void> reset(JobContext& ctx) override;

    /// The connected device (nullptr before connect()).
    const dfu::DfuDevice* device() const { return device_ ? &*device_ : nullptr; }

private:
    /// Where a flash device lives on the DFU device: its alt setting and the address of its offset 0.
    struct Target {
        const dfu::AltSetting* alt = nullptr;
        std::uint64_t base = 0;
        bool dfuse = false;
    };
    /// Gathered bytes for a plain DFU alt setting: [0, end) of its stream.
    struct PlainImage {
        std::string deviceId;
        std::vector<std::uint8_t> bytes;
    };
    /// What an upload of a plain DFU alt setting returned: its first bytes, or all of them.
    struct PlainCache {
        std::uint8_t alt = 0;
        std::vector<std::uint8_t> bytes;
        bool complete = false;
    };

    Result<Target> targetFor(const FlashDevice& device);
    Result<void> use(const Target& target, JobContext& ctx);
    Result<void> dfuseAllows(const Target& target, std::uint64_t address, std::uint64_t length,
                             std::uint8_t access, const char* what) const;
    Result<std::vector<std::uint8_t>> readPlain(const Target& target, std::uint64_t offset,
                                                std::uint64_t length, JobContext& ctx);
    Result<void> stagePlain(const FlashDevice& device, std::uint64_t offset,
                            std::span<const std::uint8_t> data, std::uint64_t length);

    DfuBackendOptions options_;
    Board board_;
    std::unique_ptr<usb::UsbContext> context_;
    std::optional<dfu::DfuDevice> device_;
    std::unique_ptr<usb::UsbHandle> handle_;
    std::unique_ptr<dfu::DfuClient> client_;
    int currentAlt_ = -1;
    std::optional<PlainImage> plain_;
    std::optional<PlainCache> plainCache_;
};

} // namespace flashplan::programmer
