// SPDX-License-Identifier: Apache-2.0
#include "backends/openocd/OpenOcdBackend.h"

#include "backends/openocd/OpenOcdErrors.h"
#include "util/Numbers.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QStandardPaths>
#include <QTcpServer>

#include <algorithm>
#include <optional>

namespace flashplan::programmer {

using namespace openocd;
using std::chrono::milliseconds;
using std::chrono::seconds;

namespace {

// Deadlines are watchdogs for a hung OpenOCD or probe, not estimates: the slowest honest case (half-word
// writes through the debug port, with no work area) runs at a few KiB/s.
constexpr milliseconds kStartTimeout = seconds(15);
constexpr milliseconds kConnectTimeout = seconds(5);
constexpr milliseconds kInitTimeout = seconds(30);
constexpr milliseconds kCommandTimeout = seconds(20);

milliseconds timeoutFor(std::uint64_t bytes) {
    return kCommandTimeout + milliseconds(bytes / 1024 * 1000); // at least 1 KiB/s
}

/// The command line as a user would type it, to reproduce a session by hand.
std::string displayed(const std::string& program, const std::vector<std::string>& args) {
    std::string out = program;
    for (const std::string& a : args) {
        const bool plain = !a.empty() && a.find_first_of(" \t\n'\"\\$[]{};&|<>()*?#~`") == std::string::npos;
        if (plain) {
            out += " " + a;
            continue;
        }
        out += " '";
        for (const char c : a)
            out += c == '\'' ? std::string("'\\''") : std::string(1, c);
        out += "'";
    }
    return out;
}

Result<std::uint16_t> freeLocalPort() {
    QTcpServer probe;
    if (!probe.listen(QHostAddress(QHostAddress::LocalHost), 0))
        return makeError(Errc::Io, "cannot find a free TCP port on 127.0.0.1 for OpenOCD: " +
                                       probe.errorString().toStdString());
    return static_cast<std::uint16_t>(probe.serverPort());
}

bool isLogLine(const std::string& line) {
    return line.starts_with("Info : ") || line.starts_with("Warn : ") || line.starts_with("Error: ");
}

} // namespace

OpenOcdBackend::OpenOcdBackend(OpenOcdSettings settings) : settings_(std::move(settings)) {
}

OpenOcdBackend::~OpenOcdBackend() {
    disconnect();
}

void OpenOcdBackend::onLine(const std::string& line) {
    if (ctx_ && !quiet_ && isLogLine(line))
        ctx_->log("openocd: " + line);
}

Result<std::string> OpenOcdBackend::executable() const {
    const std::string& given = settings_.executable;
    if (given.empty() || given.find('/') == std::string::npos) {
        const QString name = QString::fromStdString(given.empty() ? std::string("openocd") : given);
        const QString found = QStandardPaths::findExecutable(name);
        if (found.isEmpty())
            return makeError(Errc::NotFound, name.toStdString() +
                                                 " is not on PATH: install OpenOCD (Debian and Ubuntu: apt "
                                                 "install openocd) or give the path of its executable");
        return found.toStdString();
    }
    const QFileInfo info(QString::fromStdString(given));
    Error e = makeError(Errc::NotFound, "");
    e.where.file = given;
    if (!info.exists())
        e.message = "there is no OpenOCD at " + given;
    else if (!info.isFile() || !info.isExecutable())
        e.message = given + " is not an executable file";
    else
        return info.absoluteFilePath().toStdString();
    return e;
}

Result<void> OpenOcdBackend::connect(const Board& board, JobContext& ctx) {
    disconnect();
    ctx_ = &ctx;
    const auto failed = [this](Error e) -> Result<void> {
        disconnect();
        return e;
    };
    auto program = executable();
    if (!program)
        return failed(program.error());
    Result<std::uint16_t> port =
        settings_.tclPort != 0 ? Result<std::uint16_t>(settings_.tclPort) : freeLocalPort();
    if (!port)
        return failed(port.error());
    auto args = openOcdArguments(settings_, board.programmer, *port);
    if (!args)
        return failed(args.error());

    const QString folder =
        settings_.scratchFolder.empty() ? QDir::tempPath() : QString::fromStdString(settings_.scratchFolder);
    scratch_ = std::make_unique<QTemporaryDir>(folder + QStringLiteral("/flashplan-openocd-XXXXXX"));
    if (!scratch_->isValid()) {
        Error e =
            makeError(Errc::Io, "cannot make a scratch folder for OpenOCD's files in " +
                                    folder.toStdString() + ": " + scratch_->errorString().toStdString());
        e.where.file = folder.toStdString();
        return failed(e);
    }

    ctx.log("starting " + displayed(*program, *args));
    process_ = std::make_unique<OpenOcdProcess>();
    process_->setLineHandler([this](const std::string& line) { onLine(line); });
    if (auto r = process_->start(*program, *args, *port, kStartTimeout, [&ctx] { return ctx.cancelled(); });
        !r)
        return failed(r.error());
    pid_ = process_->pid();
    const auto poll = [this, &ctx]() -> Result<void> {
        process_->pump();
        if (ctx.cancelled())
            return makeError(Errc::Cancelled, "cancelled");
        if (!process_->running())
            return explainOpenOcd("OpenOCD ended unexpectedly", process_->recentOutput());
        return {};
    };
    if (auto r = rpc_.open(*port, kConnectTimeout, poll); !r)
        return failed(r.error());

    // `reset init` halts like `reset halt` and then runs the target config's reset-init handler, which
    // readies the chip for flashing (the STM32F4's raises its clock and the adapter speed): what OpenOCD's
    // own `program` does.
    for (const char* step : {"init", "reset init"})
        if (auto r = exec(step, kInitTimeout, ctx); !r)
            return failed(r.error());
    if (auto r = learnFlash(board, ctx); !r)
        return failed(r.error());
    ctx_ = nullptr;
    return {};
}

Result<void> OpenOcdBackend::learnFlash(const Board& board, JobContext& ctx) {
    auto listed = exec("flash banks", kCommandTimeout, ctx);
    if (!listed)
        return listed.error();
    auto banks = parseFlashBanks(listed->result);
    if (!banks)
        return banks.error();
    // `flash info` probes a bank and lists its sectors. Only banks that may hold the board's flash are
    // asked now: a bank the board does not use (an unwired external flash) may fail without harm, and the
    // F4's OTP bank alone costs as much as the rest of the set-up; describe() asks the others. A config
    // places a bank at a base that probing keeps, unless it says 0 (drivers that detect the chip declare
    // base and size 0 until probed), so a bank based past the end of every device cannot hold any of them.
    std::optional<Error> failure;
    banks_.clear();
    for (FlashBank& bank : *banks) {
        const bool mayHold =
            bank.base == 0 ||
            std::any_of(board.devices.begin(), board.devices.end(), [&](const FlashDevice& d) {
                return bank.size == 0 ? d.cpuBase && *d.cpuBase + d.size() > bank.base : overlaps(bank, d);
            });
        if (mayHold) {
            if (auto r = learnSectors(bank, ctx); !r) {
                // A bank's own failure only matters when no bank is left for the board.
                if (endsSession(r.error()))
                    return r.error();
                logBankFailure(bank, "left aside", r.error(), ctx);
                if (!failure)
                    failure = r.error();
                continue;
            }
        }
        banks_.push_back(std::move(bank));
    }

    bool reached = false;
    for (const FlashDevice& d : board.devices) {
        if (!std::any_of(banks_.begin(), banks_.end(), [&](const FlashBank& b) { return overlaps(b, d); })) {
            ctx.log(d.id +
                    ": OpenOCD has no flash bank at its addresses, so it cannot be programmed this way");
            continue;
        }
        if (auto r = crossCheck(d, banks_); !r)
            return r.error();
        reached = true;
    }
    if (!reached)
        return failure ? *failure
                       : makeError(Errc::NoDevice, "OpenOCD reports no flash bank at the addresses of " +
                                                       board.name +
                                                       "'s flash: is the target config the right one?");
    for (const FlashBank& b : banks_)
        if (!b.sectors.empty())
            ctx.log("flash bank #" + std::to_string(b.number) + " " + b.name + " (" + b.driver + ") at " +
                    formatAddress(b.base) + ": " + formatSize(b.size) + ", " +
                    std::to_string(b.sectors.size()) + " sectors");

    return {};
}

Result<void> OpenOcdBackend::learnSectors(FlashBank& bank, JobContext& ctx) {
    auto info = exec(flashInfo(bank.number), kCommandTimeout, ctx);
    if (!info)
        return info.error();
    return parseFlashInfo(info->result, bank);
}

bool OpenOcdBackend::endsSession(const Error& e) const {
    return e.code == Errc::Cancelled || !rpc_.usable();
}

void OpenOcdBackend::logBankFailure(const FlashBank& bank, const char* verdict, const Error& e,
                                    JobContext& ctx) {
    ctx.log("flash bank #" + std::to_string(bank.number) + " " + bank.name + " " + verdict + ": " +
            e.message);
}

std::uint64_t OpenOcdBackend::workArea(JobContext& ctx) {
    if (workArea_)
        return *workArea_;
    // Asked only when a compare needs to know: a full write never does.
    auto area = exec(workAreaSize(), kCommandTimeout, ctx);
    workArea_ = 0;
    if (area)
        if (auto n = parseNumber(area->result))
            workArea_ = *n;
    ctx.log(*workArea_ > 0 ? "work area of " + formatSize(*workArea_) +
                                 ": OpenOCD's flash loader and CRC routine run on the target"
                           : std::string("no work area: OpenOCD writes through the debug port and compare "
                                         "reads flash back (slow)"));
    return *workArea_;
}

void OpenOcdBackend::disconnect() {
    if (process_) {
        // `shutdown` only when the connection is in step: with a command in flight (a cancel) OpenOCD would
        // read it only after that command ends, so SIGTERM comes at once instead.
        std::function<void()> quit;
        if (rpc_.usable())
            quit = [this] { (void)rpc_.call("shutdown", milliseconds(300), [] { return Result<void>{}; }); };
        process_->stop(quit);
    }
    rpc_.close();
    process_.reset();
    scratch_.reset();
    banks_.clear();
    workArea_.reset();
    pid_ = 0;
    ctx_ = nullptr;
}

Result<RpcReply> OpenOcdBackend::run(const std::string& command, milliseconds timeout, JobContext& ctx,
                                     Echo echo) {
    if (auto c = ctx.checkCancelled(); !c)
        return c.error();
    if (!process_ || !process_->running())
        return makeError(Errc::NoDevice, "OpenOCD is not running: connect first");
    ctx_ = &ctx;
    quiet_ = echo == Echo::Quiet;
    const auto poll = [this, &ctx, &command]() -> Result<void> {
        process_->pump();
        if (ctx.cancelled())
            return makeError(Errc::Cancelled, "cancelled during OpenOCD's `" + command + "`");
        if (!process_->running())
            return explainOpenOcd("OpenOCD ended unexpectedly during `" + command + "`",
                                  process_->recentOutput());
        return {};
    };
    auto answer = rpc_.call(rpcScript(command), timeout, poll);
    process_->pump();
    quiet_ = false;
    ctx_ = nullptr;
    if (!answer) {
        Error e = answer.error();
        if (e.code == Errc::Timeout)
            e.message = "OpenOCD did not finish `" + command + "` within " +
                        std::to_string(std::chrono::duration_cast<seconds>(timeout).count()) + " s";
        return e;
    }
    return parseRpcReply(*answer);
}

Result<RpcReply> OpenOcdBackend::exec(const std::string& command, milliseconds timeout, JobContext& ctx) {
    auto reply = run(command, timeout, ctx);
    if (!reply)
        return reply.error();
    if (!reply->ok())
        return explainOpenOcd("OpenOCD's `" + command + "` failed", reply->text());
    return reply;
}

Result<std::vector<FlashDevice>> OpenOcdBackend::describe(JobContext& ctx) {
    std::vector<FlashDevice> out;
    for (FlashBank& b : banks_) {
        if (b.sectors.empty())
            if (auto r = learnSectors(b, ctx); !r) {
                if (endsSession(r.error()))
                    return r.error();
                logBankFailure(b, "left out", r.error(), ctx);
                continue;
            }
        if (auto d = deviceOf(b))
            out.push_back(std::move(*d));
    }
    return out;
}

Result<std::string> OpenOcdBackend::scratchFile(const char* name, std::span<const std::uint8_t> bytes) const {
    if (!scratch_)
        return makeError(Errc::NoDevice, "OpenOCD is not running: connect first");
    const QString path = scratch_->filePath(QString::fromLatin1(name));
    QFile f(path);
    const auto size = static_cast<qint64>(bytes.size());
    if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate) ||
        f.write(reinterpret_cast<const char*>(bytes.data()), size) != size || !f.flush()) {
        Error e = makeError(Errc::Io, "cannot write OpenOCD's file: " + f.errorString().toStdString());
        e.where.file = path.toStdString();
        return e;
    }
    return path.toStdString();
}

