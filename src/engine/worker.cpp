#include "engine/worker.h"

#include <sys/socket.h>

#include <algorithm>
#include <cerrno>

#include "engine/stop_signal.h"
#include "http/request_builder.h"
#include "net/tcp.h"

namespace strest {

namespace {
constexpr size_t kReadBufferBytes = 64 * 1024;
constexpr int kMaxEvents = 256;
}  // namespace

Worker::Worker(const Plan& plan, const Endpoint& endpoint, const std::vector<std::string>& requests,
               const RunClock& clock, Recorder& recorder, WorkerSetup setup)
    : plan_(plan),
      endpoint_(endpoint),
      requests_(requests),
      clock_(clock),
      recorder_(recorder),
      setup_(setup),
      head_request_(is_head_request(plan)),
      timeout_us_(plan.timeout.count()),
      connect_timeout_us_(plan.connect_timeout.count()),
      // Timeouts are checked by a scan a tenth of the shortest timeout apart (1-10 ms).
      scan_interval_us_(
          std::clamp<int64_t>(std::min(timeout_us_, connect_timeout_us_) / 10, 1'000, 10'000)),
      connections_(setup.connections),
      read_buffer_(kReadBufferBytes) {
  restarts_.reserve(setup.connections);
  restarting_.reserve(setup.connections);
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
  if (!loop) {
    for (uint32_t i = 0; i < connections_.size(); ++i) {
      recorder_.record_transport_error(TransportError::kOther, 0, clock_.now());
    }
    recorder_.publish_all();
    return;
  }
  loop_.emplace(std::move(*loop));
  int64_t now = clock_.now();
  for (uint32_t i = 0; i < connections_.size(); ++i) begin_request(i, now);
  std::array<epoll_event, kMaxEvents> events;
  while (!finished(now)) {
    const int ready = loop_->wait(events, wait_timeout_ms(now));
    now = clock_.now();
    if (finished(now)) break;  // what was not seen complete by the deadline is cancelled
    for (int e = 0; e < ready; ++e) {
      on_event(static_cast<uint32_t>(events[e].data.u64), events[e].events, now);
    }
    if (now >= next_scan_us_) scan_timeouts(now);
    run_restarts(now);
    recorder_.publish_if_tick_ended(now);
  }
  cancel_in_flight(now);
  recorder_.publish_all();
}

int Worker::wait_timeout_ms(int64_t now) const {
  if (!restarts_.empty()) return 0;
  const int64_t until = std::min(next_scan_us_, setup_.deadline_us) - now;
  return static_cast<int>(std::clamp<int64_t>((until + 999) / 1000, 0, 10));
}

void Worker::begin_request(uint32_t index, int64_t now) {
  Connection& connection = connections_[index];
  if (!may_issue(now)) {
    connection.phase = Connection::Phase::kIdle;
    return;
  }
  ++issued_;
  if (!connection.socket.valid()) {
    start_connect(index, now);
    return;
  }
  send_request(connection, now);
  try_write(index, now);
}

void Worker::start_connect(uint32_t index, int64_t now) {
  Connection& connection = connections_[index];
  ConnectStart started = strest::start_connect(endpoint_);
  connection.started_us = now;
  if (!started.fd.valid()) {
    connection.phase = Connection::Phase::kConnecting;  // so fail() counts it as this request
    fail(index, classify_connect_error(started.error), now);
    return;
  }
  connection.socket = std::move(started.fd);
  loop_->watch(connection.socket.get(), index);
  connection.phase = Connection::Phase::kConnecting;
  if (!started.in_progress) on_connected(index, now);
}

void Worker::on_connected(uint32_t index, int64_t now) {
  send_request(connections_[index], now);
  try_write(index, now);
}

void Worker::send_request(Connection& connection, int64_t now) {
  connection.request = &requests_[next_request_];
  if (++next_request_ == requests_.size()) next_request_ = 0;
  connection.written = 0;
  connection.bytes_in = 0;
  connection.started_us = now;
  connection.parser.reset(head_request_);
  connection.phase = Connection::Phase::kWriting;
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
          on_connected(index, now);
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
  // The peer's close may come in the same wake-up as the last bytes: then read on to the EOF.
  const bool peer_closed = (events & (EPOLLRDHUP | EPOLLHUP | EPOLLERR)) != 0;
  Connection& connection = connections_[index];
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
  recorder_.record_response(status, status == plan_.expected_status, now - connection.started_us,
                            connection.bytes_in, now);
  finish_request(index, reusable, now);
  if (reusable) begin_request(index, now);
}

void Worker::fail(uint32_t index, TransportError kind, int64_t now) {
  recorder_.record_transport_error(kind, connections_[index].bytes_in, now);
  finish_request(index, false, now);
}

void Worker::time_out(uint32_t index, TimeoutKind kind, int64_t now) {
  recorder_.record_timeout(kind, connections_[index].bytes_in, now);
  finish_request(index, false, now);
}

// Ends the current request; a connection that cannot be reused is closed and restarted after
// the current batch of events (never recursively, so a refusing server cannot blow the stack).
void Worker::finish_request(uint32_t index, bool reusable, int64_t /*now*/) {
  Connection& connection = connections_[index];
  ++completed_;
  connection.bytes_in = 0;
  connection.phase = Connection::Phase::kIdle;
  if (!reusable) {
    connection.socket.reset();
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
  for (uint32_t i = 0; i < connections_.size(); ++i) {
    const Connection& connection = connections_[i];
    const int64_t age = now - connection.started_us;
    if (connection.phase == Connection::Phase::kConnecting) {
      if (age >= connect_timeout_us_) time_out(i, TimeoutKind::kConnect, now);
    } else if (connection.in_flight() && age >= timeout_us_) {
      time_out(i, TimeoutKind::kRequest, now);
    }
  }
}

void Worker::cancel_in_flight(int64_t now) {
  uint64_t cancelled = 0;
  for (Connection& connection : connections_) {
    if (connection.in_flight()) ++cancelled;
    connection.socket.reset();
    connection.phase = Connection::Phase::kIdle;
  }
  if (cancelled > 0) recorder_.record_cancelled(cancelled, now);
}

}  // namespace strest
