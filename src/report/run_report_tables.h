#pragma once
// The run report's tables, each read from the object summary_json made (report/summary_json.h),
// so the page shows exactly the numbers --output writes: latency percentiles, status codes,
// errors by kind, connections, the open-loop schedule, scenario steps and distributed agents.
#include <nlohmann/json.hpp>

#include "metrics/tally.h"
#include "report/html_document.h"

namespace strest {

// Rows min, avg, max, p50, p90, p95, p99, p99.9 and samples; columns all and ok responses, and
// in the open loop the service time's too. "-" where a column had no samples (counted in
// `totals`' histograms, which summary_json read).
RowTable latency_table(const nlohmann::json& summary, const Tally& totals);

// One row per status code seen: code, responses, share; the expected code marked pass, others
// fail. A single "no responses" row when there were none.
RowTable status_table(const nlohmann::json& summary);

// Timeouts (connect, request), each transport error kind seen with its first reason,
// non-expected status and, in scenarios, failed asserts: kind, count, detail. Rows with a
// count above 0 are marked fail.
RowTable error_table(const nlohmann::json& summary);

// Protocol, connections opened, TLS handshakes; none when no connection was opened (a replay).
KeyValueTable connection_table(const nlohmann::json& summary);

// The phases of an exchange (connect, TLS handshake, ...): avg, min, max (ms) and count, for
// the phases that happened.
RowTable phase_table(const nlohmann::json& summary);

// Open loop: requests scheduled, lag behind the schedule, late starts, unsent at the end.
KeyValueTable schedule_table(const nlohmann::json& summary);

// Scenario runs: one row per step (requests, ok, errors by class, p50/p90/p99/max, the first
// assert failure); a step with a failed request is marked fail.
RowTable steps_table(const nlohmann::json& summary);

// Distributed runs: one row per agent (weight, requests, errors, health, joined, dropped,
// note); an agent that is not healthy is marked fail.
RowTable agents_table(const nlohmann::json& summary);

}  // namespace strest