Result<void> OpenOcdBackend::unprotected(const BankSpan& span) {
    for (std::size_t i = span.firstSector; i <= span.lastSector; ++i)
        if (span.bank->sectors[i].protection == BankSector::Protection::On)
            return makeError(Errc::Io, "sector " + std::to_string(i) + " of flash bank " + span.bank->name +
                                           " is write-protected: remove the protection (option bytes) first");
    return {};
}

Result<void> OpenOcdBackend::erase(const FlashDevice& device, std::uint64_t offset, std::uint64_t length,
                                   JobContext& ctx) {
    auto span = locate(banks_, device, offset, length);
    if (!span)
        return span.error();
    if (!span->wholeSectors())
        return makeError(Errc::Misaligned, device.id + " " + formatHex(offset) + "+" + formatHex(length) +
                                               " is not whole sectors of " + span->bank->name);
    if (auto w = unprotected(*span); !w)
        return w;
    auto r = exec(flashEraseSectors(span->bank->number, span->firstSector, span->lastSector),
                  timeoutFor(length), ctx);
    if (!r)
        return r.error();
    return {};
}

Result<void> OpenOcdBackend::write(const FlashDevice& device, std::uint64_t offset,
                                   std::span<const std::uint8_t> data, JobContext& ctx) {
    auto span = locate(banks_, device, offset, data.size());
    if (!span)
        return span.error();
    auto file = scratchFile("write.bin", data);
    if (!file)
        return file.error();
    auto command = flashWriteBank(span->bank->number, *file, span->offset);
    if (!command)
        return command.error();
    auto r = exec(*command, timeoutFor(data.size()), ctx);
    if (!r)
        return r.error();
    return {};
}

