#include "engine/connection_ramp.h"

#include <algorithm>
#include <limits>

namespace strest {

ConnectionRamp::ConnectionRamp(uint32_t total, std::optional<uint32_t> spawn_rate,
                               int64_t interval_us)
    : total_(total), spawn_rate_(spawn_rate), interval_us_(std::max<int64_t>(interval_us, 1)) {}

uint32_t ConnectionRamp::allowed_at(int64_t t_us) const {
  if (!spawn_rate_) return total_;
  const uint64_t steps = static_cast<uint64_t>(std::max<int64_t>(t_us, 0) / interval_us_) + 1;
  const uint64_t allowed = steps * *spawn_rate_;
  return static_cast<uint32_t>(std::min<uint64_t>(allowed, total_));
}

uint32_t ConnectionRamp::allowed_for_worker(int64_t t_us, uint32_t worker, uint32_t workers) const {
  const uint32_t allowed = allowed_at(t_us);
  return allowed / workers + (worker < allowed % workers ? 1 : 0);
}

int64_t ConnectionRamp::next_step_us(int64_t t_us) const {
  if (allowed_at(t_us) >= total_) return std::numeric_limits<int64_t>::max();
  return (std::max<int64_t>(t_us, 0) / interval_us_ + 1) * interval_us_;
}

}  // namespace strest
