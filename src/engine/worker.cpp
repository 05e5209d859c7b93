#include "engine/worker.h"

#include <sys/prctl.h>
#include <sys/socket.h>

#include <algorithm>
#include <cerrno>

#include "engine/stop_signal.h"
#include "net/tcp.h"

namespace strest {

namespace {
constexpr size_t kReadBufferBytes = 64 * 1024;
constexpr int kMaxEvents = 256;
constexpr int64_t kMaxWaitUs = 10'000;
}  // namespace

Worker::Worker(const RunContext& context, Recorder& recorder, WorkerSetup setup)
    : context_(context),
      recorder_(recorder),
      setup_(setup),
      head_request_(is_head_request(context.plan)),
      timeout_us_(context.plan.timeout.count()),
      connect_timeout_us_(context.plan.connect_timeout.count()),
      // Timeouts are checked by a scan a tenth of the shortest timeout apart (1-10 ms).
      scan_interval_us_(
          std::clamp<int64_t>(std::min(timeout_us_, connect_timeout_us_) / 10, 1'000, 10'000)),
      connections_(setup.connections),
      read_buffer_(kReadBufferBytes) {
  restarts_.reserve(setup.connections);
  restarting_.reserve(setup.connections);
  idle_.reserve(setup.connections);
  if (context.schedule != nullptr) pacer_.emplace(*context.schedule, setup.index, setup.workers);
}

bool Worker::may_issue(int64_t now) const {
  if (now >= setup_.deadline_us || stop_signal() != 0) return false;
  return !setup_.request_budget || issued_ < *setup_.request_budget;
}

bool Worker::finished(int64_t now) const {
  if (now >= setup_.deadline_us || stop_signal() != 0) return true;
  return setup_.request_budget && completed_ >= *setup_.request_budget;
}

void Worker::run() {
  auto loop = EpollLoop::create();
  if (!loop) return;  // cannot happen short of fd exhaustion; the run then reports nothing
  loop_.emplace(std::move(*loop));
  // The kernel may delay a timed wait by the thread's timer slack (50 µs by default); the
  // open-loop schedule wants its wake-ups on time.
  if (pacer_) prctl(PR_SET_TIMERSLACK, 1'000UL, 0UL, 0UL, 0UL);
  int64_t now = context_.clock.now();
  open_connections_allowed(now);
  std::array<epoll_event, kMaxEvents> events;
  while (!finished(now)) {
    const int ready = loop_->wait(events, wait_timeout_us(now));
    now = context_.clock.now();
    if (finished(now)) break;  // what was not seen complete by the deadline is cancelled
    for (int e = 0; e < ready; ++e) {
      on_event(static_cast<uint32_t>(events[e].data.u64), events[e].events, now);
    }
    if (now >= next_scan_us_) scan_timeouts(now);
    run_restarts(now);
    if (now >= next_ramp_us_) open_connections_allowed(now);
    if (pacer_) dispatch_scheduled(now);
    recorder_.note_in_flight(issued_ - completed_, now);
    recorder_.publish_if_tick_ended(now);
  }
  end_run(now);
  recorder_.publish_all();
}

// Brings the connections the ramp allows by now into use.
void Worker::open_connections_allowed(int64_t now) {
  const uint32_t allowed = std::min<uint32_t>(
      setup_.connections, context_.ramp.allowed_for_worker(now, setup_.index, setup_.workers));
  next_ramp_us_ = context_.ramp.next_step_us(now);
  for (uint32_t index = allowed_; index < allowed; ++index) {
    if (pacer_) {
      idle_.push_back(index);
    } else {
      begin_request(index, now);
    }
  }
  allowed_ = std::max(allowed_, allowed);
}

int64_t Worker::wait_timeout_us(int64_t now) const {
  if (!restarts_.empty()) return 0;
  int64_t until = std::min({next_scan_us_, setup_.deadline_us, next_ramp_us_});
  if (pacer_ && !idle_.empty() && may_issue(now)) until = std::min(until, pacer_->next_due_us());
  return std::clamp<int64_t>(until - now, 0, kMaxWaitUs);
}

// Closed loop: the connection's next request, now.
void Worker::begin_request(uint32_t index, int64_t now) {
  if (!may_issue(now)) {
    connections_[index].phase = Connection::Phase::kIdle;
    return;
  }
  issue(index, issued_ * setup_.workers + setup_.index, now, now);
}

// Open loop: sends every due request on a free connection, oldest first.
void Worker::dispatch_scheduled(int64_t now) {
  while (!idle_.empty() && pacer_->due(now) && may_issue(now)) {
    const uint32_t index = idle_.back();
    idle_.pop_back();
    take_scheduled(index, now);
  }
}

bool Worker::take_scheduled(uint32_t index, int64_t now) {
  if (!pacer_->due(now) || !may_issue(now)) return false;
  const ScheduledRequest request = pacer_->take();
  recorder_.record_scheduled_start(request.due_us, now);
  issue(index, request.sequence, request.due_us, now);
  return true;
}

void Worker::issue(uint32_t index, uint64_t sequence, int64_t start_us, int64_t now) {
  Connection& connection = connections_[index];
  ++issued_;
  connection.times.sequence = sequence;
  connection.times.start_us = start_us;
  connection.bytes_in = 0;
  if (!connection.socket.valid()) {
    start_connect(index, now);
    return;
  }
  send_request(index, now);
}

void Worker::start_connect(uint32_t index, int64_t now) {
  Connection& connection = connections_[index];
  ConnectStart started = strest::start_connect(context_.endpoint);
  connection.phase = Connection::Phase::kConnecting;
  connection.phase_started_us = now;
  connection.times.sent_us = now;
  if (!started.fd.valid()) {
    fail(index, classify_connect_error(started.error), now);
    return;
  }
  connection.socket = std::move(started.fd);
  loop_->watch(connection.socket.get(), index);
  if (!started.in_progress) send_request(index, now);
}

void Worker::send_request(uint32_t index, int64_t now) {
  Connection& connection = connections_[index];
  const RequestTemplate& request = context_.requests[next_request_];
  if (++next_request_ == context_.requests.size()) next_request_ = 0;
  if (request.has_id()) {
    request.fill(connection.times.sequence, connection.own_request);
    connection.request = &connection.own_request;
  } else {
    connection.request = &request.bytes;
  }
  connection.written = 0;
  connection.phase_started_us = now;
  connection.times.sent_us = now;
  connection.parser.reset(head_request_);
  connection.phase = Connection::Phase::kWriting;
  try_write(index, now);
}

void Worker::try_write(uint32_t index, int64_t now) {
  Connection& connection = connections_[index];
  const std::string& request = *connection.request;
  while (connection.written < request.size()) {
    const ssize_t sent = ::send(connection.socket.get(), request.data() + connection.written,
                                request.size() - connection.written, MSG_NOSIGNAL);
    if (sent < 0) {
      if (errno == EAGAIN || errno == EWOULDBLOCK) return;  // EPOLLOUT resumes
      if (errno == EINTR) continue;
      fail(index, classify_io_error(errno), now);
      return;
    }
    connection.written += static_cast<size_t>(sent);
  }
  recorder_.record_sent(request.size());
  connection.phase = Connection::Phase::kReading;
}

void Worker::on_event(uint32_t index, uint32_t events, int64_t now) {
  Connection& connection = connections_[index];
  switch (connection.phase) {
    case Connection::Phase::kConnecting:
      if (events & (EPOLLOUT | EPOLLERR | EPOLLHUP)) {
        const int error = pending_socket_error(connection.socket.get());
        if (error != 0) {
          fail(index, classify_connect_error(error), now);
        } else {
          send_request(index, now);
        }
      }
      return;
    case Connection::Phase::kWriting:
      try_write(index, now);
      // A response may have arrived while we waited to write (an early error reply).
      if (connection.phase == Connection::Phase::kReading) try_read(index, events, now);
      return;
    case Connection::Phase::kReading:
      try_read(index, events, now);
      return;
    case Connection::Phase::kIdle:
      return;
  }
}

void Worker::try_read(uint32_t index, uint32_t events, int64_t now) {
  Connection& connection = connections_[index];
  // The peer's close may come in the same wake-up as the last bytes: then read on to the EOF.
  const bool peer_closed = (events & (EPOLLRDHUP | EPOLLHUP | EPOLLERR)) != 0;
  for (;;) {
    const ssize_t got =
        ::recv(connection.socket.get(), read_buffer_.data(), read_buffer_.size(), 0);
    if (got > 0) {
      connection.bytes_in += static_cast<uint64_t>(got);
      const auto progress = connection.parser.feed(read_buffer_.data(), static_cast<size_t>(got));
      if (progress.state == ResponseParser::State::kComplete) {
        // Bytes past the response answer no request: the stream is out of step, start afresh.
        const bool clean = progress.consumed == static_cast<size_t>(got);
        complete_response(index, clean && connection.parser.keep_alive(), now);
        return;
      }
      if (progress.state == ResponseParser::State::kError) {
        fail(index, TransportError::kMalformed, now);
        return;
      }
      // Edge-triggered: a short read means the socket is drained; the next byte wakes us.
      if (static_cast<size_t>(got) < read_buffer_.size() && !peer_closed) return;
      continue;
    }
    if (got == 0) {
      if (connection.parser.finish() == ResponseParser::State::kComplete) {
        complete_response(index, false, now);
      } else {
        fail(index, TransportError::kClosedEarly, now);
      }
      return;
    }
    if (errno == EAGAIN || errno == EWOULDBLOCK) return;
    if (errno == EINTR) continue;
    fail(index, classify_io_error(errno), now);
    return;
  }
}

void Worker::complete_response(uint32_t index, bool reusable, int64_t now) {
  Connection& connection = connections_[index];
  const int status = connection.parser.status();
  recorder_.record_response(status, status == context_.plan.expected_status, connection.times,
                            connection.bytes_in, now);
  finish_request(index, reusable, now);
}

void Worker::fail(uint32_t index, TransportError kind, int64_t now) {
  const Connection& connection = connections_[index];
  recorder_.record_transport_error(kind, connection.times, connection.bytes_in, now);
  finish_request(index, false, now);
}

void Worker::time_out(uint32_t index, TimeoutKind kind, int64_t now) {
  const Connection& connection = connections_[index];
  recorder_.record_timeout(kind, connection.times, connection.bytes_in, now);
  finish_request(index, false, now);
}

// Ends the current request and gives the connection its next one. A connection that cannot be
// reused is closed first; in the closed loop it restarts after the current batch of events
// (never recursively, so a refusing server cannot blow the stack), in the open loop it waits
// for the next due request and reconnects then.
void Worker::finish_request(uint32_t index, bool reusable, int64_t now) {
  Connection& connection = connections_[index];
  ++completed_;
  connection.phase = Connection::Phase::kIdle;
  if (!reusable) connection.socket.reset();
  if (pacer_) {
    if (!reusable || !take_scheduled(index, now)) idle_.push_back(index);
  } else if (reusable) {
    begin_request(index, now);
  } else {
    restarts_.push_back(index);
  }
}

void Worker::run_restarts(int64_t now) {
  if (restarts_.empty()) return;
  restarting_.swap(restarts_);
  for (uint32_t index : restarting_) begin_request(index, now);
  restarting_.clear();
}

void Worker::scan_timeouts(int64_t now) {
  next_scan_us_ = now + scan_interval_us_;
  for (uint32_t i = 0; i < allowed_; ++i) {
    const Connection& connection = connections_[i];
    const int64_t age = now - connection.phase_started_us;
    if (connection.phase == Connection::Phase::kConnecting) {
      if (age >= connect_timeout_us_) time_out(i, TimeoutKind::kConnect, now);
    } else if (connection.in_flight() && age >= timeout_us_) {
      time_out(i, TimeoutKind::kRequest, now);
    }
  }
}

// Requests still in flight are cancelled; in the open loop, requests that were due but never
// left the queue are counted too, so nothing the schedule asked for goes unreported.
void Worker::end_run(int64_t now) {
  for (Connection& connection : connections_) {
    if (connection.in_flight()) recorder_.record_cancelled(connection.times.start_us, now);
    connection.socket.reset();
    connection.phase = Connection::Phase::kIdle;
  }
  if (!pacer_) return;
  uint64_t unsent = pacer_->backlog_at(std::min(now, setup_.deadline_us));
  if (setup_.request_budget) unsent = std::min(unsent, *setup_.request_budget - issued_);
  if (unsent > 0) recorder_.record_unsent(unsent, now);
}

}  // namespace strest
