#include "replay/replay.h"

#include <algorithm>
#include <cstdio>
#include <iostream>
#include <limits>
#include <memory>

#include "engine/stop_signal.h"
#include "log/log.h"
#include "metrics/collector.h"
#include "metrics/recorder.h"
#include "metrics/run_assembly.h"
#include "metrics/run_log_events.h"
#include "metrics/run_log_feed.h"
#include "metrics/run_log_reader.h"
#include "metrics/run_log_writer.h"
#include "plan/url.h"
#include "replay/replay_source.h"
#include "replay/replay_timeline.h"
#include "replay/snapshot_taker.h"
#include "replay/snapshot_writer.h"

namespace strest {

namespace {

constexpr int64_t kCollectIntervalUs = 100'000;  // as the live Collector

// The requests a window covers (by start time) and the tick events within it, in the order
// they happened.
std::vector<const RunLogRecord*> window_of(const ReplaySource& source, int64_t from, int64_t to) {
  std::vector<const RunLogRecord*> fed;
  for (const auto* list : {&source.records, &source.tick_events}) {
    for (const RunLogRecord& r : *list) {
      if (r.start_us >= from && r.start_us < to) fed.push_back(&r);
    }
  }
  std::stable_sort(fed.begin(), fed.end(), [](const RunLogRecord* a, const RunLogRecord* b) {
    return logged_at_us(*a) < logged_at_us(*b);
  });
  return fed;
}

uint32_t recorder_count(const ReplaySource& source) {
  uint32_t max_worker = 0;
  for (const auto* list : {&source.records, &source.tick_events}) {
    for (const RunLogRecord& r : *list) max_worker = std::max<uint32_t>(max_worker, r.worker);
  }
  return fed_recorder_count(!source.tick_events.empty(), max_worker);
}

// Rows per scenario step: the named steps, and any step a record names beyond them.
uint16_t step_count(const ReplaySource& source) {
  uint16_t max_step = 0;
  for (const RunLogRecord& r : source.records) max_step = std::max(max_step, r.step);
  return fed_step_count(source.step_names.size(), max_step);
}

// The replay's time window in run time: the whole run, with the log's facts, when the log says
// how it ended and no window was asked for (so seconds and ticks line up with the live run's).
struct Window {
  int64_t from = 0;
  int64_t to = 0;
  bool whole_run = false;    // the log's run facts apply
  int64_t snapshot_end = 0;  // default end of the snapshot window: --replay-end or the last start
};

Window window_for(const ReplayOptions& options, const ReplaySource& source) {
  int64_t first_start = std::numeric_limits<int64_t>::max(), last_start = 0;
  for (const RunLogRecord& r : source.records) {
    first_start = std::min(first_start, r.start_us);
    last_start = std::max(last_start, r.start_us);
  }
  if (source.records.empty()) first_start = last_start = 0;
  Window window;
  window.whole_run = source.facts && !options.start && !options.end;
  // Version 2 logs count from the run's start, like the live run; older sources from the first
  // request.
  const bool version2 = source.facts || !source.tick_events.empty();
  window.from = options.start ? options.start->count() : version2 ? 0 : first_start;
  window.to = options.end        ? options.end->count()
              : window.whole_run ? std::numeric_limits<int64_t>::max()
                                 : last_start + 1;
  window.snapshot_end = options.end ? options.end->count() : last_start + 1;
  return window;
}

// The replay's facts: the log's for a whole run, else a run as long as its last completion. A
// replay stopped early (a failed threshold, Ctrl+C) says so itself.
RunFacts facts_for(const ReplaySource& source, const Window& window, int64_t last_done) {
  RunFacts facts;
  if (window.whole_run) facts = *source.facts;
  if (!window.whole_run || stop_signal() != 0) {
    facts.wall_us = last_done - window.from;
    facts.warmup_us = 0;
  }
  if (stop_signal() == kStopForThreshold) facts.stop_reason = StopReason::kThreshold;
  if (stop_signal() > 0) {
    facts.stop_reason = StopReason::kSignal;
    facts.signal = stop_signal();
  }
  facts.target =
      source.facts && !source.facts->target.empty() ? source.facts->target : source.target;
  facts.open_loop = source.open_loop;
  facts.replayed = true;
  facts.step_names = source.step_names;
  return facts;
}

// The replay's Recorders, one per recorded worker (each logging to its ring of the replay's
// own run log, for exports, when there is one), and the one Collector they feed.
struct ReplayFold {
  ReplayFold(RunLogWriter* log, uint32_t workers, const ReplaySource& source)
      : recorders(workers, source.open_loop, log, step_count(source)),
        collector(recorders.views()) {
    note_error_details(source.error_details);
    for (size_t step = 0; step < source.assert_details.size(); ++step) {
      recorders.first().note_assert_detail(static_cast<uint16_t>(step),
                                           source.assert_details[step]);
    }
  }

