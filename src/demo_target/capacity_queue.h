#pragma once
// The queue behind the built-in target's /capacity/{n} route: one imaginary worker that spends
// 1/n s on each request, in arrival order, shared by every loop thread. Below n requests a
// second a request waits only its own 1/n s; above it the queue grows and so does latency, as
// with a real saturated service. Times are plain nanoseconds on the caller's clock, so tests
// drive it without sleeping.
#include <atomic>
#include <cstdint>

namespace strest {

class CapacityQueue {
 public:
  // Queues a request that arrived at `now_ns` behind every request queued before it, and returns
  // when its service ends, which is when its response is due: now_ns + 1/per_second s on an idle
  // worker, else 1/per_second s after the previous request's service ends. per_second >= 1.
  // Safe from any thread; every call gets its own slot.
  int64_t reserve(int64_t now_ns, uint64_t per_second);

  // Gives back the slot of a request that will not be answered (its connection closed before
  // its turn): later requests are queued as if it had never come, so a client that gave up
  // leaves no backlog behind. Slots already handed out keep their times.
  void cancel(uint64_t per_second);

  // Forgets the queue (a restarted server starts idle).
  void reset() { busy_until_ns_.store(0, std::memory_order_relaxed); }

 private:
  std::atomic<int64_t> busy_until_ns_{0};  // when the last queued request's service ends
};

}  // namespace strest
