#pragma once
// Worker: one thread, one epoll loop, its share of the connections, its own Recorder.
// Closed loop: each slot sends its next request as soon as the previous one completes.
// Open loop: requests leave on the schedule's times on whichever slot is free; when none is,
// they wait in order and their lateness is recorded. The protocol lives in the sessions
// (net/session.h): the worker only sees slots, connections and what the sessions report.
#include <sys/epoll.h>

#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "clock/run_clock.h"
#include "engine/connection.h"
#include "engine/connection_ramp.h"
#include "engine/open_loop_pacer.h"
#include "engine/rate_schedule.h"
#include "metrics/recorder.h"
#include "net/epoll_loop.h"
#include "net/h2c_fallback.h"
#include "net/session.h"
#include "net/transport_config.h"
#include "plan/plan.h"
#include "scenario/compiled_scenario.h"

namespace strest {

// What every worker of a run shares, read-only.
struct RunContext {
  const Plan& plan;
  const TransportConfig& transport;
  const RunClock& clock;
  const ConnectionRamp& ramp;
  const RateSchedule* schedule;         // open loop when set
  H2cFallback* h2c_fallback = nullptr;  // --http2 over cleartext: the run's h2c verdict
  // Scenario runs: each slot runs iterations of these steps (null: the plain request).
  const CompiledScenario* scenario = nullptr;
  int64_t unix_start_us = 0;  // wall clock at run time 0, for {{timestamp_ms}}
};

// Makes the session of connection `connection` (net/session.h's make_session in a real run; a
// scripted fake in tests). Called once per connection when the worker starts, never per request.
using SessionFactory =
    std::function<std::unique_ptr<Session>(const SessionContext& context, uint32_t connection)>;

struct WorkerSetup {
  uint32_t index = 0;
  uint32_t workers = 1;
  uint32_t slots = 1;  // this worker's share of --max-tasks: requests in flight at most
  std::optional<uint64_t> request_budget;  // this worker's share of --requests
  int64_t deadline_us = INT64_MAX;         // run time at which sending stops
};

class Worker final : private SessionListener {
 public:
  Worker(const RunContext& context, Recorder& recorder, WorkerSetup setup,
         SessionFactory sessions = make_session);

  // Runs until the deadline, the budget or a stop signal; cancels what is still in flight.
  // It reads context.clock once per loop wake-up and hands that time to the steps below.
  void run();
  // The run time at which run() saw the run end, before the teardown (closing thousands of
  // sockets takes tens of microseconds each); 0 until then.
  int64_t finished_at_us() const { return finished_at_us_; }

  // The steps run() takes, public so that tests drive a worker with a ManualClock and fake
  // sessions (no sockets, no sleeps). start() makes the sessions (watching `loop`, which may be
  // null when they need none) and opens the slots allowed at `now`; each loop wake-up passes
  // every ready socket to on_io() and then calls advance(); stop() cancels what is in flight.
  void start(EpollLoop* loop, int64_t now);
  void on_io(uint32_t connection, uint32_t events, int64_t now);
  void advance(int64_t now);
  void stop(int64_t now);
  // The deadline, the request budget or a stop signal has come.
  bool finished(int64_t now) const;
  // How long the loop may sleep before something is due (at most 10 ms).
  int64_t wait_timeout_us(int64_t now) const;

 private:
  // SessionListener: what the sessions report.
  void on_session_ready(uint32_t connection, const OpenedTimes& times, int64_t now) override;
  void on_request_sent(uint32_t slot, uint64_t bytes, int64_t now) override;
  void on_first_byte(uint32_t slot, int64_t now) override;
  void on_response(uint32_t slot, int status, uint64_t bytes, int64_t now) override;
  void on_stream_failed(uint32_t slot, TransportError kind, uint64_t bytes, std::string_view detail,
                        int64_t now) override;
  void on_session_closed(uint32_t connection, TransportError kind, std::string_view detail,
                         int64_t now) override;
  void on_response_header(uint32_t slot, std::string_view name, std::string_view value) override;
  void on_response_body(uint32_t slot, std::string_view data) override;

  bool may_issue(int64_t now) const;
  void open_slots_allowed(int64_t now);
  void begin_request(uint32_t slot, int64_t now);
  void dispatch_scheduled(int64_t now);
  void issue(uint32_t slot, uint64_t sequence, int64_t start_us, int64_t now);
  void open_connection(uint32_t connection, int64_t now);
  void submit(uint32_t slot, int64_t now);
  void attend(uint32_t connection, int64_t now);
  void send_pending(int64_t now);
  void fail_slot(uint32_t slot, TransportError kind, uint64_t bytes, std::string_view detail,
                 int64_t now);
  void time_out(uint32_t slot, TimeoutKind kind, int64_t now);
  // Ends the slot's request; unless its iteration goes on (`continues`), the slot takes the
  // next work: a new request or iteration (closed loop) or the next due one (open loop).
  void finish_slot(uint32_t slot, bool continues = false);
  // Scenario runs: the first step of a new iteration on `slot`, and the end of one.
  void begin_iteration(uint32_t slot, uint64_t iteration);
  void end_iteration(uint32_t slot, bool passed, int64_t now);
  // Judges a scenario step's response, records it and decides what the slot does next.
  void on_step_response(uint32_t slot, int status, uint64_t bytes, int64_t now);
  // Steps whose think time is over, and those that follow at once, go out.
  void run_continuations(int64_t now);
  void scan_timeouts(int64_t now);
  void run_timers(int64_t now);
  void run_restarts(int64_t now);
  void end_run(int64_t now);
  uint32_t connection_of(uint32_t slot) const { return slot / streams_; }

  const RunContext& context_;
  Recorder& recorder_;
  WorkerSetup setup_;
  const uint32_t streams_;  // slots per connection
  const SessionFactory make_session_;
  const bool quic_timers_;  // HTTP/3 sessions have timers of their own
  int64_t timeout_us_;
  int64_t connect_timeout_us_;
  int64_t scan_interval_us_;
  int64_t next_scan_us_ = 0;
  int64_t finished_at_us_ = 0;
  uint32_t allowed_ = 0;  // slots the ramp allows so far (indices below it are in use)
  int64_t next_ramp_us_ = 0;

  std::optional<EpollLoop> loop_;
  std::optional<OpenLoopPacer> pacer_;
  std::vector<Slot> slots_;
  std::vector<ConnectionState> connections_;
  std::vector<uint32_t> idle_;        // open loop: slots free for the next due request
  std::vector<uint32_t> restarts_;    // closed loop: to start again after this batch of events
  std::vector<uint32_t> restarting_;  // the batch being restarted now (keeps its capacity)
  std::vector<uint32_t> attend_;      // connections with queued slots, seen to after this batch
  std::vector<uint32_t> attending_;   // the batch being attended to now
  std::vector<uint32_t> sends_;       // connections given requests since the last send_pending
  std::vector<char> read_buffer_;     // one for all connections: bodies are never kept
  std::array<bool, kTransportErrorKinds> detail_noted_{};  // a reason already kept per kind
  size_t next_variant_ = 0;                                // round robin over request bodies
  // Scenario runs: what each slot's iteration holds, and the slots whose next step is due at
  // a time (after think time, or at once), as a min-heap on that time.
  const CompiledScenario* scenario_;
  std::vector<IterationState> iterations_;
  std::vector<std::pair<int64_t, uint32_t>> continuations_;
  std::vector<bool> assert_noted_;  // a failed assert's reason already kept, per step
  uint64_t iterations_started_ = 0;
  uint64_t issued_ = 0;
  uint64_t completed_ = 0;
};

}  // namespace strest
