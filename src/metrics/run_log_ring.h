#pragma once
// A single-producer single-consumer ring of run log records: the worker pushes one record per
// completed request (two relaxed loads, a store, a release), the log writer thread pops them.
// When the writer falls behind and the ring is full, the worker waits: records are never
// dropped, and the time spent waiting is counted.
#include <atomic>
#include <cstdint>
#include <thread>
#include <vector>

#include "metrics/run_log_format.h"

namespace strest {

class RunLogRing {
 public:
  // 16384 records (640 KiB, resident for the whole run): the writer drains every 10 ms, so this
  // still covers a 70 ms disk stall at 200k requests/s per worker before the worker waits.
  explicit RunLogRing(size_t capacity_pow2 = 1 << 14)
      : slots_(capacity_pow2), mask_(capacity_pow2 - 1) {}

  // Worker side.
  void push(const RunLogRecord& record) {
    const uint64_t head = head_.load(std::memory_order_relaxed);
    while (head - tail_.load(std::memory_order_acquire) > mask_) {
      ++full_waits_;
      std::this_thread::yield();
    }
    slots_[head & mask_] = record;
    head_.store(head + 1, std::memory_order_release);
  }

  // Writer side: calls `take` for every record available now; returns how many.
  template <typename Take>
  size_t pop_all(Take&& take) {
    const uint64_t tail = tail_.load(std::memory_order_relaxed);
    const uint64_t head = head_.load(std::memory_order_acquire);
    for (uint64_t i = tail; i != head; ++i) take(slots_[i & mask_]);
    tail_.store(head, std::memory_order_release);
    return static_cast<size_t>(head - tail);
  }

  size_t capacity() const { return slots_.size(); }
  // How often the worker found the ring full (read after the run).
  uint64_t full_waits() const { return full_waits_; }

 private:
  std::vector<RunLogRecord> slots_;
  const uint64_t mask_;
  alignas(64) std::atomic<uint64_t> head_{0};
  alignas(64) std::atomic<uint64_t> tail_{0};
  alignas(64) uint64_t full_waits_ = 0;  // written by the worker only
};

}  // namespace strest
