#pragma once
// capacity.png: how latency and errors grew with the offered rate, the knee marked. Two panels
// share the x axis (offered requests per second): p50 and p99 latency, corrected and service,
// above the error rate in percent. The numbers are built apart from the drawing, for tests.
#include <string>
#include <vector>

#include "capacity/capacity_result.h"
#include "plan/result.h"
#include "report/chart_data.h"

namespace strest {

inline constexpr const char* kCapacityChartFile = "capacity.png";

// The two panels: latency (ms) and error rate (%), one point per step sorted by offered rate,
// each with a marker at the knee and one at the first failing rate when there are such steps.
std::vector<ChartSpec> capacity_chart_panels(const CapacityResult& result);

// Draws the panels into `directory`/capacity.png (creating the folder) and returns its path.
Result<std::string> write_capacity_chart(const CapacityResult& result,
                                         const std::string& directory);

}  // namespace strest
