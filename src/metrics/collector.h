#pragma once
// Collector: the one thread that folds workers' finished ticks into run totals and the
// per-second series, and hands Snapshots to observers. Workers never wait for it.
#include <array>
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <span>
#include <vector>

#include "metrics/recorder.h"
#include "metrics/run_result.h"
#include "metrics/snapshot.h"

namespace strest {

// Sees every tick the Collector folds, on the Collector thread (a distributed agent streams
// them to its controller). Must not keep the reference.
class TickListener {
 public:
  virtual ~TickListener() = default;
  virtual void on_tick(const TickTally& tick) = 0;
};

class Collector {
 public:
  explicit Collector(std::vector<Recorder*> recorders, TickListener* listener = nullptr);

  // How long after a second its percentiles are computed (and its histograms freed): ticks
  // that arrive later than this would be left out of them. 2 s for a live run, whose workers
  // hand a tick over within ~10 ms; a distributed controller waits for its agents' streams.
  void set_finalize_delay_s(int64_t seconds) { finalize_delay_s_ = seconds; }

  // Drains every recorder once and folds what it finds. Safe to call from one thread only.
  void collect();
  Snapshot snapshot(int64_t elapsed_us) const;

  // Runs collect() + observers every interval until stop() is called; then folds once more.
  // `now_us` gives microseconds since the run started.
  template <typename NowFn>
  void run(std::span<SnapshotObserver* const> observers, int64_t interval_us, NowFn now_us) {
    std::unique_lock lock(wake_mutex_);
    while (!stopping_) {
      wake_.wait_for(lock, std::chrono::microseconds(interval_us));
      lock.unlock();
      collect();
      const int64_t now = now_us();
      // A second is whole finalize_delay_s_ after its end (see set_finalize_delay_s).
      finalize_seconds_before(now / 1'000'000 - finalize_delay_s_);
      const Snapshot current = snapshot(now);
      for (SnapshotObserver* observer : observers) observer->on_snapshot(current);
      lock.lock();
    }
  }
  void stop();

  // Computes the per-second percentiles of every second before `second` and frees their
  // histograms; finalize_all() does so for every second (at the end of the run).
  void finalize_seconds_before(int64_t second);
  void finalize_all() { finalize_seconds_before(INT64_MAX); }

  const Tally& totals() const { return totals_; }
  const std::vector<SecondSample>& series() const { return series_; }
  // The series with the percentiles and in-flight counts of seconds not finalized yet, as they
  // stand now (for replay snapshots, which look mid-run).
  std::vector<SecondSample> series_so_far() const;

 private:
  void fold(const TickTally& tick, size_t recorder);
  SecondSample& sample_for(uint64_t second);

  // Latency of the seconds whose percentiles are not computed yet.
  struct SecondLatency {
    HdrHistogram all;
    HdrHistogram ok;
  };
  std::map<uint64_t, SecondLatency> open_seconds_;
  static void set_percentiles(SecondSample& sample, const SecondLatency& latency);
  // Sums in-flight counts over workers per tick into each second's most, for the ticks of
  // seconds before `limit`; returns how many entries it used.
  template <typename Ticks>
  static size_t add_in_flight(std::vector<SecondSample>& series, const Ticks& ticks,
                              uint64_t limit);
  // Most in flight per (tick, recorder), until finalized: a second shows its busiest tick,
  // summed over workers.
  std::map<std::pair<int64_t, size_t>, uint64_t> in_flight_by_tick_;
  // Requests in flight now: the sum over workers of each one's latest sample.
  uint64_t latest_in_flight() const;

  std::vector<Recorder*> recorders_;
  TickListener* listener_ = nullptr;
  int64_t finalize_delay_s_ = 2;
  std::vector<std::unique_ptr<TickTally>> drained_;
  Tally totals_;
  std::vector<SecondSample> series_;
  std::mutex wake_mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
};

}  // namespace strest
