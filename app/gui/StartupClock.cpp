// SPDX-License-Identifier: Apache-2.0
#include "StartupClock.h"

#include <ctime>
#include <fstream>
#include <sstream>
#include <string>
#include <unistd.h>

namespace flashplan::gui {

std::optional<double> secondsSinceProcessStart() {
#ifdef __linux__
    std::ifstream stat("/proc/self/stat");
    std::string line;
    if (!std::getline(stat, line))
        return std::nullopt;
    // The command name (field 2) may hold blanks; fields are counted after its closing parenthesis.
    const auto close = line.rfind(')');
    if (close == std::string::npos)
        return std::nullopt;
    std::istringstream fields(line.substr(close + 2));
    std::string field;
    unsigned long long startTicks = 0;
    for (int i = 3; i <= 22 && fields >> field; ++i)
        if (i == 22)
            startTicks = std::stoull(field);
    const long hz = sysconf(_SC_CLK_TCK);
    timespec now{};
    if (startTicks == 0 || hz <= 0 || clock_gettime(CLOCK_BOOTTIME, &now) != 0)
        return std::nullopt;
    const double since = static_cast<double>(now.tv_sec) + static_cast<double>(now.tv_nsec) * 1e-9 -
                         static_cast<double>(startTicks) / static_cast<double>(hz);
    return since >= 0 ? std::optional<double>(since) : std::nullopt;
#else
    return std::nullopt;
#endif
}

} // namespace flashplan::gui
