#include "engine/open_loop_pacer.h"

namespace strest {

OpenLoopPacer::OpenLoopPacer(const RateSchedule& schedule, uint32_t worker, uint32_t workers)
    : schedule_(schedule),
      worker_(worker),
      workers_(workers),
      next_due_us_(schedule.due_us(worker)) {}

ScheduledRequest OpenLoopPacer::take() {
  const ScheduledRequest request{taken_ * workers_ + worker_, next_due_us_};
  ++taken_;
  next_due_us_ = schedule_.due_us(taken_ * workers_ + worker_);
  return request;
}

uint64_t OpenLoopPacer::backlog_at(int64_t end_us) const {
  const uint64_t due = schedule_.due_before(end_us);  // requests 0 .. due-1 of the whole run
  const uint64_t mine = due > worker_ ? (due - worker_ - 1) / workers_ + 1 : 0;
  return mine > taken_ ? mine - taken_ : 0;
}

}  // namespace strest
