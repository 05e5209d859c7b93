#pragma once
// The end-of-run summary as one JSON object, for CI pipelines and scripts. Counts are integers,
// latencies are milliseconds with microsecond precision, ratios are null when undefined.
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "metrics/run_result.h"
#include "plan/plan.h"

namespace strest {

// Keys: target, total_requests (completed: ok + non-expected + timeouts + transport errors;
// cancelled requests are not counted), successful_requests, error_requests, timeout_requests,
// transport_errors, non_expected_status, cancelled_requests, duration_ms, rps, rpm,
// bytes_received, status_codes, transport_error_kinds, timeout_kinds, {min,avg,max,p50,p90,p95,
// p99,p999}_latency_ms from every response and the same with a success_ prefix from ok ones,
// stop_reason, expected_status, insight {spread_p99_p50, tail_p99_p95, outlier_p999_p99}.
// Scenario runs add assert_failed (requests whose step's assert failed), steps
// (report/step_summary.h: steps_json) and iterations {passed, failed}.
nlohmann::json summary_json(const RunResult& result, const Plan& plan);

// summary_json(...).dump(2) and a newline.
std::string summary_json_text(const RunResult& result, const Plan& plan);

// "duration", "requests" or "signal".
std::string_view stop_reason_name(StopReason reason);

}  // namespace strest