  // The first error detail per kind, as the live recorders had them.
  void note_error_details(const std::array<std::string, kTransportErrorKinds>& details) {
    for (size_t kind = 0; kind < details.size(); ++kind) {
      if (!details[kind].empty()) {
        recorders.first().note_error_detail(static_cast<TransportError>(kind), details[kind]);
      }
    }
  }
  // Hands a snapshot of the results so far to every observer; `whole` first hands over the
  // recorders' current ticks too (a replay snapshot must see every request before its time).
  void notify(int64_t elapsed_us, std::span<SnapshotObserver* const> observers, bool whole) {
    if (whole) recorders.publish_all();
    collector.collect();
    const Snapshot now = collector.snapshot(elapsed_us);
    for (SnapshotObserver* observer : observers) observer->on_snapshot(now);
  }
  void finish() {
    recorders.publish_all();
    collector.collect();
    collector.finalize_all();
  }

  FedRecorders recorders;
  Collector collector;
};

// Feeds the records in order. Observers see the replay's clock advance as the live
// Collector's did, every 100 ms (so --abort-on-fail stops a replay where it would have stopped
// the run), and at each snapshot time, with every request that completed before it. Stops
// early at a stop request; returns the last completion fed.
int64_t feed_all(const std::vector<const RunLogRecord*>& fed, int64_t origin, ReplayFold& fold,
                 const SnapshotTaker* snapshots, std::span<SnapshotObserver* const> observers) {
  int64_t last_done = origin;
  int64_t next_collect = origin + kCollectIntervalUs;
  for (const RunLogRecord* r : fed) {
    const int64_t at = logged_at_us(*r);
    while (stop_signal() == 0) {
      const int64_t due = snapshots ? snapshots->next_due_us() : INT64_MAX;
      if (due <= next_collect && at >= due) {
        fold.notify(due - origin, observers, true);
      } else if (at >= next_collect) {
        fold.notify(next_collect - origin, observers, false);
        next_collect += kCollectIntervalUs;
      } else {
        break;
      }
    }
    if (stop_signal() != 0) break;
    fold.recorders.feed(*r, origin);
    if (!is_event(*r)) last_done = std::max(last_done, at);
  }
  return last_done;
}

}  // namespace

Result<RunResult> replay_run(const Plan& plan, std::span<SnapshotObserver* const> observers) {
  const ReplayOptions& options = *plan.replay;
  auto source = load_replay_source(options);
  if (!source) return Error{source.error()};
  if (source->truncated) {
    log_warning("the run log was cut short (a crash or kill); its last partial record was ignored");
  }
  const Window window = window_for(options, *source);
  const std::vector<const RunLogRecord*> fed = window_of(*source, window.from, window.to);
  const uint32_t workers = recorder_count(*source);

  auto log = RunLogWriter::open(plan.tmp_path.empty() ? default_tmp_path() : plan.tmp_path, 1,
                                workers, source->open_loop);
  if (!log) return Error{log.error()};
  (*log)->start();
  if (!source->step_names.empty()) {
    // The replay's own run log names the steps too, for its exports and a replay of it.
    for (const RunLogRecord& event : step_name_events(source->step_names)) {
      (*log)->ring(0).push(event);
    }
  }
  ReplayFold fold(log->get(), workers, *source);

  std::optional<SnapshotTaker> snapshots;
  if (options.snapshots_wanted()) {
    snapshots.emplace(plan, fold.collector, facts_for(*source, window, window.from), window.from,
                      window.snapshot_end);
  }
  std::vector<SnapshotObserver*> all_observers(observers.begin(), observers.end());
  if (snapshots) all_observers.push_back(&*snapshots);

  const int64_t last_done =
      feed_all(fed, window.from, fold, snapshots ? &*snapshots : nullptr, all_observers);
  fold.finish();
  const RunFacts facts = facts_for(*source, window, last_done);
  const Snapshot last = fold.collector.snapshot(facts.wall_us);
  for (SnapshotObserver* observer : all_observers) observer->on_finish(last);
  RunResult result = assemble_run_result(facts, fold.collector, fold.recorders.views());

  const bool log_complete = (*log)->finish();
  result.run_log_paths = (*log)->paths();
  result.run_log_records = (*log)->records_written();
  if (!log_complete) return Error{"writing the replay's run log failed"};
  if (snapshots) {
    Status written = write_snapshots(snapshots->take_all(), options);
    if (!written) return Error{written.error()};
  }
  return result;
}

namespace {

// The run's facts from the end of its first shard, where the engine appends them (the target
// as text events, then the schedule and the run end): reads at most kTailRecords records.
std::optional<RunFacts> facts_at_end(const std::string& path) {
  constexpr long kTailRecords = 256;
  std::unique_ptr<std::FILE, decltype(&std::fclose)> file(std::fopen(path.c_str(), "rb"),
                                                          &std::fclose);
  if (!file || std::fseek(file.get(), 0, SEEK_END) != 0) return std::nullopt;
  const long records = (std::ftell(file.get()) - static_cast<long>(kRunLogHeaderBytes)) /
                       static_cast<long>(kRunLogRecordBytes);
  const long tail = std::min(records, kTailRecords);
  const long from = static_cast<long>(kRunLogHeaderBytes) +
                    (records - tail) * static_cast<long>(kRunLogRecordBytes);
  if (tail <= 0 || std::fseek(file.get(), from, SEEK_SET) != 0) return std::nullopt;
  std::vector<uint8_t> bytes(static_cast<size_t>(tail) * kRunLogRecordBytes);
  if (std::fread(bytes.data(), 1, bytes.size(), file.get()) != bytes.size()) return std::nullopt;
  RunEventReader events;
  for (size_t at = 0; at < bytes.size(); at += kRunLogRecordBytes) {
    events.add(decode_record(&bytes[at]));
  }
  return events.facts();
}

}  // namespace

Plan observed_plan(const Plan& plan) {
  const ReplayOptions& options = *plan.replay;
  if (options.source_kind != ReplayOptions::Source::kRunLog || options.start || options.end) {
    return plan;
  }
  const auto files = run_log_files(options.source);
  if (!files || files->empty()) return plan;
  const auto facts = facts_at_end(files->front());
  if (!facts) return plan;
  Plan observed = plan;
  observed.warmup = Micros(facts->warmup_us);
  if (auto url = parse_url(facts->target)) observed.url = *url;  // the sinks' target label
  return observed;
}

struct ReplayTimeline::State {
  ReplaySource source;
  Window window;
  std::vector<const RunLogRecord*> fed;
  uint32_t workers = 1;
  std::unique_ptr<ReplayFold> fold;
  size_t next = 0;       // the first record of `fed` not folded yet
  int64_t position = 0;  // replay time folded up to
  int64_t duration = 0;  // replay time of the last record

