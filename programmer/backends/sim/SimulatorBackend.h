// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "Backend.h"
#include "sim/FlashSimulator.h"

#include <filesystem>
#include <map>
#include <memory>

namespace flashplan::programmer {

/// The built-in target: the core's NOR flash simulator, one file per device under a folder
/// (`<folder>/<board id>/<device id>.bin`), so what is flashed stays there across runs. The default
/// folder is $FLASHPLAN_SIM_DIR when set, else `flashplan/simulator` in the user's data folder
/// (~/.local/share/flashplan/simulator), the same for the editor and flashplan-cli.
class SimulatorBackend final : public Backend {
public:
    explicit SimulatorBackend(std::filesystem::path folder = defaultFolder());
    /// Devices in memory instead of files: each is created erased at its first connect and kept, across
    /// connections, for this backend's lifetime (a board whose device changes geometry gets a new, erased
    /// one). Nothing is left on disk: for property tests that run thousands of jobs, and dry runs.
    struct InMemory {};
    explicit SimulatorBackend(InMemory);
    static std::filesystem::path defaultFolder();

    std::string_view name() const override { return "sim"; }
    Result<void> connect(const Board& board, JobContext& ctx) override;
    void disconnect() override;
    Result<std::vector<FlashDevice>> describe(JobContext& ctx) override;
    Result<void> erase(const FlashDevice& device, std::uint64_t offset, std::uint64_t length,
                       JobContext& ctx) override;
    Result<void> write(const FlashDevice& device, std::uint64_t offset, std::span<const std::uint8_t> data,
                       JobContext& ctx) override;
    Result<std::vector<std::uint8_t>> read(const FlashDevice& device, std::uint64_t offset,
                                           std::uint64_t length, JobContext& ctx) override;

    /// The simulator of a connected device, or nullptr.
    FlashSimulator* simulator(std::string_view deviceId) const;

    /// What this backend did to a device over its lifetime (across connections), so tests can tell a
    /// skipped sector from a rewritten one without trusting the job's own report.
    struct Totals {
        std::uint64_t erases = 0; ///< erase calls
        std::uint64_t bytesErased = 0;
        /// Erases by sector index; a sector never erased is absent.
        std::map<std::uint64_t, std::uint64_t> erasesPerSector;
        std::uint64_t bytesWritten = 0;
        std::uint64_t bytesRead = 0;
    };
    Totals totals(std::string_view deviceId) const;
    /// The file that holds a device of a board.
    std::filesystem::path imagePath(const Board& board, const FlashDevice& device) const;

private:
    Result<FlashSimulator*> sim(const FlashDevice& device) const;

    std::filesystem::path folder_; ///< empty: in memory
    /// In memory: the devices of the boards connected before, by "<board id>/<device id>", while another
    /// board or none is connected.
    std::map<std::string, std::unique_ptr<FlashSimulator>, std::less<>> kept_;
    std::string boardId_; ///< the board connected, for kept_
    std::vector<FlashDevice> devices_;
    std::map<std::string, std::unique_ptr<FlashSimulator>, std::less<>> sims_;
    std::map<std::string, Totals, std::less<>> totals_;
};

} // namespace flashplan::programmer
