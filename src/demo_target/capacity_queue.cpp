#include "demo_target/capacity_queue.h"

#include <algorithm>

namespace strest {

namespace {

int64_t service_ns_of(uint64_t per_second) {
  return static_cast<int64_t>(1'000'000'000 / std::max<uint64_t>(per_second, 1));
}

}  // namespace

void CapacityQueue::cancel(uint64_t per_second) {
  busy_until_ns_.fetch_sub(service_ns_of(per_second), std::memory_order_relaxed);
}

int64_t CapacityQueue::reserve(int64_t now_ns, uint64_t per_second) {
  const int64_t service_ns = service_ns_of(per_second);
  int64_t busy_until = busy_until_ns_.load(std::memory_order_relaxed);
  int64_t done = 0;
  do {
    done = std::max(busy_until, now_ns) + service_ns;
  } while (!busy_until_ns_.compare_exchange_weak(busy_until, done, std::memory_order_relaxed));
  return done;
}

}  // namespace strest
