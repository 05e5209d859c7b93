#include "report/chart_window.h"

#include <algorithm>
#include <memory>

#include "metrics/collector.h"
#include "metrics/run_assembly.h"
#include "metrics/run_log_events.h"
#include "metrics/run_log_feed.h"
#include "metrics/run_log_reader.h"
#include "report/export_run_log.h"

namespace strest {

namespace {

bool keeps_everything(const RunResult& result, const MetricsWindow& window) {
  return window.from.count() <= 0 && !window.to && result.totals.completed() <= window.max;
}

// The records the window admits and the tick events within its range, in the order they
// happened.
Result<std::vector<RunLogRecord>> windowed_records(const RunResult& result,
                                                   const MetricsWindow& window) {
  std::vector<RunLogRecord> records;
  MetricsWindowFilter filter(window);
  const int64_t to = window.to ? window.to->count() : INT64_MAX;
  for (const std::string& path : result.run_log_paths) {
    auto read = read_run_log(
        path,
        [&](const RunLogRecord& r) {
          if (filter.admit(r)) records.push_back(r);
        },
        [&](const RunLogRecord& e) {
          if (e.start_us >= window.from.count() && e.start_us < to) records.push_back(e);
        });
    if (!read) return Error{"charts: " + read.error()};
  }
  std::stable_sort(records.begin(), records.end(),
                   [](const auto& a, const auto& b) { return logged_at_us(a) < logged_at_us(b); });
  return records;
}

// Drops the seconds before the window (they are empty), and gives each second left the part
// of it the run covered from the window's start on. Requests are admitted by start time, so
// the last seconds may hold requests that started before the window's end and finished after.
void trim_series(std::vector<SecondSample>& series, int64_t from_us, int64_t wall_us) {
  std::erase_if(series, [&](const SecondSample& s) {
    return (static_cast<int64_t>(s.second) + 1) * 1'000'000 <= from_us;
  });
  for (SecondSample& s : series) {
    const auto start = static_cast<int64_t>(s.second) * 1'000'000;
    const int64_t end = std::min(wall_us, start + 1'000'000);
    s.span_us = std::max<int64_t>(1, end - std::max(from_us, start));
  }
}

}  // namespace

Result<RunResult> chart_result(const RunResult& result, const MetricsWindow& window) {
  if (result.run_log_paths.empty() || keeps_everything(result, window)) return result;
  auto records = windowed_records(result, window);
  if (!records) return Error{records.error()};
  uint32_t max_worker = 0;
  bool tick_events = false;
  for (const RunLogRecord& r : *records) {
    max_worker = std::max<uint32_t>(max_worker, r.worker);
    tick_events = tick_events || is_tick_event(r);
  }
  FedRecorders recorders(fed_recorder_count(tick_events, max_worker), result.open_loop);
  for (const RunLogRecord& r : *records) recorders.feed(r, 0);
  recorders.publish_all();
  Collector collector(recorders.views());
  collector.collect();
  collector.finalize_all();
  RunResult windowed = result;
  windowed.totals = collector.totals();
  windowed.series = collector.series();
  trim_series(windowed.series, window.from.count(), result.wall.count());
  return windowed;
}

}  // namespace strest
