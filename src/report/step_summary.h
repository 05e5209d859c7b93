#pragma once
// The summary's per-step rows for a scenario run: one row per step with its requests by
// outcome class and its latency, so a failing or slow step stands out from the run's totals.
// Rows add up to the totals. Plain runs have no steps and get none of this.
#include <nlohmann/json.hpp>
#include <ostream>
#include <string>

#include "metrics/run_result.h"

namespace strest {

// True when the result has per-step rows (a scenario run).
inline bool has_steps(const RunResult& result) { return !result.totals.steps.empty(); }

// The name of step `index`: the run's, or "step N" (1-based) when it has none.
std::string step_name(const RunResult& result, size_t index);

// The "Steps" table: name, requests, ok, errors by class, p50/p90/p99/max, and below it the
// first assert-failure detail of each step that had one. Nothing for a plain run.
void write_steps_text(const RunResult& result, std::ostream& out, bool color);

// "assert_failed 12 (login: assert_status 200, got 401)"'s note: the first step with assert
// failures and its detail ("login: assert_status 200, got 401"), "" when none.
std::string assert_failure_note(const RunResult& result);

// [{name, requests, ok, non_expected_status, timeouts, transport_errors, assert_failed,
// assert_detail, latency_ms: {p50, p90, p99, max, mean}}], one per step.
nlohmann::json steps_json(const RunResult& result);
// {passed, failed}: scenario iterations that ran every step, and those a failed step stopped.
nlohmann::json iterations_json(const Tally& totals);

}  // namespace strest
