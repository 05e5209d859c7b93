#include "metrics/run_log_events.h"

#include <algorithm>
#include <bit>
#include <map>

namespace strest {

namespace {

uint32_t clamp_u32(uint64_t value) {
  return value >= UINT32_MAX ? UINT32_MAX : static_cast<uint32_t>(value);
}

RunLogRecord event_of(RunLogEvent type, int64_t at_us, uint16_t worker) {
  RunLogRecord event;
  event.outcome = LoggedOutcome::kEvent;
  event.error_kind = static_cast<uint8_t>(type);
  event.start_us = at_us;
  event.worker = worker;
  return event;
}

RunLogEvent type_of(const RunLogRecord& event) {
  return static_cast<RunLogEvent>(event.error_kind);
}

// Text bytes go into the record's integer fields low byte first, so files stay portable.
void put_text(RunLogRecord& event, std::string_view chunk) {
  uint8_t bytes[kTextBytesPerEvent] = {};
  std::copy(chunk.begin(), chunk.end(), bytes);
  auto field = [&](size_t from, size_t size) {
    uint64_t value = 0;
    for (size_t i = 0; i < size; ++i) value |= static_cast<uint64_t>(bytes[from + i]) << (8 * i);
    return value;
  };
  event.sequence = field(0, 8);
  event.latency_us = static_cast<uint32_t>(field(8, 4));
  event.service_us = static_cast<uint32_t>(field(12, 4));
  event.bytes = static_cast<uint32_t>(field(16, 4));
  event.send_delay_us = static_cast<uint32_t>(chunk.size());
}

std::string get_text(const RunLogRecord& event) {
  std::string text;
  auto take = [&](uint64_t value, size_t size) {
    for (size_t i = 0; i < size; ++i) text += static_cast<char>((value >> (8 * i)) & 0xff);
  };
  take(event.sequence, 8);
  take(event.latency_us, 4);
  take(event.service_us, 4);
  take(event.bytes, 4);
  text.resize(std::min<size_t>(event.send_delay_us, kTextBytesPerEvent));
  return text;
}

}  // namespace

size_t tick_events(const Tally& t, int64_t tick_start_us, uint16_t worker,
                   std::array<RunLogRecord, kMaxTickEvents>& out) {
  size_t n = 0;
  if (t.scheduled_starts != 0) {
    RunLogRecord& e = out[n++] = event_of(RunLogEvent::kSchedule, tick_start_us, worker);
    e.sequence = static_cast<uint64_t>(t.lag_sum_us);
    e.bytes = clamp_u32(t.scheduled_starts);
    e.latency_us = clamp_u32(t.late_starts);
    e.service_us = clamp_u32(static_cast<uint64_t>(t.lag_max_us));
  }
  if (t.cancelled != 0 || t.unsent_at_end != 0 || t.warmup_excluded != 0 || t.in_flight_max != 0) {
    RunLogRecord& e = out[n++] = event_of(RunLogEvent::kEndCounts, tick_start_us, worker);
    e.sequence = t.unsent_at_end;
    e.latency_us = clamp_u32(t.cancelled);
    e.service_us = clamp_u32(t.warmup_excluded);
    e.bytes = clamp_u32(t.in_flight_max);
  }
  if (t.bytes_sent != 0) {
    out[n++] = event_of(RunLogEvent::kBytesSent, tick_start_us, worker);
    out[n - 1].sequence = t.bytes_sent;
  }
  if (t.connections_opened() != 0 || t.tls_handshakes != 0) {
    RunLogRecord& e = out[n++] = event_of(RunLogEvent::kConnections, tick_start_us, worker);
    e.latency_us = clamp_u32(t.connections_by_protocol[0]);
    e.service_us = clamp_u32(t.connections_by_protocol[1]);
    e.bytes = clamp_u32(t.connections_by_protocol[2]);
    e.send_delay_us = clamp_u32(t.tls_handshakes);
    e.sequence = t.tls_resumed;
  }
  for (size_t phase = 0; phase < kExchangePhases; ++phase) {
    const PhaseStat& stat = t.phases[phase];
    if (stat.count == 0) continue;
    RunLogRecord& e = out[n++] = event_of(RunLogEvent::kPhase, tick_start_us, worker);
    e.status = static_cast<uint16_t>(phase);
    e.bytes = clamp_u32(stat.count);
    e.sequence = static_cast<uint64_t>(stat.sum_us);
    e.latency_us = clamp_u32(static_cast<uint64_t>(stat.min_us));
    e.service_us = clamp_u32(static_cast<uint64_t>(stat.max_us));
  }
  if (t.iterations_passed != 0 || t.iterations_failed != 0) {
    RunLogRecord& e = out[n++] = event_of(RunLogEvent::kIterations, tick_start_us, worker);
    e.sequence = t.iterations_passed;
    e.latency_us = clamp_u32(t.iterations_failed);
  }
  return n;
}

bool is_tick_event(const RunLogRecord& record) {
  if (!is_event(record)) return false;
  const RunLogEvent type = type_of(record);
  return (type >= RunLogEvent::kSchedule && type <= RunLogEvent::kPhase) ||
         type == RunLogEvent::kIterations;
}

void apply_tick_event(const RunLogRecord& e, Tally& t) {
  if (!is_event(e)) return;
  switch (type_of(e)) {
    case RunLogEvent::kSchedule:
      t.scheduled_starts += e.bytes;
      t.lag_sum_us += static_cast<int64_t>(e.sequence);
      t.late_starts += e.latency_us;
      t.lag_max_us = std::max<int64_t>(t.lag_max_us, e.service_us);
      return;
    case RunLogEvent::kEndCounts:
      t.unsent_at_end += e.sequence;
      t.cancelled += e.latency_us;
      t.warmup_excluded += e.service_us;
      t.in_flight_max = std::max<uint64_t>(t.in_flight_max, e.bytes);
      return;
    case RunLogEvent::kBytesSent:
      t.bytes_sent += e.sequence;
      return;
    case RunLogEvent::kConnections:
      t.connections_by_protocol[0] += e.latency_us;
      t.connections_by_protocol[1] += e.service_us;
      t.connections_by_protocol[2] += e.bytes;
      t.tls_handshakes += e.send_delay_us;
      t.tls_resumed += e.sequence;
      return;
    case RunLogEvent::kPhase:
      if (e.status < kExchangePhases) {
        t.phases[e.status].merge(PhaseStat{.count = e.bytes,
                                           .sum_us = static_cast<int64_t>(e.sequence),
                                           .min_us = e.latency_us,
                                           .max_us = e.service_us});
      }
      return;
    case RunLogEvent::kIterations:
      t.iterations_passed += e.sequence;
      t.iterations_failed += e.latency_us;
      return;
    default:
      return;
  }
}

std::vector<RunLogRecord> text_events(uint16_t id, std::string_view text, uint16_t worker,
                                      RunLogEvent type) {
  std::vector<RunLogRecord> events;
  uint16_t chunk = 0;
  do {
    RunLogRecord e = event_of(type, 0, worker);
    e.status = id;
    e.step = chunk++;
    put_text(e, text.substr(0, kTextBytesPerEvent));
    events.push_back(e);
    text.remove_prefix(std::min(text.size(), kTextBytesPerEvent));
  } while (!text.empty() && chunk != UINT16_MAX);
  return events;
}

std::vector<RunLogRecord> step_name_events(const std::vector<std::string>& names) {
  std::vector<RunLogRecord> events;
  for (size_t step = 0; step < names.size() && step < UINT16_MAX; ++step) {
    auto chunks = text_events(static_cast<uint16_t>(step), names[step], 0, RunLogEvent::kStepName);
    events.insert(events.end(), chunks.begin(), chunks.end());
  }
  return events;
}

std::vector<RunLogRecord> run_fact_events(const RunFacts& facts) {
  std::vector<RunLogRecord> events = text_events(kTargetTextId, facts.target, 0);
  RunLogRecord end = event_of(RunLogEvent::kRunEnd, facts.warmup_us, 0);
  end.sequence = static_cast<uint64_t>(facts.wall_us);
  end.latency_us = static_cast<uint32_t>(facts.stop_reason);
  end.service_us = static_cast<uint32_t>(facts.signal);
  end.bytes = facts.open_loop ? 1 : 0;
  RunLogRecord schedule = event_of(RunLogEvent::kRunSchedule, 0, 0);
  schedule.sequence = std::bit_cast<uint64_t>(facts.scheduled_requests);
  schedule.start_us = std::bit_cast<int64_t>(facts.target_rps);
  events.push_back(schedule);
  events.push_back(end);  // last: a log that has it is complete
  return events;
}

void RunEventReader::add(const RunLogRecord& e) {
  if (!is_event(e)) return;
  switch (type_of(e)) {
    case RunLogEvent::kText:
      texts_.push_back(e);
      return;
    case RunLogEvent::kStepName:
      step_names_.push_back(e);
      return;
    case RunLogEvent::kAssertText:
      assert_texts_.push_back(e);
      return;
    case RunLogEvent::kRunEnd:
      if (!facts_) facts_.emplace();
      facts_->wall_us = static_cast<int64_t>(e.sequence);
      facts_->warmup_us = e.start_us;
      facts_->stop_reason = static_cast<StopReason>(e.latency_us);
      facts_->signal = static_cast<int>(e.service_us);
      facts_->open_loop = e.bytes != 0;
      return;
    case RunLogEvent::kRunSchedule:
      if (!facts_) facts_.emplace();
      facts_->scheduled_requests = std::bit_cast<double>(e.sequence);
      facts_->target_rps = std::bit_cast<double>(e.start_us);
      return;
    default:
      return;
  }
}

std::string RunEventReader::text(const std::vector<RunLogRecord>& texts, uint16_t worker,
                                 uint16_t id) {
  std::map<uint16_t, std::string> chunks;
  for (const RunLogRecord& e : texts) {
    if (e.worker == worker && e.status == id) chunks.emplace(e.step, get_text(e));
  }
  std::string joined;
  for (const auto& [index, chunk] : chunks) joined += chunk;
  return joined;
}

std::optional<RunFacts> RunEventReader::facts() const {
  if (!facts_) return std::nullopt;
  RunFacts facts = *facts_;
  facts.target = text(texts_, 0, kTargetTextId);
  return facts;
}

// Live, the first recorder (worker) with a detail for a kind gives the summary its detail.
std::array<std::string, kTransportErrorKinds> RunEventReader::error_details() const {
  std::array<std::string, kTransportErrorKinds> details;
  uint16_t workers = 0;
  for (const RunLogRecord& e : texts_) workers = std::max<uint16_t>(workers, e.worker + 1);
  for (size_t kind = 0; kind < kTransportErrorKinds; ++kind) {
    for (uint16_t w = 0; w < workers && details[kind].empty(); ++w) {
      details[kind] = text(texts_, w, static_cast<uint16_t>(kind));
    }
  }
  return details;
}

namespace {
// How many ids (steps) and workers a set of text events spans.
std::pair<size_t, uint16_t> text_extent(const std::vector<RunLogRecord>& texts) {
  size_t ids = 0;
  uint16_t workers = 0;
  for (const RunLogRecord& e : texts) {
    ids = std::max<size_t>(ids, e.status + 1u);
    workers = std::max<uint16_t>(workers, e.worker + 1);
  }
  return {ids, workers};
}
}  // namespace

std::vector<std::string> RunEventReader::step_names() const {
  std::vector<std::string> names(text_extent(step_names_).first);
  for (size_t step = 0; step < names.size(); ++step) {
    names[step] = text(step_names_, 0, static_cast<uint16_t>(step));
  }
  return names;
}

std::vector<std::string> RunEventReader::assert_details() const {
  const auto [steps, workers] = text_extent(assert_texts_);
  std::vector<std::string> details(steps);
  for (size_t step = 0; step < steps; ++step) {
    for (uint16_t w = 0; w < workers && details[step].empty(); ++w) {
      details[step] = text(assert_texts_, w, static_cast<uint16_t>(step));
    }
  }
  return details;
}

}  // namespace strest
