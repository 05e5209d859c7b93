#include "engine/worker.h"

#include <sys/prctl.h>

#include <algorithm>
#include <functional>

#include "engine/stop_signal.h"
#include "text/ascii.h"

namespace strest {

namespace {
constexpr size_t kReadBufferBytes = 64 * 1024;
constexpr int kMaxEvents = 256;
constexpr int64_t kMaxWaitUs = 10'000;
// A scenario step reads at most this much of a response body (asserts and extract rules).
constexpr size_t kCaptureLimit = 1 << 20;

using Continuation = std::pair<int64_t, uint32_t>;  // when, which slot
constexpr auto kSoonerFirst = std::greater<Continuation>();

uint32_t connections_for(uint32_t slots, uint32_t streams) {
  return (slots + streams - 1) / streams;
}
}  // namespace

Worker::Worker(const RunContext& context, Recorder& recorder, WorkerSetup setup,
               SessionFactory sessions)
    : context_(context),
      recorder_(recorder),
      setup_(setup),
      streams_(std::max<uint32_t>(1, context.transport.streams_per_connection)),
      make_session_(std::move(sessions)),
      quic_timers_(context.transport.wanted == Protocol::kHttp3),
      timeout_us_(context.plan.timeout.count()),
      connect_timeout_us_(context.plan.connect_timeout.count()),
      // Timeouts are checked by a scan a tenth of the shortest timeout apart (1-10 ms).
      scan_interval_us_(
          std::clamp<int64_t>(std::min(timeout_us_, connect_timeout_us_) / 10, 1'000, 10'000)),
      slots_(setup.slots),
      connections_(connections_for(setup.slots, streams_)),
      read_buffer_(kReadBufferBytes),
      scenario_(context.scenario) {
  restarts_.reserve(setup.slots);
  restarting_.reserve(setup.slots);
  idle_.reserve(setup.slots);
  attend_.reserve(setup.slots + connections_.size());
  attending_.reserve(setup.slots + connections_.size());
  sends_.reserve(connections_.size());
  if (context.schedule != nullptr) pacer_.emplace(*context.schedule, setup.index, setup.workers);
  if (scenario_ != nullptr) {
    iterations_.resize(setup.slots);
    for (IterationState& state : iterations_) scenario_->prepare(state);
    continuations_.reserve(setup.slots);
    assert_noted_.assign(scenario_->steps().size(), false);
  }
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
  start(&*loop_, now);
  std::array<epoll_event, kMaxEvents> events;
  while (!finished(now)) {
    const int ready = loop_->wait(events, wait_timeout_us(now));
    now = context_.clock.now();
    if (finished(now)) break;  // what was not seen complete by the deadline is cancelled
    for (int e = 0; e < ready; ++e) {
      on_io(static_cast<uint32_t>(events[e].data.u64), events[e].events, now);
    }
    advance(now);
  }
  finished_at_us_ = now;
  stop(now);
}

void Worker::start(EpollLoop* loop, int64_t now) {
  const SessionContext sessions{.loop = loop,
                                .listener = this,
                                .config = &context_.transport,
                                .read_buffer = read_buffer_,
                                .clock = &context_.clock,
                                .h2c_fallback = context_.h2c_fallback};
  for (uint32_t c = 0; c < connections_.size(); ++c) {
    connections_[c].session = make_session_(sessions, c);
  }
  open_slots_allowed(now);
  send_pending(now);
}

void Worker::on_io(uint32_t connection, uint32_t events, int64_t now) {
  connections_[connection].session->on_io(events, now);
}

// What follows a batch of socket events: timers, timeouts, the next requests, the writes they
// need, and the tick hand-over.
void Worker::advance(int64_t now) {
  if (quic_timers_) run_timers(now);
  if (now >= next_scan_us_) scan_timeouts(now);
  run_restarts(now);
  if (!continuations_.empty()) run_continuations(now);
  if (now >= next_ramp_us_) open_slots_allowed(now);
  if (pacer_) dispatch_scheduled(now);
  send_pending(now);
  recorder_.note_in_flight(issued_ - completed_, now);
  recorder_.publish_if_tick_ended(now);
}

void Worker::stop(int64_t now) {
  end_run(now);
  recorder_.publish_all();
}

// Brings the slots the ramp allows by now into use.
void Worker::open_slots_allowed(int64_t now) {
  const uint32_t allowed = std::min<uint32_t>(
      setup_.slots, context_.ramp.allowed_for_worker(now, setup_.index, setup_.workers));
  next_ramp_us_ = context_.ramp.next_step_us(now);
  for (uint32_t slot = allowed_; slot < allowed; ++slot) {
    if (pacer_) {
      idle_.push_back(slot);
    } else {
      begin_request(slot, now);
    }
  }
  allowed_ = std::max(allowed_, allowed);
}

int64_t Worker::wait_timeout_us(int64_t now) const {
  if (!restarts_.empty() || !attend_.empty()) return 0;
  int64_t until = std::min({next_scan_us_, setup_.deadline_us, next_ramp_us_});
  if (pacer_ && !idle_.empty() && may_issue(now)) until = std::min(until, pacer_->next_due_us());
  if (!continuations_.empty()) until = std::min(until, continuations_.front().first);
  if (quic_timers_) {
    for (const ConnectionState& connection : connections_) {
      until = std::min(until, connection.session->timer_due_us());
    }
  }
  return std::clamp<int64_t>(until - now, 0, kMaxWaitUs);
}

// Closed loop: the slot's next request, now.
void Worker::begin_request(uint32_t slot, int64_t now) {
  if (!may_issue(now)) return;
  if (scenario_ != nullptr) {
    begin_iteration(slot, iterations_started_++ * setup_.workers + setup_.index);
    issue(slot, 0, now, now);
    return;
  }
  issue(slot, issued_ * setup_.workers + setup_.index, now, now);
}

// Open loop: sends every due request on a free slot, oldest first.
void Worker::dispatch_scheduled(int64_t now) {
  while (!idle_.empty() && pacer_->due(now) && may_issue(now)) {
    const uint32_t slot = idle_.back();
    idle_.pop_back();
    const ScheduledRequest request = pacer_->take();
    recorder_.record_scheduled_start(request.due_us, now);
    // Scenario runs: the schedule starts iterations, numbered as it numbers requests.
    if (scenario_ != nullptr) begin_iteration(slot, request.sequence);
    issue(slot, request.sequence, request.due_us, now);
  }
}

void Worker::issue(uint32_t slot, uint64_t sequence, int64_t start_us, int64_t now) {
  Slot& request = slots_[slot];
  ++issued_;
  request.times = RequestTimes{.start_us = start_us, .sent_us = now, .sequence = sequence};
  request.sent_done_us = 0;
  request.first_byte_us = 0;
  request.retried = false;
  if (scenario_ != nullptr) {
    // Each step's request gets its own number: iteration * steps + step.
    IterationState& state = iterations_[slot];
    request.times.step = state.step;
    request.times.sequence = state.iteration * scenario_->steps().size() + state.step;
    scenario_->build_request(state.step, request.times.sequence, context_.unix_start_us + now,
                             state);
    state.response.status = 0;
    state.response.headers.clear();
    state.response.body.clear();
    state.response.body_truncated = false;
  } else {
    request.variant = static_cast<uint32_t>(next_variant_);
    if (++next_variant_ == context_.transport.http1_requests.size()) next_variant_ = 0;
  }
  const uint32_t c = connection_of(slot);
  ConnectionState& connection = connections_[c];
  if (connection.state == ConnectionState::State::kReady && connection.session->accepting()) {
    submit(slot, now);
    return;
  }
  // Connecting, handshaking, or draining after GOAWAY: the request waits for the connection.
  request.phase = Slot::Phase::kQueued;
  ++connection.queued;
  if (connection.state == ConnectionState::State::kClosed) open_connection(c, now);
}

void Worker::open_connection(uint32_t c, int64_t now) {
  ConnectionState& connection = connections_[c];
  connection.state = ConnectionState::State::kOpening;
  connection.opened_us = now;
  const TransportError failed = connection.session->open(now);
  if (failed == TransportError::kNone) return;
  connection.state = ConnectionState::State::kClosed;
  for (uint32_t slot = c * streams_; slot < std::min<size_t>((c + 1) * streams_, slots_.size());
       ++slot) {
    if (slots_[slot].phase == Slot::Phase::kQueued) fail_slot(slot, failed, 0, "", now);
  }
}

void Worker::submit(uint32_t slot, int64_t now) {
  Slot& request = slots_[slot];
  request.phase = Slot::Phase::kSubmitted;
  request.times.sent_us = now;
  const uint32_t c = connection_of(slot);
  ConnectionState& connection = connections_[c];
  ++connection.submitted;
  if (!connection.send_due) {
    connection.send_due = true;
    sends_.push_back(c);
  }
  if (scenario_ != nullptr) {
    connection.session->submit_built(slot, iterations_[slot].request, request.times.sequence, now);
    return;
  }
  connection.session->submit(slot, request.variant, request.times.sequence, now);
}

// One write per connection for all the requests this pass submitted to it (HTTP/2 gathers
// them; HTTP/1.1 has written already).
void Worker::send_pending(int64_t now) {
  for (uint32_t c : sends_) {
    connections_[c].send_due = false;
    connections_[c].session->send_pending(now);
  }
  sends_.clear();
}

void Worker::on_session_ready(uint32_t c, const OpenedTimes& times, int64_t now) {
  ConnectionState& connection = connections_[c];
  connection.state = ConnectionState::State::kReady;
  recorder_.record_connection(times, now);
  attend(c, now);
}

void Worker::on_request_sent(uint32_t slot, uint64_t bytes, int64_t now) {
  slots_[slot].sent_done_us = now;
  recorder_.record_sent(bytes);
}

void Worker::on_first_byte(uint32_t slot, int64_t now) {
  if (slots_[slot].first_byte_us == 0) slots_[slot].first_byte_us = now;
}

void Worker::on_response(uint32_t slot, int status, uint64_t bytes, int64_t now) {
  const Slot& request = slots_[slot];
  if (request.phase != Slot::Phase::kSubmitted) return;
  // Phases the session could not see (a reply before the request was all out) count as zero.
  const int64_t sent = request.sent_done_us != 0 ? request.sent_done_us : request.times.sent_us;
  const int64_t first = request.first_byte_us != 0 ? request.first_byte_us : now;
  recorder_.record_request_phases(
      request.times.start_us, std::max<int64_t>(0, sent - request.times.sent_us),
      std::max<int64_t>(0, first - sent), std::max<int64_t>(0, now - first), now);
  if (scenario_ != nullptr) {
    on_step_response(slot, status, bytes, now);
    return;
  }
  recorder_.record_response(status, status == context_.plan.expected_status, request.times, bytes,
                            now);
  finish_slot(slot);
}

void Worker::on_step_response(uint32_t slot, int status, uint64_t bytes, int64_t now) {
  IterationState& state = iterations_[slot];
  const RequestTimes& times = slots_[slot].times;
  state.response.status = status;
  const StepVerdict verdict =
      scenario_->judge_response(state.step, context_.plan.expected_status, state);
  switch (verdict.kind) {
    case StepVerdict::Kind::kOk:
    case StepVerdict::Kind::kNonExpectedStatus:
      recorder_.record_response(status, verdict.kind == StepVerdict::Kind::kOk, times, bytes, now);
      break;
    case StepVerdict::Kind::kAssertFailed:
      recorder_.record_assert_failure(status, times, bytes, now);
      if (!assert_noted_[state.step]) {
        assert_noted_[state.step] = true;
        recorder_.note_assert_detail(state.step, verdict.detail);
      }
      break;
  }
  const bool last = state.step + 1u >= scenario_->steps().size();
  if (verdict.kind != StepVerdict::Kind::kOk || last) {
    end_iteration(slot, verdict.kind == StepVerdict::Kind::kOk, now);
    finish_slot(slot);
    return;
  }
  // The next step starts after this one's think time; that is its intended time.
  continuations_.emplace_back(now + scenario_->steps()[state.step].think_us, slot);
  std::push_heap(continuations_.begin(), continuations_.end(), kSoonerFirst);
  ++state.step;
  finish_slot(slot, /*continues=*/true);
}

void Worker::begin_iteration(uint32_t slot, uint64_t iteration) {
  scenario_->begin_iteration(iteration, iterations_[slot]);
  slots_[slot].in_iteration = true;
}

void Worker::end_iteration(uint32_t slot, bool passed, int64_t now) {
  if (!slots_[slot].in_iteration) return;
  slots_[slot].in_iteration = false;
  recorder_.record_iteration_end(passed, now);
}

void Worker::run_continuations(int64_t now) {
  while (!continuations_.empty() && continuations_.front().first <= now) {
    std::pop_heap(continuations_.begin(), continuations_.end(), kSoonerFirst);
    const auto [due, slot] = continuations_.back();
    continuations_.pop_back();
    if (may_issue(now)) {
      issue(slot, 0, due, now);
      continue;
    }
    // The run is ending: the iteration is cut short, neither passed nor failed.
    slots_[slot].in_iteration = false;
    if (pacer_) idle_.push_back(slot);
  }
}

void Worker::on_response_header(uint32_t slot, std::string_view name, std::string_view value) {
  if (scenario_ == nullptr || slots_[slot].phase != Slot::Phase::kSubmitted) return;
  IterationState& state = iterations_[slot];
  // Cookies always (for later steps); other fields only for a step with a header: rule.
  if (scenario_->steps()[state.step].wants_headers || same_name(name, "set-cookie")) {
    state.response.headers.emplace_back(name, value);
  }
}

void Worker::on_response_body(uint32_t slot, std::string_view data) {
  if (scenario_ == nullptr || slots_[slot].phase != Slot::Phase::kSubmitted) return;
  IterationState& state = iterations_[slot];
  if (!scenario_->steps()[state.step].wants_body) return;
  CapturedResponse& response = state.response;
  const size_t room = kCaptureLimit - std::min(kCaptureLimit, response.body.size());
  if (data.size() > room) {
    response.body_truncated = true;
    data = data.substr(0, room);
  }
  response.body.append(data);
}

void Worker::on_stream_failed(uint32_t slot, TransportError kind, uint64_t bytes,
                              std::string_view detail, int64_t now) {
  Slot& request = slots_[slot];
  if (request.phase != Slot::Phase::kSubmitted) return;
  // A refused stream was never processed (RFC 9113 section 8.7), so it is sent again, once:
  // servers refuse the streams past a GOAWAY as a matter of course (nginx after
  // keepalive_requests). A second refusal counts as an error.
  if (kind == TransportError::kRefusedStream && !request.retried) {
    request.retried = true;
    const uint32_t c = connection_of(slot);
    --connections_[c].submitted;
    ++connections_[c].queued;
    request.phase = Slot::Phase::kQueued;
    attend_.push_back(c);
    return;
  }
  fail_slot(slot, kind, bytes, detail, now);
}

void Worker::on_session_closed(uint32_t c, TransportError kind, std::string_view detail,
                               int64_t now) {
  ConnectionState& connection = connections_[c];
  const bool was_opening = connection.state == ConnectionState::State::kOpening;
  connection.state = ConnectionState::State::kClosed;
  // A connection that never became ready and closed "cleanly" would be retried forever.
  if (kind == TransportError::kNone && was_opening) kind = TransportError::kClosedEarly;
  const TransportError submitted_kind =
      kind == TransportError::kNone ? TransportError::kClosedEarly : kind;
  const size_t end = std::min<size_t>((c + 1) * streams_, slots_.size());
  for (uint32_t slot = c * streams_; slot < end; ++slot) {
    const Slot::Phase phase = slots_[slot].phase;
    if (phase == Slot::Phase::kSubmitted) {
      fail_slot(slot, submitted_kind, 0, detail, now);
    } else if (phase == Slot::Phase::kQueued && kind != TransportError::kNone) {
      fail_slot(slot, kind, 0, detail, now);  // they were waiting for this very connection
    }
  }
  // Requests queued behind an orderly close (GOAWAY drained) go out on a fresh connection.
  if (connection.queued > 0) attend_.push_back(c);
}

void Worker::fail_slot(uint32_t slot, TransportError kind, uint64_t bytes, std::string_view detail,
                       int64_t now) {
  recorder_.record_transport_error(kind, slots_[slot].times, bytes, now);
  if (scenario_ != nullptr) end_iteration(slot, false, now);
  // The first reason per kind goes to the summary; later ones cost a flag check.
  if (!detail_noted_[static_cast<size_t>(kind)]) {
    detail_noted_[static_cast<size_t>(kind)] = true;
    recorder_.note_error_detail(kind, detail.empty() ? transport_error_description(kind) : detail);
  }
  finish_slot(slot);
}

void Worker::time_out(uint32_t slot, TimeoutKind kind, int64_t now) {
  recorder_.record_timeout(kind, slots_[slot].times, 0, now);
  if (scenario_ != nullptr) end_iteration(slot, false, now);
  finish_slot(slot);
}

// Ends the slot's request. Its next one starts after the current batch of events (never from
// inside a session's callback, and never recursively, so a refusing server cannot blow the
// stack): closed loop from restarts_, open loop when the next request is due.
void Worker::finish_slot(uint32_t slot, bool continues) {
  Slot& request = slots_[slot];
  ConnectionState& connection = connections_[connection_of(slot)];
  if (request.phase == Slot::Phase::kSubmitted) --connection.submitted;
  if (request.phase == Slot::Phase::kQueued) --connection.queued;
  request.phase = Slot::Phase::kIdle;
  ++completed_;
  // Slots waiting on this connection (HTTP/1.1 after an HTTP/2 offer fell back, or a drained
  // GOAWAY) get their turn after this batch.
  if (connection.queued > 0) attend_.push_back(connection_of(slot));
  if (continues) return;  // its iteration's next step is in continuations_
  if (pacer_) {
    idle_.push_back(slot);
  } else {
    restarts_.push_back(slot);
  }
}

// Opens a closed connection that has requests waiting, or submits them to a ready one.
void Worker::attend(uint32_t c, int64_t now) {
  ConnectionState& connection = connections_[c];
  if (connection.queued == 0) return;
  if (connection.state == ConnectionState::State::kClosed) {
    open_connection(c, now);
    return;
  }
  if (connection.state != ConnectionState::State::kReady) return;
  const size_t end = std::min<size_t>((c + 1) * streams_, slots_.size());
  for (uint32_t slot = c * streams_; slot < end && connection.queued > 0; ++slot) {
    // A submit may end the connection (a write error): the rest then wait for the next one.
    if (connection.state != ConnectionState::State::kReady || !connection.session->accepting()) {
      return;
    }
    if (slots_[slot].phase != Slot::Phase::kQueued) continue;
    --connection.queued;
    submit(slot, now);
  }
}

void Worker::run_restarts(int64_t now) {
  if (!attend_.empty()) {
    attending_.swap(attend_);
    for (uint32_t c : attending_) attend(c, now);
    attending_.clear();
  }
  if (restarts_.empty()) return;
  restarting_.swap(restarts_);
  for (uint32_t slot : restarting_) begin_request(slot, now);
  restarting_.clear();
}

void Worker::run_timers(int64_t now) {
  for (ConnectionState& connection : connections_) {
    if (connection.session->timer_due_us() <= now) connection.session->on_timer(now);
  }
}

void Worker::scan_timeouts(int64_t now) {
  next_scan_us_ = now + scan_interval_us_;
  // Connect timeout: from open() to ready, covering TCP, any proxy tunnel and the handshake.
  for (uint32_t c = 0; c < connections_.size(); ++c) {
    ConnectionState& connection = connections_[c];
    if (connection.state != ConnectionState::State::kOpening ||
        now - connection.opened_us < connect_timeout_us_) {
      continue;
    }
    connection.session->close();
    connection.state = ConnectionState::State::kClosed;
    const size_t end = std::min<size_t>((c + 1) * streams_, slots_.size());
    for (uint32_t slot = c * streams_; slot < end; ++slot) {
      if (slots_[slot].in_flight()) time_out(slot, TimeoutKind::kConnect, now);
    }
  }
  for (uint32_t slot = 0; slot < allowed_; ++slot) {
    const Slot& request = slots_[slot];
    if (!request.in_flight() || now - request.times.sent_us < timeout_us_) continue;
    const uint32_t c = connection_of(slot);
    ConnectionState& connection = connections_[c];
    if (request.phase == Slot::Phase::kQueued) {
      // Waiting behind a draining connection: the connect timeout covers opening ones.
      if (connection.state == ConnectionState::State::kReady) {
        time_out(slot, TimeoutKind::kRequest, now);
      }
      continue;
    }
    time_out(slot, TimeoutKind::kRequest, now);
    if (!connection.session->abandon(slot, now)) {
      // HTTP/1.1: the connection was closed for it; whatever waits on it reconnects.
      connection.state = ConnectionState::State::kClosed;
      if (connection.queued > 0) attend_.push_back(c);
    }
  }
}

// Requests still in flight are cancelled; in the open loop, requests that were due but never
// left the queue are counted too, so nothing the schedule asked for goes unreported.
void Worker::end_run(int64_t now) {
  for (Slot& request : slots_) {
    if (request.in_flight()) recorder_.record_cancelled(request.times.start_us, now);
    request.phase = Slot::Phase::kIdle;
    request.in_iteration = false;
  }
  continuations_.clear();
  for (ConnectionState& connection : connections_) {
    if (connection.session) connection.session->close();
  }
  if (!pacer_) return;
  uint64_t unsent = pacer_->backlog_at(std::min(now, setup_.deadline_us));
  if (setup_.request_budget) unsent = std::min(unsent, *setup_.request_budget - issued_);
  if (unsent > 0) recorder_.record_unsent(unsent, now);
}

}  // namespace strest
