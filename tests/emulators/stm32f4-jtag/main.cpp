// SPDX-License-Identifier: Apache-2.0
// flashplan-emu-stm32f4: an emulated STM32F407 served to OpenOCD over remote_bitbang (see README.md).
#include "FlashDump.h"
#include "RemoteBitbangServer.h"
#include "Stm32f4Target.h"

#include "io/TextFile.h"
#include "sim/FlashStorage.h"
#include "util/Numbers.h"

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <optional>
#include <string>
#include <unistd.h>
#include <vector>

using namespace flashplan;
using namespace flashplan::emu;

namespace {

constexpr const char* kName = "flashplan-emu-stm32f4";
constexpr int kExitError = 2;

const char* const kUsage = R"(usage: flashplan-emu-stm32f4 [options]

An emulated STM32F407 (Cortex-M4 JTAG-DP, AHB-AP, flash controller over simulated NOR flash) served to
OpenOCD's remote_bitbang adapter on 127.0.0.1.

  --port N                 TCP port; 0 (the default) lets the system choose. Prints
                           "flashplan-emu-stm32f4 ready on port <p>" once listening.
  --flash-in FILE          start from this 1 MiB flash image (default: erased, all 0xff)
  --flash-out FILE         write the flash to FILE at exit and on SIGUSR1 (atomically)
  --stats-out FILE         write erase/program counters as JSON at exit and on SIGUSR1
  --exit-on-disconnect     exit when the OpenOCD session ends ('Q' or disconnect); the default
  --keep-serving           accept another session after one ends
  --stuck-sector N         fault injection: sector N takes erases and programs without changing
                           and without an error (repeatable)
  --hold-at OFFSET         once a program reaches flash offset OFFSET, print
                           "flashplan-emu-stm32f4 holding at <offset>" and stop answering OpenOCD
                           (as a stalled probe would) until SIGUSR2 or until OpenOCD goes away
  --timing MODEL           how long erases and programs take: "instant" (the default) or
                           "datasheet" (the STM32F407 datasheet's typical times, for benchmarks)
  --help                   this text

SIGTERM and SIGINT write the files and exit 0; SIGUSR1 writes them and prints
"flashplan-emu-stm32f4 dumped"; SIGUSR2 ends a hold. Errors exit with 2.
)";

struct Options {
    std::uint16_t port = 0;
    std::string flashIn;
    std::string flashOut;
    std::string statsOut;
    bool exitOnDisconnect = true;
    std::vector<std::uint64_t> stuckSectors;
    std::optional<std::uint32_t> holdAt;
    bool datasheetTiming = false;
};

int fail(const std::string& message) {
    std::fprintf(stderr, "%s: %s\n", kName, message.c_str());
    return kExitError;
}

/// nullopt after printing why (or the help, with `exitCode` 0).
std::optional<Options> parse(int argc, char** argv, int& exitCode) {
    Options o;
    exitCode = kExitError;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        const auto value = [&]() -> std::optional<std::string> {
            if (i + 1 >= argc) {
                fail(arg + " needs a value");
                return std::nullopt;
            }
            return std::string(argv[++i]);
        };
        const auto number = [&](std::uint64_t max) -> std::optional<std::uint64_t> {
            const auto v = value();
            if (!v)
                return std::nullopt;
            const auto n = parseNumber(*v);
            if (!n || *n > max) {
                fail(arg + ": '" + *v + "' is not a number from 0 to " + std::to_string(max));
                return std::nullopt;
            }
            return *n;
        };
        if (arg == "--help" || arg == "-h") {
            std::fputs(kUsage, stdout);
            exitCode = 0;
            return std::nullopt;
        } else if (arg == "--port") {
            const auto n = number(65535);
            if (!n)
                return std::nullopt;
            o.port = static_cast<std::uint16_t>(*n);
        } else if (arg == "--flash-in" || arg == "--flash-out" || arg == "--stats-out") {
            const auto v = value();
            if (!v)
                return std::nullopt;
            (arg == "--flash-in" ? o.flashIn : arg == "--flash-out" ? o.flashOut : o.statsOut) = *v;
        } else if (arg == "--exit-on-disconnect") {
            o.exitOnDisconnect = true;
        } else if (arg == "--keep-serving") {
            o.exitOnDisconnect = false;
        } else if (arg == "--stuck-sector") {
            const auto n = number(1000);
            if (!n)
                return std::nullopt;
            o.stuckSectors.push_back(*n);
        } else if (arg == "--hold-at") {
            const auto n = number(0xffffffff);
            if (!n)
                return std::nullopt;
            o.holdAt = static_cast<std::uint32_t>(*n);
        } else if (arg == "--timing") {
            const auto v = value();
            if (!v)
                return std::nullopt;
            if (*v != "instant" && *v != "datasheet") {
                fail("--timing: '" + *v + "' is neither instant nor datasheet");
                return std::nullopt;
            }
            o.datasheetTiming = *v == "datasheet";
        } else {
            fail("unknown argument '" + arg + "' (--help lists the options)");
            return std::nullopt;
        }
    }
    return o;
}

