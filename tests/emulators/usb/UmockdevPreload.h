// SPDX-License-Identifier: Apache-2.0
#pragma once

namespace flashplan::emu {

/// True when this process runs under libumockdev-preload (a umockdev testbed needs it).
bool umockdevPreloaded();
/// Re-executes the process under libumockdev-preload unless it already is (call first in main). Under
/// AddressSanitizer it also sets verify_asan_link_order=0, since the preload library comes first.
void ensureUmockdevPreload(char** argv);

} // namespace flashplan::emu

/// A Qt Test main for suites that plug emulated USB devices into a UmockdevUsbBus (or UmockdevDfuBus).
#define FLASHPLAN_UMOCKDEV_TEST_MAIN(TestObject)                                                             \
    int main(int argc, char** argv) {                                                                        \
        flashplan::emu::ensureUmockdevPreload(argv);                                                         \
        QCoreApplication app(argc, argv);                                                                    \
        TestObject tc;                                                                                       \
        QTEST_SET_MAIN_SOURCE_PATH                                                                           \
        return QTest::qExec(&tc, argc, argv);                                                                \
    }
