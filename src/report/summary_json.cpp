#include "report/summary_json.h"

#include <cmath>

#include "report/agent_summary.h"
#include "report/insight.h"
#include "report/step_summary.h"
#include "report/threshold_check.h"
#include "report/transport_stats.h"

namespace strest {

namespace {

using nlohmann::json;

double to_ms(int64_t us) { return static_cast<double>(us) / 1000.0; }

void add_counts(json& out, const Tally& totals) {
  out["total_requests"] = totals.completed();
  out["successful_requests"] = totals.ok;
  out["error_requests"] = totals.errors();
  out["timeout_requests"] = totals.timeouts;
  out["transport_errors"] = totals.transport_errors;
  out["non_expected_status"] = totals.non_expected_status;
  out["cancelled_requests"] = totals.cancelled;
  out["bytes_received"] = totals.bytes_received;
}

// RPS is over the measured window (the wall clock minus --warmup).
void add_throughput(json& out, const RunResult& result) {
  const double seconds = measured_seconds(result);
  const double completed = static_cast<double>(result.totals.completed());
  const double rps = seconds > 0 ? completed / seconds : 0.0;
  out["duration_ms"] = (result.wall.count() + 500) / 1000;  // rounded to the nearest ms
  out["rps"] = rps;
  out["rpm"] = rps * 60.0;
  out["open_loop"] = result.open_loop;
  out["target_rps"] = result.target_rps;
  out["scheduled_requests"] = std::llround(result.scheduled_requests);
  out["warmup_ms"] = result.warmup.count() / 1000;
  out["warmup_excluded_requests"] = result.totals.warmup_excluded;
}

// Open loop: how far the run fell behind its schedule.
void add_schedule(json& out, const Tally& totals) {
  const double mean_lag =
      totals.scheduled_starts == 0
          ? 0.0
          : static_cast<double>(totals.lag_sum_us) / static_cast<double>(totals.scheduled_starts);
  out["schedule_lag_mean_ms"] = mean_lag / 1000.0;
  out["schedule_lag_max_ms"] = to_ms(totals.lag_max_us);
  out["late_starts"] = totals.late_starts;
  out["unsent_at_end"] = totals.unsent_at_end;
}

json series_json(const std::vector<SecondSample>& series) {
  json out = json::array();
  for (const SecondSample& s : series) {
    const double avg_us = s.latency_count == 0 ? 0.0
                                               : static_cast<double>(s.latency_sum_us) /
                                                     static_cast<double>(s.latency_count);
    out.push_back({{"second", s.second},
                   {"completed", s.completed},
                   {"ok", s.ok},
                   {"errors", s.errors},
                   {"timeouts", s.timeouts},
                   {"transport_errors", s.transport_errors},
                   {"non_expected_status", s.non_expected_status},
                   {"avg_latency_ms", avg_us / 1000.0},
                   {"p50_latency_ms", to_ms(s.p50_us)},
                   {"p90_latency_ms", to_ms(s.p90_us)},
                   {"p99_latency_ms", to_ms(s.p99_us)},
                   {"success_p50_latency_ms", to_ms(s.p50_ok_us)},
                   {"success_p90_latency_ms", to_ms(s.p90_ok_us)},
                   {"success_p99_latency_ms", to_ms(s.p99_ok_us)},
                   {"in_flight_max", s.in_flight_max},
                   // The part of the second the run covered (the last is usually partial), and
                   // the completions as a rate over it.
                   {"span_ms", static_cast<double>(s.span_us) / 1000.0},
                   {"rps", second_rate(s, s.completed)}});
  }
  return out;
}

void add_breakdowns(json& out, const Tally& totals) {
  json status = json::object();
  for (size_t code = 0; code < totals.status_counts.size(); ++code) {
    if (totals.status_counts[code] != 0) status[std::to_string(code)] = totals.status_counts[code];
  }
  json transport = json::object();
  for (size_t kind = 0; kind < totals.transport_by_kind.size(); ++kind) {
    if (totals.transport_by_kind[kind] == 0) continue;
    const auto name = transport_error_name(static_cast<TransportError>(kind));
    transport[std::string(name)] = totals.transport_by_kind[kind];
  }
  out["status_codes"] = std::move(status);
  out["transport_error_kinds"] = std::move(transport);
  out["timeout_kinds"] = {
      {"connect", totals.timeouts_by_kind[static_cast<size_t>(TimeoutKind::kConnect)]},
      {"request", totals.timeouts_by_kind[static_cast<size_t>(TimeoutKind::kRequest)]}};
}

// The mean is rounded to whole microseconds, like every other latency in the summary.
void add_latency(json& out, const HdrHistogram& latency, const std::string& prefix) {
  out[prefix + "min_latency_ms"] = to_ms(latency.min());
  out[prefix + "avg_latency_ms"] = to_ms(std::llround(latency.mean()));
  out[prefix + "max_latency_ms"] = to_ms(latency.max());
  out[prefix + "p50_latency_ms"] = to_ms(latency.value_at_percentile(50.0));
  out[prefix + "p90_latency_ms"] = to_ms(latency.value_at_percentile(90.0));
  out[prefix + "p95_latency_ms"] = to_ms(latency.value_at_percentile(95.0));
  out[prefix + "p99_latency_ms"] = to_ms(latency.value_at_percentile(99.0));
  out[prefix + "p999_latency_ms"] = to_ms(latency.value_at_percentile(99.9));
}

json ratio_or_null(const std::optional<double>& ratio) {
  return ratio ? json(*ratio) : json(nullptr);
}

json insight_json(const HdrHistogram& latency) {
  const LatencyInsight insight = compute_insight(latency);
  return {{"spread_p99_p50", ratio_or_null(insight.spread)},
          {"tail_p99_p95", ratio_or_null(insight.tail)},
          {"outlier_p999_p99", ratio_or_null(insight.outliers)}};
}

}  // namespace

std::string_view stop_reason_name(StopReason reason) {
  switch (reason) {
    case StopReason::kDuration:
      return "duration";
    case StopReason::kRequestCount:
      return "requests";
    case StopReason::kSignal:
      return "signal";
    case StopReason::kThreshold:
      return "threshold";
    case StopReason::kUser:
      return "user";
  }
  return "unknown";
}

nlohmann::json summary_json(const RunResult& result, const Plan& plan) {
  json out = json::object();
  out["target"] = result.target.empty() ? plan.url.to_string() : result.target;
  add_counts(out, result.totals);
  add_throughput(out, result);
  add_breakdowns(out, result.totals);
  // Open loop: the plain keys hold the corrected latency, service_ keys the service time. In
  // the closed loop latency is measured from the send, so both are the same and the schedule
  // keys are 0: one schema for both modes.
  const Tally& totals = result.totals;
  add_latency(out, totals.latency_all, "");
  add_latency(out, totals.latency_ok, "success_");
  add_latency(out, result.open_loop ? totals.service_all : totals.latency_all, "service_");
  add_latency(out, result.open_loop ? totals.service_ok : totals.latency_ok, "service_success_");
  add_schedule(out, totals);
  add_transport_json(out, result);
  out["stop_reason"] = stop_reason_name(result.stop_reason);
  out["expected_status"] = plan.expected_status;
  out["insight"] = insight_json(result.totals.latency_all);
  out["series"] = series_json(result.series);
  if (has_steps(result)) {
    out["assert_failed"] = totals.assert_failures;  // also counted in error_requests
    out["steps"] = steps_json(result);
    out["iterations"] = iterations_json(result.totals);
  }
  // A distributed controller's run: every agent that took part.
  if (!result.agents.empty()) out["agents"] = agents_json(result);
  const auto thresholds = judge_run(result, plan);
  out["thresholds"] = threshold_json(thresholds);
  out["thresholds_passed"] = thresholds.empty() ? json(nullptr) : json(all_passed(thresholds));
  return out;
}

std::string summary_json_text(const RunResult& result, const Plan& plan) {
  return summary_json(result, plan).dump(2) + "\n";
}

}  // namespace strest