/// The flash, erased or loaded from --flash-in (which must be exactly the device's size).
Result<std::unique_ptr<FlashSimulator>> makeFlash(const Options& o) {
    auto device = Stm32f4Target::flashDevice();
    if (!device)
        return device.error();
    auto storage = std::make_unique<RamStorage>(device->size(), device->eraseValue);
    if (!o.flashIn.empty()) {
        auto image = readTextFile(o.flashIn);
        if (!image)
            return image.error();
        if (image->size() != device->size())
            return makeError(Errc::InvalidArgument,
                             "--flash-in " + o.flashIn + " is " + std::to_string(image->size()) +
                                 " bytes; the STM32F407 flash is " + std::to_string(device->size()) +
                                 " bytes (" + formatSize(device->size()) + ")");
        const auto* bytes = reinterpret_cast<const std::uint8_t*>(image->data());
        if (auto r = storage->write(0, std::span(bytes, image->size())); !r)
            return r.error();
    }
    return std::make_unique<FlashSimulator>(*device, std::move(storage));
}

int wakePipe[2] = {-1, -1};

void onSignal(int signo) {
    const int saved = errno;
    const char byte = static_cast<char>(signo);
    [[maybe_unused]] const ssize_t n = ::write(wakePipe[1], &byte, 1);
    errno = saved;
}

bool installSignals() {
    if (::pipe2(wakePipe, O_CLOEXEC | O_NONBLOCK) != 0)
        return false;
    struct sigaction sa {};
    sa.sa_handler = onSignal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESTART;
    for (int s : {SIGTERM, SIGINT, SIGUSR1, SIGUSR2})
        if (::sigaction(s, &sa, nullptr) != 0)
            return false;
    std::signal(SIGPIPE, SIG_IGN);
    return true;
}

int run(const Options& o) {
    auto flash = makeFlash(o);
    if (!flash)
        return fail(flash.error().toString());
    Stm32f4Target target(std::move(*flash));
    const std::uint64_t sectors = target.flash().device().sectors.sectorCount();
    for (std::uint64_t s : o.stuckSectors) {
        if (s >= sectors)
            return fail("--stuck-sector " + std::to_string(s) + ": the flash has sectors 0 to " +
                        std::to_string(sectors - 1));
        target.flashController().setStuck(s);
    }
    FlashTiming timing;
    timing.datasheet = o.datasheetTiming;
    target.setFlashTiming(timing);
    Stm32f4FlashController& controller = target.flashController();
    if (o.holdAt)
        controller.setHoldAt(*o.holdAt);
    // Tells the test once, when the hold begins.
    bool announced = false;
    const auto held = [&] {
        if (!controller.held())
            return false;
        if (!announced) {
            std::printf("%s holding at 0x%x\n", kName, unsigned(*o.holdAt));
            std::fflush(stdout);
            announced = true;
        }
        return true;
    };
    if (!installSignals())
        return fail(std::string("cannot install signal handlers: ") + std::strerror(errno));
    auto server = RemoteBitbangServer::listen(o.port);
    if (!server)
        return fail(server.error().toString());

    const auto dump = [&]() -> bool {
        if (auto r = writeFlashDump(target.flash(), o.flashOut, o.statsOut); !r) {
            fail(r.error().toString());
            return false;
        }
        return true;
    };

    std::printf("%s ready on port %u\n", kName, unsigned((*server)->port()));
    std::fflush(stdout);
    for (;;) {
        const auto event = (*server)->serve(target, wakePipe[0], held);
        if (!event) {
            fail(event.error().toString());
            dump();
            return kExitError;
        }
        if (*event == RemoteBitbangServer::Event::SessionEnded) {
            controller.release(); // a hold belongs to the session that reached it
            if (o.exitOnDisconnect)
                return dump() ? 0 : kExitError;
            continue;
        }
        char signals[16];
        const ssize_t n = ::read(wakePipe[0], signals, sizeof signals);
        for (ssize_t i = 0; i < n; ++i) {
            if (signals[i] == SIGUSR2) {
                controller.release();
            } else if (signals[i] == SIGUSR1) {
                if (!dump())
                    return kExitError;
                std::printf("%s dumped\n", kName);
                std::fflush(stdout);
            } else {
                return dump() ? 0 : kExitError;
            }
        }
    }
}

} // namespace

int main(int argc, char** argv) {
    int exitCode = 0;
    const auto options = parse(argc, argv, exitCode);
    if (!options)
        return exitCode;
    return run(*options);
}
