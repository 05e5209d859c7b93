#pragma once
// Collector: the one thread that folds workers' finished ticks into run totals and the
// per-second series, and hands Snapshots to observers. Workers never wait for it.
#include <array>
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <span>
#include <vector>

#include "metrics/recorder.h"
#include "metrics/run_result.h"
#include "metrics/snapshot.h"

namespace strest {

class Collector {
 public:
  explicit Collector(std::vector<Recorder*> recorders);

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
      const Snapshot current = snapshot(now_us());
      for (SnapshotObserver* observer : observers) observer->on_snapshot(current);
      lock.lock();
    }
  }
  void stop();

  const Tally& totals() const { return totals_; }
  const std::vector<SecondSample>& series() const { return series_; }

 private:
  void fold(const TickTally& tick);

  std::vector<Recorder*> recorders_;
  std::vector<std::unique_ptr<TickTally>> drained_;
  Tally totals_;
  std::vector<SecondSample> series_;
  std::mutex wake_mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
};

}  // namespace strest
