// SPDX-License-Identifier: Apache-2.0
#include "backends/sim/SimulatorBackend.h"

#include <QStandardPaths>

namespace flashplan::programmer {

SimulatorBackend::SimulatorBackend(std::filesystem::path folder) : folder_(std::move(folder)) {
}

SimulatorBackend::SimulatorBackend(InMemory) {
}

std::filesystem::path SimulatorBackend::defaultFolder() {
    const QString env = qEnvironmentVariable("FLASHPLAN_SIM_DIR");
    if (!env.isEmpty())
        return env.toStdString();
    // Shared by the editor and flashplan-cli (whose AppDataLocation differ), so a board flashed in one
    // reads back the same in the other.
    return (QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation) +
            QStringLiteral("/flashplan/simulator"))
        .toStdString();
}

std::filesystem::path SimulatorBackend::imagePath(const Board& board, const FlashDevice& device) const {
    return folder_ / board.id / (device.id + ".bin");
}

Result<void> SimulatorBackend::connect(const Board& board, JobContext& ctx) {
    disconnect();
    if (folder_.empty()) {
        for (const FlashDevice& d : board.devices) {
            auto kept = kept_.extract(board.id + "/" + d.id);
            sims_[d.id] = !kept.empty() && kept.mapped()->device() == d ? std::move(kept.mapped())
                                                                        : FlashSimulator::inRam(d);
        }
        devices_ = board.devices;
        boardId_ = board.id;
        ctx.log("simulated " + board.name + " in memory");
        return {};
    }
    std::error_code ec;
    std::filesystem::create_directories(folder_ / board.id, ec);
    if (ec) {
        Error e = makeError(Errc::Io, "cannot create the simulator's folder: " + ec.message());
        e.where.file = (folder_ / board.id).string();
        return e;
    }
    for (const FlashDevice& d : board.devices) {
        auto sim = FlashSimulator::inFile(d, imagePath(board, d));
        if (!sim) {
            disconnect();
            return sim.error();
        }
        sims_[d.id] = std::move(*sim);
    }
    devices_ = board.devices;
    ctx.log("simulated " + board.name + " in " + (folder_ / board.id).string());
    return {};
}

void SimulatorBackend::disconnect() {
    if (folder_.empty())
        for (auto& [id, sim] : sims_)
            kept_[boardId_ + "/" + id] = std::move(sim);
    sims_.clear();
    devices_.clear();
}

Result<std::vector<FlashDevice>> SimulatorBackend::describe(JobContext&) {
    return devices_;
}

FlashSimulator* SimulatorBackend::simulator(std::string_view deviceId) const {
    const auto it = sims_.find(deviceId);
    return it == sims_.end() ? nullptr : it->second.get();
}

SimulatorBackend::Totals SimulatorBackend::totals(std::string_view deviceId) const {
    const auto it = totals_.find(deviceId);
    return it == totals_.end() ? Totals{} : it->second;
}

Result<FlashSimulator*> SimulatorBackend::sim(const FlashDevice& device) const {
    FlashSimulator* s = simulator(device.id);
    if (!s)
        return makeError(Errc::NoDevice, "the simulator is not connected to " + device.id);
    return s;
}

Result<void> SimulatorBackend::erase(const FlashDevice& device, std::uint64_t offset, std::uint64_t length,
                                     JobContext& ctx) {
    auto s = sim(device);
    if (!s)
        return s.error();
    if (auto c = ctx.checkCancelled(); !c)
        return c;
    if (auto r = (*s)->erase(offset, length); !r)
        return r;
    Totals& t = totals_[device.id];
    ++t.erases;
    t.bytesErased += length;
    device.sectors.forEachSector(offset, length, [&t](const Sector& sector) {
        ++t.erasesPerSector[sector.index];
        return true;
    });
    return {};
}

Result<void> SimulatorBackend::write(const FlashDevice& device, std::uint64_t offset,
                                     std::span<const std::uint8_t> data, JobContext& ctx) {
    auto s = sim(device);
    if (!s)
        return s.error();
    if (auto c = ctx.checkCancelled(); !c)
        return c;
    if (auto r = (*s)->program(offset, data); !r)
        return r;
    totals_[device.id].bytesWritten += data.size();
    return {};
}

Result<std::vector<std::uint8_t>> SimulatorBackend::read(const FlashDevice& device, std::uint64_t offset,
                                                         std::uint64_t length, JobContext& ctx) {
    auto s = sim(device);
    if (!s)
        return s.error();
    if (auto c = ctx.checkCancelled(); !c)
        return c.error();
    std::vector<std::uint8_t> out(static_cast<std::size_t>(length));
    if (auto r = (*s)->read(offset, out); !r)
        return r.error();
    totals_[device.id].bytesRead += length;
    return out;
}

} // namespace flashplan::programmer
