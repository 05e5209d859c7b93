#include "metrics/collector.h"

#include <algorithm>

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
  const auto second = static_cast<uint64_t>(tick.tick * kTickMicros / 1'000'000);
  SecondSample& sample = sample_for(second);
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
  if (with_latency > 0) {
    SecondLatency& latency = open_seconds_[second];
    latency.all.merge(t.latency_all);
    latency.ok.merge(t.latency_ok);
  }
  in_flight_by_tick_[tick.tick] += t.in_flight_max;
}

SecondSample& Collector::sample_for(uint64_t second) {
  while (series_.size() <= second) series_.push_back(SecondSample{.second = series_.size()});
  return series_[second];
}

void Collector::finalize_seconds_before(int64_t second) {
  const auto limit = static_cast<uint64_t>(std::max<int64_t>(second, 0));
  for (auto it = open_seconds_.begin(); it != open_seconds_.end() && it->first < limit;) {
    SecondSample& sample = sample_for(it->first);
    const HdrHistogram& all = it->second.all;
    const HdrHistogram& ok = it->second.ok;
    sample.p50_us = all.value_at_percentile(50);
    sample.p90_us = all.value_at_percentile(90);
    sample.p99_us = all.value_at_percentile(99);
    sample.p50_ok_us = ok.value_at_percentile(50);
    sample.p90_ok_us = ok.value_at_percentile(90);
    sample.p99_ok_us = ok.value_at_percentile(99);
    it = open_seconds_.erase(it);
  }
  constexpr int64_t kTicksPerSecond = 1'000'000 / kTickMicros;
  for (auto it = in_flight_by_tick_.begin(); it != in_flight_by_tick_.end();) {
    const auto tick_second = static_cast<uint64_t>(it->first / kTicksPerSecond);
    if (tick_second >= limit) break;
    SecondSample& sample = sample_for(tick_second);
    sample.in_flight_max = std::max(sample.in_flight_max, it->second);
    it = in_flight_by_tick_.erase(it);
  }
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
  if (!in_flight_by_tick_.empty()) snapshot.in_flight = in_flight_by_tick_.rbegin()->second;
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
