#pragma once
// Worker: one thread, one epoll loop, its share of the connections, its own Recorder.
// Closed loop: each connection sends its next request as soon as the previous one completes.
#include <sys/epoll.h>

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "engine/connection.h"
#include "engine/run_clock.h"
#include "metrics/recorder.h"
#include "net/endpoint.h"
#include "net/epoll_loop.h"
#include "plan/plan.h"

namespace strest {

struct WorkerSetup {
  uint32_t connections = 1;
  std::optional<uint64_t> request_budget;  // this worker's share of --requests
  int64_t deadline_us = INT64_MAX;         // run time at which sending stops
};

class Worker {
 public:
  Worker(const Plan& plan, const Endpoint& endpoint, const std::vector<std::string>& requests,
         const RunClock& clock, Recorder& recorder, WorkerSetup setup);

  // Runs until the deadline, the budget or a stop signal; cancels what is still in flight.
  void run();

  // Requests this worker completed (for the stop reason).
  uint64_t completed() const { return completed_; }

 private:
  bool may_issue(int64_t now) const;
  bool finished(int64_t now) const;
  void begin_request(uint32_t index, int64_t now);
  void start_connect(uint32_t index, int64_t now);
  void send_request(Connection& connection, int64_t now);
  void try_write(uint32_t index, int64_t now);
  void try_read(uint32_t index, uint32_t events, int64_t now);
  void on_event(uint32_t index, uint32_t events, int64_t now);
  void on_connected(uint32_t index, int64_t now);
  void complete_response(uint32_t index, bool reusable, int64_t now);
  void fail(uint32_t index, TransportError kind, int64_t now);
  void time_out(uint32_t index, TimeoutKind kind, int64_t now);
  void finish_request(uint32_t index, bool reusable, int64_t now);
  void scan_timeouts(int64_t now);
  void run_restarts(int64_t now);
  int wait_timeout_ms(int64_t now) const;
  void cancel_in_flight(int64_t now);

  const Plan& plan_;
  const Endpoint& endpoint_;
  const std::vector<std::string>& requests_;
  const RunClock& clock_;
  Recorder& recorder_;
  WorkerSetup setup_;
  bool head_request_;
  int64_t timeout_us_;
  int64_t connect_timeout_us_;
  int64_t scan_interval_us_;
  int64_t next_scan_us_ = 0;

  std::optional<EpollLoop> loop_;
  std::vector<Connection> connections_;
  std::vector<uint32_t> restarts_;    // connections to start again after this batch of events
  std::vector<uint32_t> restarting_;  // the batch being restarted now (keeps its capacity)
  std::vector<char> read_buffer_;     // one for all connections: bodies are never kept
  size_t next_request_ = 0;           // round robin over request bodies
  uint64_t issued_ = 0;
  uint64_t completed_ = 0;
};

}  // namespace strest
