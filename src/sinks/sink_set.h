#pragma once
// SinkSet: the Snapshot observer that keeps the [sinks] files of the config up to date. Each file
// is rewritten whole every update_interval of the run (judged on Snapshot::elapsed_us, so tests
// need no clock) and once more with the final totals, always by atomic replacement.
#include <cstdint>
#include <functional>
#include <iostream>
#include <string>
#include <vector>

#include "metrics/snapshot.h"
#include "plan/plan.h"
#include "sinks/metrics_view.h"

namespace strest {

// Nanoseconds since the Unix epoch, from the system clock.
int64_t unix_time_now_ns();

class SinkSet : public SnapshotObserver {
 public:
  // Where OTel and Influx timestamps come from: nanoseconds since the Unix epoch.
  using UnixClock = std::function<int64_t()>;

  // Copies what it needs from plan (sinks, warmup, URL); without plan.sinks it does nothing.
  // A failed write is logged as a warning once per file and retried at the next update.
  explicit SinkSet(const Plan& plan, UnixClock unix_now_ns = unix_time_now_ns);

  // Writes every file once update_interval has passed since the last due time (due times are
  // multiples of the interval; a late snapshot writes once, not once per missed interval).
  void on_snapshot(const Snapshot& snapshot) override;
  // Writes every file with the final totals, fsync'ed before the rename.
  void on_finish(const Snapshot& snapshot) override;

  // True when the plan names at least one sink file.
  bool active() const { return !sinks_.empty(); }
  // True when the latest write of some file failed (it then holds an older write, or nothing).
  bool last_write_failed() const;

 private:
  // One configured file and the format written to it.
  struct Sink {
    std::string path;
    std::string (*format)(const MetricsView&);
    bool directory_ready = false;  // its parent directory was created (or already existed)
    bool warned = false;           // a failure was reported already
    bool failed = false;           // the latest write failed
  };

  void write_all(const Snapshot& snapshot, bool durable);
  void write(Sink& sink, const MetricsView& view, bool durable);

  std::vector<Sink> sinks_;
  int64_t interval_us_ = 1;
  int64_t warmup_us_ = 0;
  std::string target_;
  UnixClock unix_now_ns_;
  int64_t next_due_us_ = 1;  // elapsed time at which on_snapshot writes next
};

}  // namespace strest
