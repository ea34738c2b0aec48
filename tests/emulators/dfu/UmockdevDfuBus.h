// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "EmulatedDfuDevice.h"

#include <atomic>
#include <memory>
#include <string>
#include <vector>

typedef struct _UMockdevTestbed UMockdevTestbed;

namespace flashplan::emu {

struct BusCallbacks;

/// How to plug an emulated device in.
struct PlugOptions {
    bool runtime = false; ///< start in run-time mode (the application runs; DFU_DETACH switches)
    double timeScale = 0; ///< how long operations take, as a fraction of the profile's timing
};

/// A umockdev testbed with emulated DFU devices on USB bus 1, which real libusb (this process's, and any
/// child's: dfu-util, flashplan-cli) enumerates and talks to through usbfs ioctls. Each device sits on
/// its own root port (1-1, 1-2, ...). The process must run under umockdev's preload library
/// (UmockdevPreload.h); the testbed sets UMOCKDEV_DIR for itself and its children while it lives.
///
/// The bus carries out what a device asks for: it removes a device that vanishes (a fault, DfuSe leave,
/// a reset into new firmware: every later ioctl on it fails with ENODEV, as on Linux) and re-enumerates
/// a detached run-time device in DFU mode at a new address on the same port, with uevents, so libusb's
/// hotplug sees both. Requests are served on umockdev's worker thread.
class UmockdevDfuBus {
public:
    UmockdevDfuBus();
    ~UmockdevDfuBus();
    UmockdevDfuBus(const UmockdevDfuBus&) = delete;
    UmockdevDfuBus& operator=(const UmockdevDfuBus&) = delete;

    /// Plugs a device in; it stays owned by the bus.
    EmulatedDfuDevice& plug(const DfuDeviceProfile& profile, const PlugOptions& options = {});
    /// True once the device at `port` (1-based, in plug order) left the bus for good.
    bool gone(std::size_t port) const;
    /// The device's current bus path and address ("1-1", 2).
    std::string path(std::size_t port) const;
    int address(std::size_t port) const;
    /// The testbed's root (UMOCKDEV_DIR).
    std::string root() const;

    struct Node;
    struct Port;

private:
    friend struct BusCallbacks;
    void attach(Port& port);
    void vanish(Port& port);
    void reenumerate(Port& port);

    UMockdevTestbed* testbed_;
    std::atomic<int> scheduled_{0}; ///< re-enumerations still to run on the worker thread
    std::vector<std::unique_ptr<Port>> ports_;
};

/// True when this process runs under libumockdev-preload (the testbed needs it).
bool umockdevPreloaded();
/// Re-executes the process under libumockdev-preload unless it already is (call first in main). Under
/// AddressSanitizer it also sets verify_asan_link_order=0, since the preload library comes first.
void ensureUmockdevPreload(char** argv);

} // namespace flashplan::emu

/// A Qt Test main for suites that use UmockdevDfuBus.
#define FLASHPLAN_UMOCKDEV_TEST_MAIN(TestObject)                                                             \
    int main(int argc, char** argv) {                                                                        \
        flashplan::emu::ensureUmockdevPreload(argv);                                                         \
        QCoreApplication app(argc, argv);                                                                    \
        TestObject tc;                                                                                       \
        QTEST_SET_MAIN_SOURCE_PATH                                                                           \
        return QTest::qExec(&tc, argc, argv);                                                                \
    }
