#pragma once
// Recorder: the only metrics object a worker writes. Completed requests go into the Tally of
// the current 100 ms tick; when a request completes in a later tick, the finished tick is
// handed over under a mutex taken ~10 times a second, never per request. The Collector drains
// finished ticks, so every request lands in exactly one tick and nothing is dropped.
#include <cstdint>
#include <memory>
#include <mutex>
#include <vector>

#include "metrics/tally.h"

namespace strest {

inline constexpr int64_t kTickMicros = 100'000;

struct TickTally {
  int64_t tick = 0;  // run time / kTickMicros
  Tally tally;
};

class Recorder {
 public:
  Recorder();

  // Hot path. `now_us` is microseconds since the run started.
  void record_response(int status, bool ok, int64_t latency_us, uint64_t bytes, int64_t now_us) {
    Tally& t = tally_for(now_us);
    if (status >= 0 && status <= kMaxStatusCode) ++t.status_counts[static_cast<size_t>(status)];
    t.bytes_received += bytes;
    t.latency_all.record(latency_us);
    if (ok) {
      ++t.ok;
      t.latency_ok.record(latency_us);
    } else {
      ++t.non_expected_status;
    }
  }
  void record_timeout(TimeoutKind kind, uint64_t bytes, int64_t now_us) {
    Tally& t = tally_for(now_us);
    ++t.timeouts;
    ++t.timeouts_by_kind[static_cast<size_t>(kind)];
    t.bytes_received += bytes;
  }
  void record_transport_error(TransportError kind, uint64_t bytes, int64_t now_us) {
    Tally& t = tally_for(now_us);
    ++t.transport_errors;
    ++t.transport_by_kind[static_cast<size_t>(kind)];
    t.bytes_received += bytes;
  }
  void record_cancelled(uint64_t count, int64_t now_us) { tally_for(now_us).cancelled += count; }
  void record_sent(uint64_t bytes) { active_->tally.bytes_sent += bytes; }

  // Hands over the current tick if `now_us` is past it (called once per loop wake-up, so idle
  // workers still publish), or unconditionally with publish_all().
  void publish_if_tick_ended(int64_t now_us) {
    if (now_us / kTickMicros != active_->tick) publish(now_us / kTickMicros);
  }
  void publish_all();

  // Collector side: moves every finished tick into `out` and takes back spent buffers.
  void drain(std::vector<std::unique_ptr<TickTally>>& out);
  void recycle(std::vector<std::unique_ptr<TickTally>>& spent);

 private:
  Tally& tally_for(int64_t now_us) {
    const int64_t tick = now_us / kTickMicros;
    if (tick != active_->tick) publish(tick);
    return active_->tally;
  }
  void publish(int64_t next_tick);
  bool active_is_empty() const;

  std::unique_ptr<TickTally> active_;
  std::mutex mutex_;  // guards finished_ and spare_
  std::vector<std::unique_ptr<TickTally>> finished_;
  std::vector<std::unique_ptr<TickTally>> spare_;
};

}  // namespace strest