Result<std::vector<std::uint8_t>> OpenOcdBackend::read(const FlashDevice& device, std::uint64_t offset,
                                                       std::uint64_t length, JobContext& ctx) {
    auto span = locate(banks_, device, offset, length);
    if (!span)
        return span.error();
    auto file = scratchFile("read.bin", {});
    if (!file)
        return file.error();
    auto command = flashReadBank(span->bank->number, *file, span->offset, length);
    if (!command)
        return command.error();
    if (auto r = exec(*command, timeoutFor(length), ctx); !r)
        return r.error();
    QFile f(QString::fromStdString(*file));
    if (!f.open(QIODevice::ReadOnly)) {
        Error e = makeError(Errc::Io, "cannot read what OpenOCD read: " + f.errorString().toStdString());
        e.where.file = *file;
        return e;
    }
    const QByteArray bytes = f.readAll();
    if (static_cast<std::uint64_t>(bytes.size()) != length)
        return makeError(Errc::Io, "OpenOCD read " + std::to_string(bytes.size()) + " bytes of " + device.id +
                                       " at " + formatHex(offset) + " instead of " + std::to_string(length));
    return std::vector<std::uint8_t>(bytes.begin(), bytes.end());
}

Result<bool> OpenOcdBackend::holds(std::uint64_t address, std::span<const std::uint8_t> bytes,
                                   const char* name, JobContext& ctx) {
    auto file = scratchFile(name, bytes);
    if (!file)
        return file.error();
    auto command = verifyImageChecksum(*file, address);
    if (!command)
        return command.error();
    // A difference is an answer here, not a failure: keep OpenOCD's "checksum mismatch" out of the log.
    auto reply = run(*command, timeoutFor(bytes.size()), ctx, Echo::Quiet);
    if (!reply)
        return reply.error();
    if (reply->ok())
        return true;
    if (reply->text().find("checksum mismatch") != std::string::npos)
        return false;
    return explainOpenOcd("OpenOCD's `" + *command + "` failed", reply->text());
}

