#include "replay/snapshot_taker.h"

#include <algorithm>

#include "metrics/run_assembly.h"
#include "report/summary_json.h"

namespace strest {

namespace {
constexpr int64_t kNever = std::numeric_limits<int64_t>::max();
}  // namespace

SnapshotTaker::SnapshotTaker(const Plan& plan, const Collector& collector, RunFacts facts,
                             int64_t window_start_us, int64_t window_end_us)
    : plan_(plan), collector_(collector), facts_(std::move(facts)), origin_(window_start_us) {
  const ReplayOptions& options = *plan.replay;
  start_ = options.snapshot_start.value_or(Micros(window_start_us)).count();
  end_ = options.snapshot_end.value_or(Micros(window_end_us)).count();
  interval_ = options.snapshot_interval ? options.snapshot_interval->count() : end_ - start_;
  next_ = interval_ > 0 ? start_ + interval_ : kNever;
  baseline_due_ = start_ > origin_;
  end_taken_ = end_ <= start_;
}

int64_t SnapshotTaker::next_due_us() const {
  if (baseline_due_) return start_;
  if (next_ <= end_) return next_;
  return end_taken_ ? kNever : end_;
}

void SnapshotTaker::on_snapshot(const Snapshot& snapshot) {
  take_due_by(origin_ + snapshot.elapsed_us);
}

void SnapshotTaker::on_finish(const Snapshot& snapshot) {
  (void)snapshot;
  take_due_by(kNever);
}

void SnapshotTaker::take_due_by(int64_t now) {
  while (next_due_us() != kNever && now >= next_due_us()) {
    if (baseline_due_) {
      baseline_ = collector_.totals();
      baseline_due_ = false;
    } else {
      take(next_due_us());
    }
  }
}

// The results since start_: the Collector's totals less the baseline, and the seconds from
// the window's start on, numbered from it.
void SnapshotTaker::take(int64_t at) {
  RunFacts facts = facts_;
  facts.wall_us = at - start_;
  facts.warmup_us = 0;
  RunResult result = assemble_run_result(facts, collector_, {});
  if (baseline_) result.totals.subtract(*baseline_);
  const auto first_second =
      static_cast<uint64_t>(std::max<int64_t>(0, start_ - origin_) / 1'000'000);
  result.series.clear();
  for (SecondSample sample : collector_.series_so_far()) {
    if (sample.second < first_second) continue;
    sample.second -= first_second;
    result.series.push_back(sample);
  }
  set_second_spans(result.series, facts.wall_us);
  nlohmann::json snapshot = summary_json(result, plan_);
  snapshot["snapshot_start_ms"] = start_ / 1000;
  snapshot["snapshot_end_ms"] = at / 1000;
  taken_.push_back(std::move(snapshot));
  last_taken_ = at;
  if (at == end_) end_taken_ = true;
  if (next_ <= at) next_ = at + interval_;
  if (next_ > end_ && last_taken_ >= end_) end_taken_ = true;
}

}  // namespace strest
