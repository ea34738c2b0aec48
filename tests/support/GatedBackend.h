// SPDX-License-Identifier: Apache-2.0
#pragma once
// A backend for cancel tests: the simulator, except that its first write waits at a gate until the test
// opens it (or the job is cancelled), so a test can cancel a job while a write is surely under way.

#include "backends/sim/SimulatorBackend.h"

#include <atomic>
#include <chrono>
#include <filesystem>
#include <memory>
#include <thread>

namespace testsupport {

/// What the test and the backend (on the job's worker thread) share.
struct Gate {
    std::atomic<bool> entered{false}; ///< a write is waiting at the gate
    std::atomic<bool> open{false};    ///< the test lets it through
    std::atomic<bool> destroyed{false};
};

class GatedBackend final : public flashplan::programmer::Backend {
public:
    GatedBackend(std::filesystem::path folder, std::shared_ptr<Gate> gate)
        : sim_(std::move(folder)), gate_(std::move(gate)) {}
    ~GatedBackend() override { gate_->destroyed = true; }

    std::string_view name() const override { return "sim"; }
    flashplan::Result<void> connect(const flashplan::Board& board,
                                    flashplan::programmer::JobContext& ctx) override {
        return sim_.connect(board, ctx);
    }
    void disconnect() override { sim_.disconnect(); }
    flashplan::Result<void> erase(const flashplan::FlashDevice& device, std::uint64_t offset,
                                  std::uint64_t length, flashplan::programmer::JobContext& ctx) override {
        return sim_.erase(device, offset, length, ctx);
    }
    flashplan::Result<void> write(const flashplan::FlashDevice& device, std::uint64_t offset,
                                  std::span<const std::uint8_t> data,
                                  flashplan::programmer::JobContext& ctx) override {
        if (!gate_->entered.exchange(true))
            while (!gate_->open && !ctx.cancelled())
                std::this_thread::sleep_for(std::chrono::milliseconds(1));
        return sim_.write(device, offset, data, ctx);
    }
    flashplan::Result<std::vector<std::uint8_t>> read(const flashplan::FlashDevice& device,
                                                      std::uint64_t offset, std::uint64_t length,
                                                      flashplan::programmer::JobContext& ctx) override {
        return sim_.read(device, offset, length, ctx);
    }

private:
    flashplan::programmer::SimulatorBackend sim_;
    std::shared_ptr<Gate> gate_;
};

} // namespace testsupport
