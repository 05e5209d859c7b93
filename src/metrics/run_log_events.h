#pragma once
// Event records (run log version 2): the facts of a run that are not one request, in the same
// 40-byte records as requests, marked by outcome kEvent. Per tick and worker, the Recorder logs
// what its Tally holds besides requests (schedule lag, cancelled and unsent requests, in-flight
// samples, connections, phases), so a replay folds the very same ticks as the live Collector.
// Error details and the run's end are logged once. A few records per worker per 100 ms: the
// per-request hot path is unchanged.
#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "metrics/run_facts.h"
#include "metrics/run_log_format.h"
#include "metrics/tally.h"

namespace strest {

// Event types, in a record's error_kind byte (stable on disk; do not renumber). Field use:
// docs/run-log.md.
enum class RunLogEvent : uint8_t {
  kSchedule = 1,     // tick: scheduled starts, their lag, late starts
  kEndCounts = 2,    // tick: cancelled, unsent, warmup-excluded requests, most in flight
  kBytesSent = 3,    // tick: request bytes sent
  kConnections = 4,  // tick: connections by protocol, TLS handshakes, resumptions
  kPhase = 5,        // tick: one exchange phase's count, sum, min and max
  kText = 6,         // a chunk of text: an error detail (id = TransportError) or the target
  kRunEnd = 7,       // once: wall time, warmup, stop reason, signal
  kRunSchedule = 8,  // once: open loop scheduled requests and target rate
  kIterations = 9,   // tick: scenario iterations passed and failed
  kStepName = 10,    // once: a chunk of a scenario step's name (id = step index)
  kAssertText = 11,  // a chunk of a step's first assert-failure detail (id = step index)
};

inline constexpr uint16_t kTargetTextId = 255;  // text id of the run's target URL
inline constexpr size_t kTextBytesPerEvent = 20;
inline constexpr size_t kMaxTickEvents = 5 + kExchangePhases;

// The events carrying the non-request facts of one worker's tick (nothing for a zero fact),
// written into `out`; returns how many. No allocation: the Recorder calls it per tick.
size_t tick_events(const Tally& t, int64_t tick_start_us, uint16_t worker,
                   std::array<RunLogRecord, kMaxTickEvents>& out);
bool is_tick_event(const RunLogRecord& record);
// Adds a tick event's facts to `t`; other records are ignored.
void apply_tick_event(const RunLogRecord& event, Tally& t);

// `text` split into text events of `type`: kText (id: a TransportError value or
// kTargetTextId), kStepName or kAssertText (id: the step index).
std::vector<RunLogRecord> text_events(uint16_t id, std::string_view text, uint16_t worker,
                                      RunLogEvent type = RunLogEvent::kText);
// The names of a scenario's steps, logged at the run's start so a replay can name its rows.
std::vector<RunLogRecord> step_name_events(const std::vector<std::string>& names);
// The events of the run's end; the target goes as text.
std::vector<RunLogRecord> run_fact_events(const RunFacts& facts);

// Gathers the once-per-run events of a log (any order, any shard).
class RunEventReader {
 public:
  void add(const RunLogRecord& event);
  // The facts, when the log has a run end (a version 2 log of a run that finished).
  std::optional<RunFacts> facts() const;
  // The error detail per transport error kind: the first worker's ("" when none).
  std::array<std::string, kTransportErrorKinds> error_details() const;
  // A scenario run's step names, by step (empty for plain runs and logs without them).
  std::vector<std::string> step_names() const;
  // The first assert-failure detail per step, the first worker's ("" when none).
  std::vector<std::string> assert_details() const;

 private:
  static std::string text(const std::vector<RunLogRecord>& texts, uint16_t worker, uint16_t id);

  std::optional<RunFacts> facts_;
  std::vector<RunLogRecord> texts_;
  std::vector<RunLogRecord> step_names_;
  std::vector<RunLogRecord> assert_texts_;
};

}  // namespace strest
