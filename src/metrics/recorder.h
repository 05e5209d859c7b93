#pragma once
// Recorder: the only metrics object a worker writes. Completed requests go into the Tally of
// the current 100 ms tick; when a request completes in a later tick, the finished tick is
// handed over under a mutex taken ~10 times a second, never per request. The Collector drains
// finished ticks, so every request lands in exactly one tick and nothing is dropped.
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "metrics/protocol.h"
#include "metrics/run_log_events.h"
#include "metrics/run_log_ring.h"
#include "metrics/tally.h"

namespace strest {

inline constexpr int64_t kTickMicros = 100'000;

struct TickTally {
  int64_t tick = 0;  // run time / kTickMicros
  Tally tally;
};

struct RecorderOptions {
  int64_t warmup_us = 0;      // requests that start before this are only counted as excluded
  bool open_loop = false;     // latency from the intended time, plus service time from the send
  RunLogRing* log = nullptr;  // when set, every measured request is also streamed here
  uint16_t worker = 0;        // written into log records
  uint16_t steps = 0;         // scenario steps, each counted in its own row (0: not a scenario)
};

// When a request started: `start_us` is its intended time (open loop) or when it was issued
// (closed loop) and decides warmup; `sent_us` is when its first byte went out. `sequence` is
// its number in the run.
struct RequestTimes {
  int64_t start_us = 0;
  int64_t sent_us = 0;
  uint64_t sequence = 0;
  uint16_t step = 0;  // scenario step index (0 outside scenarios)
};

class Recorder {
 public:
  explicit Recorder(RecorderOptions options = {});

