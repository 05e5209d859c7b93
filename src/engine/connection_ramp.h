#pragma once
// ConnectionRamp: how many connections may be in use at a time when --spawn-rate is set:
// spawn_rate at the start, spawn_rate more every spawn_interval, up to the total. Without a
// spawn rate every connection is allowed at once. Pure arithmetic on the time it is given.
#include <cstdint>
#include <optional>

namespace strest {

class ConnectionRamp {
 public:
  ConnectionRamp(uint32_t total, std::optional<uint32_t> spawn_rate, int64_t interval_us);

  // Connections allowed at time t over the whole run.
  uint32_t allowed_at(int64_t t_us) const;
  // Worker w of `workers`: its share of allowed_at(t) (the shares sum to allowed_at(t)).
  uint32_t allowed_for_worker(int64_t t_us, uint32_t worker, uint32_t workers) const;
  // The next time the allowance grows, or INT64_MAX once everything is allowed.
  int64_t next_step_us(int64_t t_us) const;

 private:
  uint32_t total_;
  std::optional<uint32_t> spawn_rate_;
  int64_t interval_us_;
};

}  // namespace strest
