#pragma once
// ReplayTimeline: a recording made ready to be shown from any moment, for the interactive
// replay. The same records, window, Recorders and Collector as replay_run, without a run log of
// its own; it moves forward by folding what happened up to a time, and back by starting over
// (folding is fast: a minute of a busy run takes well under a second).
#include <cstdint>
#include <memory>
#include <string>

#include "metrics/snapshot.h"
#include "plan/plan.h"
#include "plan/result.h"

namespace strest {

class ReplayTimeline {
 public:
  // Reads the recording options name (the same sources and window as replay_run).
  static Result<std::unique_ptr<ReplayTimeline>> load(const ReplayOptions& options);
  ~ReplayTimeline();

  // Replay time of the last thing recorded; replay time 0 is run time origin_us().
  int64_t duration_us() const;
  int64_t origin_us() const;
  std::string target() const;
  bool open_loop() const;

  // The results of everything that happened before replay time `t_us`. The Snapshot points
  // into this timeline and is valid until the next call.
  Snapshot at(int64_t t_us);

 private:
  struct State;
  explicit ReplayTimeline(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
};

}  // namespace strest
