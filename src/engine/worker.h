#pragma once
// Worker: one thread, one epoll loop, its share of the connections, its own Recorder.
// Closed loop: each connection sends its next request as soon as the previous one completes.
// Open loop: requests leave on the schedule's times on whichever connection is free; when
// none is, they wait in order and their lateness is recorded.
#include <sys/epoll.h>

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "engine/connection.h"
#include "engine/connection_ramp.h"
#include "engine/open_loop_pacer.h"
#include "engine/rate_schedule.h"
#include "engine/run_clock.h"
#include "http/request_builder.h"
#include "metrics/recorder.h"
#include "net/endpoint.h"
#include "net/epoll_loop.h"
#include "plan/plan.h"

namespace strest {

// What every worker of a run shares, read-only.
struct RunContext {
  const Plan& plan;
  const Endpoint& endpoint;
  const std::vector<RequestTemplate>& requests;
  const RunClock& clock;
  const ConnectionRamp& ramp;
  const RateSchedule* schedule;  // open loop when set
};

struct WorkerSetup {
  uint32_t index = 0;
  uint32_t workers = 1;
  uint32_t connections = 1;
  std::optional<uint64_t> request_budget;  // this worker's share of --requests
  int64_t deadline_us = INT64_MAX;         // run time at which sending stops
};

class Worker {
 public:
  Worker(const RunContext& context, Recorder& recorder, WorkerSetup setup);

  // Runs until the deadline, the budget or a stop signal; cancels what is still in flight.
  void run();

 private:
  bool may_issue(int64_t now) const;
  bool finished(int64_t now) const;
  void open_connections_allowed(int64_t now);
  void begin_request(uint32_t index, int64_t now);
  void dispatch_scheduled(int64_t now);
  bool take_scheduled(uint32_t index, int64_t now);
  void issue(uint32_t index, uint64_t sequence, int64_t start_us, int64_t now);
  void start_connect(uint32_t index, int64_t now);
  void send_request(uint32_t index, int64_t now);
  void try_write(uint32_t index, int64_t now);
  void try_read(uint32_t index, uint32_t events, int64_t now);
  void on_event(uint32_t index, uint32_t events, int64_t now);
  void complete_response(uint32_t index, bool reusable, int64_t now);
  void fail(uint32_t index, TransportError kind, int64_t now);
  void time_out(uint32_t index, TimeoutKind kind, int64_t now);
  void finish_request(uint32_t index, bool reusable, int64_t now);
  void scan_timeouts(int64_t now);
  void run_restarts(int64_t now);
  int64_t wait_timeout_us(int64_t now) const;
  void end_run(int64_t now);

  const RunContext& context_;
  Recorder& recorder_;
  WorkerSetup setup_;
  bool head_request_;
  int64_t timeout_us_;
  int64_t connect_timeout_us_;
  int64_t scan_interval_us_;
  int64_t next_scan_us_ = 0;
  uint32_t allowed_ = 0;  // connections the ramp allows so far (indices below it are in use)
  int64_t next_ramp_us_ = 0;

  std::optional<EpollLoop> loop_;
  std::optional<OpenLoopPacer> pacer_;
  std::vector<Connection> connections_;
  std::vector<uint32_t> idle_;        // open loop: connections free for the next due request
  std::vector<uint32_t> restarts_;    // closed loop: to start again after this batch of events
  std::vector<uint32_t> restarting_;  // the batch being restarted now (keeps its capacity)
  std::vector<char> read_buffer_;     // one for all connections: bodies are never kept
  size_t next_request_ = 0;           // round robin over request bodies
  uint64_t issued_ = 0;
  uint64_t completed_ = 0;
};

}  // namespace strest
