// SPDX-License-Identifier: Apache-2.0
#include "UmockdevPreload.h"

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <unistd.h>

namespace flashplan::emu {

bool umockdevPreloaded() {
    const char* preload = std::getenv("LD_PRELOAD");
    return preload && std::strstr(preload, "libumockdev-preload");
}

void ensureUmockdevPreload(char** argv) {
    if (umockdevPreloaded())
        return;
    const char* preload = std::getenv("LD_PRELOAD");
    std::string value = "libumockdev-preload.so.0";
    if (preload && *preload)
        value += std::string(":") + preload;
    setenv("LD_PRELOAD", value.c_str(), 1);
    // ASan insists on coming first among preloaded libraries unless told otherwise.
    const char* asan = std::getenv("ASAN_OPTIONS");
    std::string asanOptions = asan ? std::string(asan) + ":" : std::string();
    setenv("ASAN_OPTIONS", (asanOptions + "verify_asan_link_order=0").c_str(), 1);
    execv("/proc/self/exe", argv);
    std::fprintf(stderr, "cannot re-execute under libumockdev-preload: %s\n", std::strerror(errno));
    std::exit(2);
}

} // namespace flashplan::emu