  void start_over() {
    fold = std::make_unique<ReplayFold>(nullptr, workers, source);
    next = 0;
    position = 0;
  }
};

Result<std::unique_ptr<ReplayTimeline>> ReplayTimeline::load(const ReplayOptions& options) {
  auto source = load_replay_source(options);
  if (!source) return Error{source.error()};
  auto state = std::make_unique<State>();
  state->source = std::move(*source);
  state->window = window_for(options, state->source);
  state->fed = window_of(state->source, state->window.from, state->window.to);
  state->workers = recorder_count(state->source);
  for (const RunLogRecord* r : state->fed) {
    state->duration = std::max(state->duration, logged_at_us(*r) - state->window.from);
  }
  state->start_over();
  return std::unique_ptr<ReplayTimeline>(new ReplayTimeline(std::move(state)));
}

ReplayTimeline::ReplayTimeline(std::unique_ptr<State> state) : state_(std::move(state)) {}
ReplayTimeline::~ReplayTimeline() = default;

int64_t ReplayTimeline::duration_us() const { return state_->duration; }
int64_t ReplayTimeline::origin_us() const { return state_->window.from; }
bool ReplayTimeline::open_loop() const { return state_->source.open_loop; }

std::string ReplayTimeline::target() const {
  const ReplaySource& source = state_->source;
  return source.facts && !source.facts->target.empty() ? source.facts->target : source.target;
}

Snapshot ReplayTimeline::at(int64_t t_us) {
  State& state = *state_;
  if (t_us < state.position) state.start_over();
  const int64_t until = state.window.from + t_us;
  for (; state.next < state.fed.size() && logged_at_us(*state.fed[state.next]) < until;
       ++state.next) {
    const RunLogRecord& r = *state.fed[state.next];
    state.fold->recorders.feed(r, state.window.from);
  }
  state.position = t_us;
  // Everything before t is folded: the seconds before the current one are whole.
  state.fold->recorders.publish_all();
  Collector& collector = state.fold->collector;
  collector.collect();
  if (state.next == state.fed.size()) {
    collector.finalize_all();
  } else {
    collector.finalize_seconds_before(t_us / 1'000'000);
  }
  return collector.snapshot(t_us);
}

}  // namespace strest