Result<std::vector<SectorState>>
OpenOcdBackend::compare(const FlashDevice& device, std::span<const ExpectedRange> ranges, JobContext& ctx) {
    // Compare runs before anything is erased: a protected sector is refused here, while nothing has changed.
    for (const ExpectedRange& r : ranges) {
        if (r.bytes.empty())
            continue;
        auto span = locate(banks_, device, r.offset, r.bytes.size());
        if (!span)
            return span.error();
        if (auto w = unprotected(*span); !w)
            return w.error();
    }
    // Without a work area OpenOCD computes the CRC from a read-back; reading once and comparing here is
    // then cheaper than the two checksums below.
    if (!device.cpuBase || workArea(ctx) == 0)
        return Backend::compare(device, ranges, ctx);
    std::vector<SectorState> states;
    for (const ExpectedRange& r : ranges) {
        if (r.bytes.empty()) {
            states.push_back(SectorState::Matches);
            continue;
        }
        const std::uint64_t address = *device.cpuBase + r.offset;
        auto same = holds(address, r.bytes, "expected.bin", ctx);
        if (!same)
            return same.error();
        if (*same) {
            states.push_back(SectorState::Matches);
            continue;
        }
        const bool wantsErased = std::all_of(r.bytes.begin(), r.bytes.end(),
                                             [&](std::uint8_t b) { return b == device.eraseValue; });
        if (wantsErased) {
            states.push_back(SectorState::Differs);
            continue;
        }
        const std::vector<std::uint8_t> erased(r.bytes.size(), device.eraseValue);
        auto blank = holds(address, erased, "erased.bin", ctx);
        if (!blank)
            return blank.error();
        states.push_back(*blank ? SectorState::Erased : SectorState::Differs);
    }
    return states;
}

Result<void> OpenOcdBackend::verify(const FlashDevice& device, std::uint64_t offset,
                                    std::span<const std::uint8_t> data, JobContext& ctx) {
    // verify_image works on CPU addresses, so an image may span two of OpenOCD's banks.
    if (!device.cpuBase)
        return Backend::verify(device, offset, data, ctx);
    auto file = scratchFile("verify.bin", data);
    if (!file)
        return file.error();
    auto command = verifyImage(*file, *device.cpuBase + offset);
    if (!command)
        return command.error();
    auto r = exec(*command, timeoutFor(data.size()), ctx);
    if (!r) {
        Error e = r.error();
        e.message = device.id + ": " + e.message;
        return e;
    }
    return {};
}

Result<void> OpenOcdBackend::reset(JobContext& ctx) {
    auto r = exec("reset run", kInitTimeout, ctx);
    if (!r)
        return r.error();
    return {};
}

} // namespace flashplan::programmer