  // Hot path. `now_us` is microseconds since the run started.
  void record_response(int status, bool ok, RequestTimes times, uint64_t bytes, int64_t now_us) {
    Tally* t = tally_unless_warmup(times.start_us, now_us);
    if (t == nullptr) return;
    const auto [latency_us, service_us] = count_response(*t, status, times, bytes, now_us);
    if (ok) {
      ++t->ok;
      t->latency_ok.record(latency_us);
      if (options_.open_loop) t->service_ok.record(service_us);
    } else {
      ++t->non_expected_status;
    }
    if (StepTally* s = step_of(*t, times.step)) {
      ++(ok ? s->ok : s->non_expected_status);
      s->latency_all.record(latency_us);
    }
    if (options_.log != nullptr) {
      log(times, ok ? LoggedOutcome::kOk : LoggedOutcome::kNonExpectedStatus, 0, status, bytes,
          latency_us, service_us);
    }
  }
  // Scenario: a response came but its step's assert (or extract) failed. Its status, bytes and
  // latency count like any response's (never as ok latency); the outcome is assert_failed.
  void record_assert_failure(int status, RequestTimes times, uint64_t bytes, int64_t now_us) {
    Tally* t = tally_unless_warmup(times.start_us, now_us);
    if (t == nullptr) return;
    const auto [latency_us, service_us] = count_response(*t, status, times, bytes, now_us);
    ++t->assert_failures;
    if (StepTally* s = step_of(*t, times.step)) {
      ++s->assert_failures;
      s->latency_all.record(latency_us);
    }
    if (options_.log != nullptr) {
      log(times, LoggedOutcome::kAssertFailed, 0, status, bytes, latency_us, service_us);
    }
  }
  // Scenario: an iteration ended, having run every step (passed) or stopped at a failed one.
  void record_iteration_end(bool passed, int64_t now_us) {
    Tally& t = tally_for(now_us);
    ++(passed ? t.iterations_passed : t.iterations_failed);
  }
  void record_timeout(TimeoutKind kind, RequestTimes times, uint64_t bytes, int64_t now_us) {
    Tally* t = tally_unless_warmup(times.start_us, now_us);
    if (t == nullptr) return;
    ++t->timeouts;
    ++t->timeouts_by_kind[static_cast<size_t>(kind)];
    t->bytes_received += bytes;
    if (StepTally* s = step_of(*t, times.step)) ++s->timeouts;
    if (options_.log != nullptr) {
      log_failure(times, LoggedOutcome::kTimeout, static_cast<uint8_t>(kind), bytes, now_us);
    }
  }
  void record_transport_error(TransportError kind, RequestTimes times, uint64_t bytes,
                              int64_t now_us) {
    Tally* t = tally_unless_warmup(times.start_us, now_us);
    if (t == nullptr) return;
    ++t->transport_errors;
    ++t->transport_by_kind[static_cast<size_t>(kind)];
    t->bytes_received += bytes;
    if (StepTally* s = step_of(*t, times.step)) ++s->transport_errors;
    if (options_.log != nullptr) {
      log_failure(times, LoggedOutcome::kTransport, static_cast<uint8_t>(kind), bytes, now_us);
    }
  }
  // Open loop: a scheduled request started `now_us - due_us` after its intended time.
  void record_scheduled_start(int64_t due_us, int64_t now_us) {
    Tally* t = tally_unless_warmup(due_us, now_us, /*count_excluded=*/false);
    if (t == nullptr) return;
    const int64_t lag = now_us > due_us ? now_us - due_us : 0;
    ++t->scheduled_starts;
    t->lag_sum_us += lag;
    if (lag > t->lag_max_us) t->lag_max_us = lag;
    if (lag >= kLateStartMicros) ++t->late_starts;
  }
  void record_cancelled(int64_t start_us, int64_t now_us) {
    Tally* t = tally_unless_warmup(start_us, now_us);
    if (t != nullptr) ++t->cancelled;
  }
  void record_unsent(uint64_t count, int64_t now_us) { tally_for(now_us).unsent_at_end += count; }
  void record_sent(uint64_t bytes) { active_->tally.bytes_sent += bytes; }
  // A connection became ready: its protocol, and its connect and handshake phases.
  void record_connection(const OpenedTimes& opened, int64_t now_us) {
    Tally& t = tally_for(now_us);
    ++t.connections_by_protocol[static_cast<size_t>(opened.protocol)];
    // QUIC has no connect of its own: its handshake (transport and TLS in one) is all of it.
    const bool quic = opened.protocol == Protocol::kHttp3;
    if (!quic) {
      t.phases[static_cast<size_t>(ExchangePhase::kConnect)].add(opened.connected_us -
                                                                 opened.started_us);
    }
    if (!opened.tls) return;
    ++t.tls_handshakes;
    if (opened.resumed) ++t.tls_resumed;
    t.phases[static_cast<size_t>(ExchangePhase::kTlsHandshake)].add(
        opened.handshake_us - (quic ? opened.started_us : opened.connected_us));
  }
  // A response's write, wait and read phases (left out like its latency within the warmup).
  void record_request_phases(int64_t start_us, int64_t write_us, int64_t wait_us, int64_t read_us,
                             int64_t now_us) {
    if (start_us < options_.warmup_us) return;
    Tally& t = tally_for(now_us);
    t.phases[static_cast<size_t>(ExchangePhase::kRequestWrite)].add(write_us);
    t.phases[static_cast<size_t>(ExchangePhase::kWaitFirstByte)].add(wait_us);
    t.phases[static_cast<size_t>(ExchangePhase::kResponseRead)].add(read_us);
  }
  // Why requests failed with `kind`, in words (a TLS alert, a proxy's answer): the first
  // reason per kind is kept for the summary. Rare, so it may lock.
  void note_error_detail(TransportError kind, std::string_view detail);
  // The reasons noted so far, by kind ("" where none).
  std::array<std::string, kTransportErrorKinds> error_details();
  // Why a scenario step's assert failed, in words ("assert_status 200, got 401"): the first
  // reason per step is kept for the summary. Rare, so it may lock.
  void note_assert_detail(uint16_t step, std::string_view detail);
  // The reasons noted so far, by step ("" where none; shorter than the steps when none later).
  std::vector<std::string> assert_details();
  // Samples how many requests the worker has in flight (once per loop wake-up).
  void note_in_flight(uint64_t in_flight, int64_t now_us) {
    Tally& t = tally_for(now_us);
    if (in_flight > t.in_flight_max) t.in_flight_max = in_flight;
  }

  // Replay: adds a logged tick event's facts to the tick of `now_us`.
  void replay_tick_event(const RunLogRecord& event, int64_t now_us) {
    apply_tick_event(event, tally_for(now_us));
  }

  // Hands over the current tick if `now_us` is past it (called once per loop wake-up, so idle
  // workers still publish), or unconditionally with publish_all().
  void publish_if_tick_ended(int64_t now_us) {
    if (now_us / kTickMicros != active_->tick) publish(now_us / kTickMicros);
  }
  void publish_all();

