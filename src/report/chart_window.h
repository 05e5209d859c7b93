#pragma once
// Charts honour --metrics-range and --metrics-max like the exports: when the window leaves
// requests out, the charts' series and totals are rebuilt from the run log's records that the
// window admits (the same MetricsWindowFilter), folded by the same Recorder and Collector.
#include "metrics/run_result.h"
#include "plan/plan.h"
#include "plan/result.h"

namespace strest {

// `result` itself when the window keeps every request (or there is no run log); else a copy
// whose series covers the window's seconds and whose totals are the admitted requests'.
Result<RunResult> chart_result(const RunResult& result, const MetricsWindow& window);

}  // namespace strest
