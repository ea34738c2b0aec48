// SPDX-License-Identifier: Apache-2.0
#pragma once
// The figures the benchmarks print: how many runs, and their median and fastest.

#include <QtGlobal>

#include <algorithm>
#include <vector>

namespace flashplan::bench {

/// Five runs by hand; ctest sets FLASHPLAN_BENCH_RUNS=1 so the full test run only checks that a benchmark
/// still works (its figures come from a run by hand).
inline int benchRuns() {
    const int runs = qEnvironmentVariableIntValue("FLASHPLAN_BENCH_RUNS");
    return runs > 0 ? runs : 5;
}

/// The middle value (the upper one of an even count); 0 for none.
inline double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v.empty() ? 0 : v[v.size() / 2];
}

/// The fastest run: on a busy machine the least disturbed one.
inline double fastest(const std::vector<double>& v) {
    return v.empty() ? 0 : *std::min_element(v.begin(), v.end());
}

} // namespace flashplan::bench
