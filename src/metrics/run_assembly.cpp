#include "metrics/run_assembly.h"

#include <algorithm>

namespace strest {

void set_second_spans(std::vector<SecondSample>& series, int64_t wall_us) {
  for (SecondSample& sample : series) {
    const int64_t left = wall_us - static_cast<int64_t>(sample.second) * 1'000'000;
    sample.span_us = std::clamp<int64_t>(left, 1, 1'000'000);
  }
}

RunResult assemble_run_result(const RunFacts& facts, const Collector& collector,
                              std::span<Recorder* const> recorders) {
  RunResult result;
  result.target = facts.target;
  result.wall = std::chrono::microseconds(facts.wall_us);
  result.warmup = std::chrono::microseconds(facts.warmup_us);
  result.measured = result.wall - std::min(result.warmup, result.wall);
  result.open_loop = facts.open_loop;
  result.replayed = facts.replayed;
  result.scheduled_requests = facts.scheduled_requests;
  result.target_rps = facts.target_rps;
  result.stop_reason = facts.stop_reason;
  result.signal = facts.signal;
  result.totals = collector.totals();
  for (Recorder* recorder : recorders) {
    const auto details = recorder->error_details();
    for (size_t kind = 0; kind < details.size(); ++kind) {
      if (result.error_details[kind].empty()) result.error_details[kind] = details[kind];
    }
  }
  result.series = collector.series();
  set_second_spans(result.series, facts.wall_us);
  drop_shutdown_second(result.series);
  return result;
}

}  // namespace strest
