#pragma once
// The comparison for a terminal: the two runs, then one row per metric side by side (A, B, the
// difference, in percent, its confidence interval, the verdict), then each gate and the outcome.
#include <ostream>
#include <string>

#include "compare/comparison.h"

namespace strest {

void write_comparison_text(const ComparisonResult& result, std::ostream& out);

// A metric's value in its unit: latency "850us" / "1.25ms", error rate "0.5%", RPS "512.25";
// "n/a" for NaN. With `sign`, a leading + or - (for differences).
std::string format_metric_value(CompareMetric metric, double value, bool sign = false);

}  // namespace strest
