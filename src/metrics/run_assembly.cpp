#include "metrics/run_assembly.h"

#include <algorithm>

namespace strest {

void set_second_spans(std::vector<SecondSample>& series, int64_t wall_us) {
  for (SecondSample& sample : series) {
    const int64_t left = wall_us - static_cast<int64_t>(sample.second) * 1'000'000;
    sample.span_us = std::clamp<int64_t>(left, 1, 1'000'000);
  }
}

namespace {

// A scenario's rows: one per named step (a step no request reached still has its row), named
// "step N" where the names are missing, with the first assert detail any recorder kept.
void add_steps(RunResult& result, const std::vector<std::string>& names,
               std::span<Recorder* const> recorders) {
  std::vector<StepTally>& steps = result.totals.steps;
  if (steps.size() < names.size()) steps.resize(names.size());
  if (steps.empty()) return;
  result.step_names.resize(steps.size());
  for (size_t i = 0; i < steps.size(); ++i) {
    result.step_names[i] =
        i < names.size() && !names[i].empty() ? names[i] : "step " + std::to_string(i + 1);
  }
  result.assert_details.resize(steps.size());
  for (Recorder* recorder : recorders) {
    const auto details = recorder->assert_details();
    for (size_t i = 0; i < details.size() && i < steps.size(); ++i) {
      if (result.assert_details[i].empty()) result.assert_details[i] = details[i];
    }
  }
}

}  // namespace

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
  add_steps(result, facts.step_names, recorders);
  result.series = collector.series();
  set_second_spans(result.series, facts.wall_us);
  drop_shutdown_second(result.series);
  return result;
}

}  // namespace strest
