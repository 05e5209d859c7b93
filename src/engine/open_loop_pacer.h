#pragma once
// OpenLoopPacer: one worker's share of the schedule. Worker w of W takes requests w, w+W,
// w+2W, ... so the workers together send exactly the schedule. A request that is due while
// every connection of the worker is busy waits here, in order; its lateness is reported as
// schedule lag, never skipped.
#include <cstdint>

#include "engine/rate_schedule.h"

namespace strest {

struct ScheduledRequest {
  uint64_t sequence = 0;  // index in the whole run's schedule (unique across workers)
  int64_t due_us = 0;     // intended send time
};

class OpenLoopPacer {
 public:
  OpenLoopPacer(const RateSchedule& schedule, uint32_t worker, uint32_t workers);

  // Intended time of the next request not yet taken (RateSchedule::kNever if none).
  int64_t next_due_us() const { return next_due_us_; }
  bool due(int64_t now_us) const { return next_due_us_ <= now_us; }
  // Hands out the next request and moves on to the one after.
  ScheduledRequest take();
  uint64_t taken() const { return taken_; }
  // This worker's requests due strictly before `end_us` that were never taken.
  uint64_t backlog_at(int64_t end_us) const;

 private:
  const RateSchedule& schedule_;
  uint32_t worker_;
  uint32_t workers_;
  uint64_t taken_ = 0;
  int64_t next_due_us_;
};

}  // namespace strest
