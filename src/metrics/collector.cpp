#include "metrics/collector.h"

#include <algorithm>
#include <cmath>

namespace strest {

Collector::Collector(std::vector<Recorder*> recorders, TickListener* listener)
    : recorders_(std::move(recorders)), listener_(listener) {}

void Collector::collect() {
  for (size_t i = 0; i < recorders_.size(); ++i) {
    recorders_[i]->drain(drained_);
    for (const auto& tick : drained_) {
      fold(*tick, i);
      if (listener_ != nullptr) listener_->on_tick(*tick);
    }
    recorders_[i]->recycle(drained_);
  }
}

void Collector::fold(const TickTally& tick, size_t recorder) {
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
  // Rounded, not truncated: the sum is a whole number, so a tick folded in parts adds up alike.
  sample.latency_sum_us += std::llround(t.latency_all.mean() * static_cast<double>(with_latency));
  if (with_latency > 0) {
    SecondLatency& latency = open_seconds_[second];
    latency.all.merge(t.latency_all);
    latency.ok.merge(t.latency_ok);
  }
  // A tick may come in parts (a replay collects mid-tick): each worker's most is kept once.
  uint64_t& in_flight = in_flight_by_tick_[{tick.tick, recorder}];
  in_flight = std::max(in_flight, t.in_flight_max);
}

namespace {
constexpr int64_t kTicksPerSecond = 1'000'000 / kTickMicros;

SecondSample& sample_in(std::vector<SecondSample>& series, uint64_t second) {
  while (series.size() <= second) series.push_back(SecondSample{.second = series.size()});
  return series[second];
}
}  // namespace

SecondSample& Collector::sample_for(uint64_t second) { return sample_in(series_, second); }

void Collector::set_percentiles(SecondSample& sample, const SecondLatency& latency) {
  sample.p50_us = latency.all.value_at_percentile(50);
  sample.p90_us = latency.all.value_at_percentile(90);
  sample.p99_us = latency.all.value_at_percentile(99);
  sample.p50_ok_us = latency.ok.value_at_percentile(50);
  sample.p90_ok_us = latency.ok.value_at_percentile(90);
  sample.p99_ok_us = latency.ok.value_at_percentile(99);
}

template <typename Ticks>
size_t Collector::add_in_flight(std::vector<SecondSample>& series, const Ticks& ticks,
                                uint64_t limit) {
  size_t used = 0;
  int64_t tick = INT64_MIN;
  uint64_t workers_sum = 0;  // of the tick being summed
  for (const auto& [key, in_flight] : ticks) {
    const auto tick_second = static_cast<uint64_t>(key.first / kTicksPerSecond);
    if (tick_second >= limit) break;
    workers_sum = key.first == tick ? workers_sum + in_flight : in_flight;
    tick = key.first;
    SecondSample& sample = sample_in(series, tick_second);
    sample.in_flight_max = std::max(sample.in_flight_max, workers_sum);
    ++used;
  }
  return used;
}

void Collector::finalize_seconds_before(int64_t second) {
  const auto limit = static_cast<uint64_t>(std::max<int64_t>(second, 0));
  for (auto it = open_seconds_.begin(); it != open_seconds_.end() && it->first < limit;) {
    set_percentiles(sample_for(it->first), it->second);
    it = open_seconds_.erase(it);
  }
  const size_t used = add_in_flight(series_, in_flight_by_tick_, limit);
  in_flight_by_tick_.erase(in_flight_by_tick_.begin(),
                           std::next(in_flight_by_tick_.begin(), static_cast<ptrdiff_t>(used)));
}

std::vector<SecondSample> Collector::series_so_far() const {
  std::vector<SecondSample> series = series_;
  for (const auto& [second, latency] : open_seconds_) {
    set_percentiles(sample_in(series, second), latency);
  }
  add_in_flight(series, in_flight_by_tick_, UINT64_MAX);
  return series;
}

uint64_t Collector::latest_in_flight() const {
  // Each worker's latest tick, summed: workers hand their ticks over at slightly different
  // moments, so the newest tick may not have every worker's sample yet.
  std::vector<bool> seen(recorders_.size(), false);
  uint64_t sum = 0;
  for (auto it = in_flight_by_tick_.rbegin(); it != in_flight_by_tick_.rend(); ++it) {
    const size_t recorder = it->first.second;
    if (recorder < seen.size() && !seen[recorder]) {
      seen[recorder] = true;
      sum += it->second;
    }
  }
  return sum;
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
  snapshot.in_flight = latest_in_flight();
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
