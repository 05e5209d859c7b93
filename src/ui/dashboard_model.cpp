#include "ui/dashboard_model.h"

#include <algorithm>
#include <cstdio>

#include "metrics/protocol.h"
#include "report/threshold_check.h"

namespace strest {

namespace {

// The completed seconds of the series are those that ended this long ago: workers hand over a
// tick within ~10 ms of its end.
constexpr int64_t kSecondSettledUs = 200'000;

std::string format_rate(double rps) {
  char text[32];
  const bool whole = rps == static_cast<double>(static_cast<int64_t>(rps));
  std::snprintf(text, sizeof text, whole || rps >= 100 ? "%.0f" : "%.1f", rps);
  return text;
}

// "closed loop, c=50"; "open loop, 2000 req/s"; "open loop, stage 2/3 to 500 req/s".
std::string mode_of(const DashboardSetup& setup, int64_t elapsed_us) {
  if (!setup.mode.empty()) return setup.mode;
  if (!setup.load) return "closed loop, c=" + std::to_string(setup.max_tasks);
  const LoadProfile& load = *setup.load;
  if (load.stages.empty()) return "open loop, " + format_rate(load.start_rps) + " req/s";
  int64_t stage_end = 0;
  for (size_t i = 0; i < load.stages.size(); ++i) {
    stage_end += load.stages[i].duration.count();
    if (elapsed_us < stage_end) {
      return "open loop, stage " + std::to_string(i + 1) + "/" +
             std::to_string(load.stages.size()) + " to " + format_rate(load.stages[i].target_rps) +
             " req/s";
    }
  }
  return "open loop, " + format_rate(load.stages.back().target_rps) + " req/s (after stages)";
}

PercentileRow percentiles_of(const HdrHistogram& histogram) {
  return PercentileRow{.p50 = histogram.value_at_percentile(50),
                       .p90 = histogram.value_at_percentile(90),
                       .p99 = histogram.value_at_percentile(99),
                       .p999 = histogram.value_at_percentile(99.9),
                       .count = histogram.total_count()};
}

// Largest first; ties by name so the order does not flicker between redraws.
template <typename Key>
void sort_by_count(std::vector<std::pair<Key, uint64_t>>& entries) {
  std::sort(entries.begin(), entries.end(), [](const auto& a, const auto& b) {
    return a.second != b.second ? a.second > b.second : a.first < b.first;
  });
}

}  // namespace

DashboardSetup dashboard_setup_of(const Plan& plan, int64_t window_us) {
  DashboardSetup setup;
  setup.target = plan.url.to_string();
  setup.load = plan.load;
  setup.max_tasks = plan.max_tasks;
  if (plan.duration) {
    setup.planned_us = plan.duration->count();
  } else if (!plan.max_requests) {
    setup.planned_us = kDefaultDuration.count();
  }
  setup.planned_requests = plan.max_requests;
  setup.thresholds = plan.thresholds;
  setup.warmup_us = plan.warmup.count();
  setup.window_us = window_us;
  return setup;
}

DashboardModel::DashboardModel(DashboardSetup setup) : setup_(std::move(setup)) {
  state_.target = setup_.target;
  state_.open_loop = setup_.load.has_value();
  state_.window_seconds = static_cast<int>(std::max<int64_t>(1, setup_.window_us / 1'000'000));
  state_.mode = mode_of(setup_, 0);
}

void DashboardModel::update(const Snapshot& snapshot) {
  update_header(snapshot);
  update_counters(snapshot);
  update_latency(*snapshot.totals);
  update_charts(snapshot);
  update_breakdowns(*snapshot.totals);
  update_thresholds(snapshot);
}

void DashboardModel::reset_rates() {
  last_elapsed_us_ = 0;
  last_bytes_ = 0;
  state_.bytes_per_second = 0;
}

void DashboardModel::update_header(const Snapshot& snapshot) {
  state_.elapsed_us = snapshot.elapsed_us;
  state_.mode = mode_of(setup_, snapshot.elapsed_us);
  const Tally& totals = *snapshot.totals;
  std::string protocols;
  for (size_t i = 0; i < totals.connections_by_protocol.size(); ++i) {
    if (totals.connections_by_protocol[i] == 0) continue;
    if (!protocols.empty()) protocols += " + ";
    protocols += protocol_name(static_cast<Protocol>(i));
  }
  state_.protocol = protocols;
  double progress = -1;
  state_.remaining_us.reset();
  if (setup_.planned_us && *setup_.planned_us > 0) {
    progress = static_cast<double>(snapshot.elapsed_us) / static_cast<double>(*setup_.planned_us);
    state_.remaining_us = std::max<int64_t>(0, *setup_.planned_us - snapshot.elapsed_us);
  }
  if (setup_.planned_requests && *setup_.planned_requests > 0) {
    progress = std::max(progress, static_cast<double>(totals.completed()) /
                                      static_cast<double>(*setup_.planned_requests));
  }
  state_.progress = progress < 0 ? -1 : std::min(progress, 1.0);
}

void DashboardModel::update_counters(const Snapshot& snapshot) {
  const Tally& totals = *snapshot.totals;
  state_.total = totals.completed();
  state_.ok = totals.ok;
  state_.timeouts = totals.timeouts;
  state_.transport_errors = totals.transport_errors;
  state_.non_expected = totals.non_expected_status;
  state_.cancelled = totals.cancelled;
  state_.rps = snapshot.recent_rps;
  state_.in_flight = snapshot.in_flight;
  const int64_t dt = snapshot.elapsed_us - last_elapsed_us_;
  if (dt >= 500'000 || last_elapsed_us_ == 0) {
    if (dt > 0 && totals.bytes_received >= last_bytes_) {
      state_.bytes_per_second =
          static_cast<double>(totals.bytes_received - last_bytes_) * 1e6 / static_cast<double>(dt);
    }
    last_elapsed_us_ = snapshot.elapsed_us;
    last_bytes_ = totals.bytes_received;
  }
  state_.late_starts = totals.late_starts;
  state_.lag_max_us = totals.lag_max_us;
  state_.lag_avg_us =
      totals.scheduled_starts == 0
          ? 0
          : static_cast<double>(totals.lag_sum_us) / static_cast<double>(totals.scheduled_starts);
}

void DashboardModel::update_latency(const Tally& totals) {
  state_.latency_all = percentiles_of(totals.latency_all);
  state_.latency_ok = percentiles_of(totals.latency_ok);
  state_.service_all = percentiles_of(totals.service_all);
  state_.service_ok = percentiles_of(totals.service_ok);
}

void DashboardModel::update_charts(const Snapshot& snapshot) {
  const std::vector<SecondSample>& series = *snapshot.series;
  const int64_t settled = std::max<int64_t>(0, snapshot.elapsed_us - kSecondSettledUs);
  // Seconds [first, end) are whole; the charts show the last window of them.
  const int64_t end = state_.finished ? static_cast<int64_t>(series.size()) : settled / 1'000'000;
  const int64_t first = std::max<int64_t>(0, end - state_.window_seconds);
  state_.window_start_s = first;
  state_.rps_series.clear();
  BrailleLine p50{{}, Style::kGood}, p90{{}, Style::kWarn}, p99{{}, Style::kBad};
  for (int64_t s = first; s < end; ++s) {
    const bool known = static_cast<size_t>(s) < series.size();
    const SecondSample sample = known ? series[static_cast<size_t>(s)] : SecondSample{};
    state_.rps_series.push_back(second_rate(sample, sample.completed));
    // A second's percentiles are computed two seconds after it: until then the lines stop.
    if (sample.latency_count > 0 && sample.p50_us == 0) continue;
    p50.points.push_back(static_cast<double>(sample.p50_us) / 1000.0);
    p90.points.push_back(static_cast<double>(sample.p90_us) / 1000.0);
    p99.points.push_back(static_cast<double>(sample.p99_us) / 1000.0);
  }
  state_.latency_lines = {std::move(p50), std::move(p90), std::move(p99)};
}

void DashboardModel::update_breakdowns(const Tally& totals) {
  state_.status_counts.clear();
  for (size_t code = 0; code < totals.status_counts.size(); ++code) {
    if (totals.status_counts[code] > 0) {
      state_.status_counts.emplace_back(static_cast<int>(code), totals.status_counts[code]);
    }
  }
  sort_by_count(state_.status_counts);
  state_.errors.clear();
  if (totals.non_expected_status > 0) {
    state_.errors.emplace_back("non-expected status", totals.non_expected_status);
  }
  static constexpr const char* kTimeoutNames[] = {"connect timeout", "request timeout"};
  for (size_t kind = 0; kind < totals.timeouts_by_kind.size(); ++kind) {
    if (totals.timeouts_by_kind[kind] > 0) {
      state_.errors.emplace_back(kTimeoutNames[kind], totals.timeouts_by_kind[kind]);
    }
  }
  for (size_t kind = 0; kind < totals.transport_by_kind.size(); ++kind) {
    if (totals.transport_by_kind[kind] > 0) {
      state_.errors.emplace_back(transport_error_name(static_cast<TransportError>(kind)),
                                 totals.transport_by_kind[kind]);
    }
  }
  sort_by_count(state_.errors);
}

void DashboardModel::update_thresholds(const Snapshot& snapshot) {
  state_.thresholds.clear();
  if (setup_.thresholds.empty()) return;
  const int64_t measured_us = snapshot.elapsed_us - std::min(setup_.warmup_us, snapshot.elapsed_us);
  const auto results = evaluate_thresholds(setup_.thresholds, *snapshot.totals,
                                           static_cast<double>(measured_us) / 1e6);
  for (const ThresholdResult& result : results) {
    state_.thresholds.push_back(
        ThresholdLine{.expression = result.threshold.expression,
                      .actual = format_threshold_value(result.threshold.metric, result.actual),
                      .passed = result.passed});
  }
}

}  // namespace strest