  // Collector side: moves every finished tick into `out` and takes back spent buffers.
  void drain(std::vector<std::unique_ptr<TickTally>>& out);
  void recycle(std::vector<std::unique_ptr<TickTally>>& spent);
  // Distributed controller: a tick an agent measured is handed over as if this recorder had
  // finished it (one recorder per agent), so the Collector folds it like any other.
  void hand_over(std::unique_ptr<TickTally> tick);
  // An empty tick to fill and hand over: a recycled one when there is one, so a controller
  // reuses the buffers its Collector gives back instead of piling them up.
  std::unique_ptr<TickTally> spare_tick();

 private:
  Tally& tally_for(int64_t now_us) {
    const int64_t tick = now_us / kTickMicros;
    if (tick != active_->tick) publish(tick);
    return active_->tally;
  }
  // The row of `step`, or nullptr outside scenarios (a plain run pays this one compare).
  static StepTally* step_of(Tally& t, uint16_t step) {
    return step < t.steps.size() ? &t.steps[step] : nullptr;
  }
  struct Measured {
    int64_t latency_us;
    int64_t service_us;
  };
  // What every response counts, whatever its outcome: its status, its bytes, its latency among
  // all responses' (and its service time in the open loop).
  Measured count_response(Tally& t, int status, const RequestTimes& times, uint64_t bytes,
                          int64_t now_us) {
    if (status >= 0 && status <= kMaxStatusCode) ++t.status_counts[static_cast<size_t>(status)];
    t.bytes_received += bytes;
    const int64_t service_us = now_us - times.sent_us;
    const int64_t latency_us = options_.open_loop ? now_us - times.start_us : service_us;
    t.latency_all.record(latency_us);
    if (options_.open_loop) t.service_all.record(service_us);
    return {latency_us, service_us};
  }
  // The tally to record into, or nullptr for a request that started within the warmup (which
  // is then counted as excluded).
  Tally* tally_unless_warmup(int64_t start_us, int64_t now_us, bool count_excluded = true) {
    Tally& t = tally_for(now_us);
    if (start_us >= options_.warmup_us) return &t;
    if (count_excluded) ++t.warmup_excluded;
    return nullptr;
  }
  // A request without a response is logged with the time until it failed, measured like a
  // latency, so a replay counts it in the tick it ended in (it is never a latency sample).
  void log_failure(const RequestTimes& times, LoggedOutcome outcome, uint8_t error_kind,
                   uint64_t bytes, int64_t now_us) {
    const int64_t service_us = now_us - times.sent_us;
    const int64_t latency_us = options_.open_loop ? now_us - times.start_us : service_us;
    log(times, outcome, error_kind, 0, bytes, latency_us, service_us);
  }
  void log(const RequestTimes& times, LoggedOutcome outcome, uint8_t error_kind, int status,
           uint64_t bytes, int64_t latency_us, int64_t service_us) {
    RunLogRecord record;
    record.sequence = times.sequence;
    record.start_us = times.start_us;
    record.latency_us = clamp_u32(latency_us);
    record.service_us = clamp_u32(service_us);
    record.bytes = clamp_u32(static_cast<int64_t>(bytes));
    record.status = static_cast<uint16_t>(status);
    record.outcome = outcome;
    record.error_kind = error_kind;
    record.worker = options_.worker;
    record.step = times.step;
    record.send_delay_us = clamp_u32(times.sent_us - times.start_us);
    options_.log->push(record);
  }
  static uint32_t clamp_u32(int64_t value) {
    return value <= 0 ? 0 : value >= UINT32_MAX ? UINT32_MAX : static_cast<uint32_t>(value);
  }
  void publish(int64_t next_tick);
  void log_tick_events();
  bool active_is_empty() const;

  RecorderOptions options_;
  std::unique_ptr<TickTally> active_;
  std::mutex mutex_;  // guards finished_ and spare_
  std::vector<std::unique_ptr<TickTally>> finished_;
  std::vector<std::unique_ptr<TickTally>> spare_;
  std::array<std::string, kTransportErrorKinds> error_details_;  // guarded by mutex_
  std::vector<std::string> assert_details_;                      // guarded by mutex_
};

}  // namespace strest
