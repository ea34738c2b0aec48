// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "Backend.h"
#include "backends/openocd/FlashBanks.h"
#include "backends/openocd/OpenOcdCommand.h"
#include "backends/openocd/OpenOcdProcess.h"
#include "backends/openocd/TclRpcClient.h"
#include "backends/openocd/TclText.h"

#include <QTemporaryDir>

#include <atomic>
#include <chrono>
#include <memory>
#include <optional>

namespace flashplan::programmer {

/// Programs through OpenOCD over SWD or JTAG. connect() starts `openocd` as a child process with the
/// interface and target configs of the settings or the board's hints (openOcdArguments()), waits until its
/// private TCL-RPC port on 127.0.0.1 listens, then drives it one command at a time: `init`, `reset init`,
/// `flash banks` and `flash info` to learn the sector map, which must match the board's.
/// Erases are `flash erase_sector` over the bank's sector numbers; writes `flash write_bank` and reads
/// `flash read_bank` through files in a private scratch folder; compare checks each range's CRC-32 on the
/// target (`verify_image_checksum`, OpenOCD's routine in the work area) against the image and against
/// erased flash, or reads back when the target has no work area; verify is `verify_image`; reset is
/// `reset run`. A sector OpenOCD reports write-protected is refused before it is erased (in compare, so
/// before anything changes, when flashing smartly). A cancel is noticed between commands and during one: a
/// command in flight is abandoned and OpenOCD ended (shutdown, SIGTERM, SIGKILL) within 2 s. OpenOCD's
/// errors become clear messages (OpenOcdErrors.h). Call connect(), the operations and disconnect() on one
/// thread.
class OpenOcdBackend final : public Backend {
public:
    explicit OpenOcdBackend(openocd::OpenOcdSettings settings);
    ~OpenOcdBackend() override;
    OpenOcdBackend(const OpenOcdBackend&) = delete;
    OpenOcdBackend& operator=(const OpenOcdBackend&) = delete;

    std::string_view name() const override { return "openocd"; }
    Result<void> connect(const Board& board, JobContext& ctx) override;
    void disconnect() override;
    /// The flash banks OpenOCD reported at connect, one device each (id = bank name).
    Result<std::vector<FlashDevice>> describe(JobContext& ctx) override;
    /// A write loads OpenOCD's flash loader each time: sectors go in 128 KiB at a time.
    std::uint64_t batchBytes() const override { return 128 * 1024; }
    Result<void> erase(const FlashDevice& device, std::uint64_t offset, std::uint64_t length,
                       JobContext& ctx) override;
    Result<void> write(const FlashDevice& device, std::uint64_t offset, std::span<const std::uint8_t> data,
                       JobContext& ctx) override;
    Result<std::vector<std::uint8_t>> read(const FlashDevice& device, std::uint64_t offset,
                                           std::uint64_t length, JobContext& ctx) override;
    Result<std::vector<SectorState>> compare(const FlashDevice& device, std::span<const ExpectedRange> ranges,
                                             JobContext& ctx) override;
    Result<void> verify(const FlashDevice& device, std::uint64_t offset, std::span<const std::uint8_t> data,
                        JobContext& ctx) override;
    Result<void> reset(JobContext& ctx) override;

    const openocd::OpenOcdSettings& settings() const { return settings_; }
    /// OpenOCD's process id while a session runs, else 0. Safe from any thread.
    std::int64_t processId() const { return pid_.load(); }

private:
    enum class Echo { Log, Quiet };
    /// Runs one command; a failed command is a reply with a non-zero code, not an error.
    Result<openocd::RpcReply> run(const std::string& command, std::chrono::milliseconds timeout,
                                  JobContext& ctx, Echo echo = Echo::Log);
    /// Runs one command and turns its failure into an explained error.
    Result<openocd::RpcReply> exec(const std::string& command, std::chrono::milliseconds timeout,
                                   JobContext& ctx);
    Result<std::string> executable() const;
    Result<void> learnFlash(const Board& board, JobContext& ctx);
    /// The target's work area in bytes (0: none), asked once a session.
    std::uint64_t workArea(JobContext& ctx);
    /// Probes a bank and fills its base, size and sector list (`flash info`).
    Result<void> learnSectors(openocd::FlashBank& bank, JobContext& ctx);
    /// Whether a failed command ends the session (a cancel, a timeout, a broken connection) rather than
    /// only the bank it was about.
    bool endsSession(const Error& e) const;
    /// "flash bank #1 stm32f4x.otp left aside: why", for a bank passed over.
    static void logBankFailure(const openocd::FlashBank& bank, const char* verdict, const Error& e,
                               JobContext& ctx);
    Result<std::string> scratchFile(const char* name, std::span<const std::uint8_t> bytes) const;
    /// Whether flash at `address` holds `bytes` (OpenOCD's CRC on the target).
    Result<bool> holds(std::uint64_t address, std::span<const std::uint8_t> bytes, const char* file,
                       JobContext& ctx);
    void onLine(const std::string& line);
    /// Errc::Io naming the first sector of `span` that OpenOCD reported write-protected.
    static Result<void> unprotected(const openocd::BankSpan& span);

    openocd::OpenOcdSettings settings_;
    std::unique_ptr<openocd::OpenOcdProcess> process_;
    openocd::TclRpcClient rpc_;
    std::unique_ptr<QTemporaryDir> scratch_;
    std::vector<openocd::FlashBank> banks_;
    std::optional<std::uint64_t> workArea_; ///< learnt by workArea()
    JobContext* ctx_ = nullptr;             ///< the job OpenOCD's output lines are logged to, while one runs
    bool quiet_ = false;
    std::atomic<std::int64_t> pid_{0};
};

} // namespace flashplan::programmer
