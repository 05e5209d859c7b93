#include "metrics/collector.h"

namespace strest {

Collector::Collector(std::vector<Recorder*> recorders) : recorders_(std::move(recorders)) {}

void Collector::collect() {
  for (Recorder* recorder : recorders_) {
    recorder->drain(drained_);
    for (const auto& tick : drained_) fold(*tick);
    recorder->recycle(drained_);
  }
}

void Collector::fold(const TickTally& tick) {
  const Tally& t = tick.tally;
  totals_.merge(t);
  const auto second = static_cast<size_t>(tick.tick * kTickMicros / 1'000'000);
  while (series_.size() <= second) {
    series_.push_back(SecondSample{.second = series_.size()});
  }
  SecondSample& sample = series_[second];
  sample.completed += t.completed();
  sample.ok += t.ok;
  sample.errors += t.errors();
  sample.timeouts += t.timeouts;
  sample.transport_errors += t.transport_errors;
  sample.non_expected_status += t.non_expected_status;
  const auto with_latency = static_cast<uint64_t>(t.latency_all.total_count());
  sample.latency_count += with_latency;
  sample.latency_sum_us +=
      static_cast<int64_t>(t.latency_all.mean() * static_cast<double>(with_latency));
}

Snapshot Collector::snapshot(int64_t elapsed_us) const {
  Snapshot snapshot{.elapsed_us = elapsed_us, .totals = &totals_, .series = &series_};
  const auto current_second = static_cast<size_t>(elapsed_us / 1'000'000);
  if (current_second >= 1 && current_second - 1 < series_.size()) {
    snapshot.recent_rps = static_cast<double>(series_[current_second - 1].completed);
  } else if (elapsed_us > 0) {
    snapshot.recent_rps =
        static_cast<double>(totals_.completed()) * 1e6 / static_cast<double>(elapsed_us);
  }
  return snapshot;
}

void Collector::stop() {
  {
    std::lock_guard lock(wake_mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
}

}  // namespace strest
