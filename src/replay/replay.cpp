#include "replay/replay.h"

#include <algorithm>
#include <iostream>
#include <limits>
#include <memory>

#include "log/log.h"
#include "metrics/collector.h"
#include "metrics/recorder.h"
#include "metrics/run_log_writer.h"
#include "replay/replay_source.h"
#include "replay/snapshot_writer.h"
#include "report/summary_json.h"

namespace strest {

namespace {

constexpr size_t kCollectEveryRecords = 4096;

int64_t completion_us(const RunLogRecord& r) { return r.start_us + r.latency_us; }

// Feeds one recorded request to a Recorder, times rebased so that `origin_us` becomes 0.
void feed(Recorder& recorder, const RunLogRecord& r, int64_t origin_us) {
  const int64_t start = r.start_us - origin_us;
  const int64_t now = start + r.latency_us;
  const RequestTimes times{
      .start_us = start, .sent_us = now - r.service_us, .sequence = r.sequence};
  switch (r.outcome) {
    case LoggedOutcome::kOk:
    case LoggedOutcome::kNonExpectedStatus:
      recorder.record_response(r.status, r.outcome == LoggedOutcome::kOk, times, r.bytes, now);
      return;
    case LoggedOutcome::kTimeout:
      recorder.record_timeout(static_cast<TimeoutKind>(r.error_kind), times, r.bytes, now);
      return;
    case LoggedOutcome::kTransport:
      recorder.record_transport_error(static_cast<TransportError>(r.error_kind), times, r.bytes,
                                      now);
      return;
  }
}

// The requests a window covers, by start time, in completion order.
std::vector<RunLogRecord> window_of(std::vector<RunLogRecord> records, int64_t from, int64_t to) {
  std::erase_if(records,
                [&](const RunLogRecord& r) { return r.start_us < from || r.start_us >= to; });
  std::stable_sort(records.begin(), records.end(), [](const auto& a, const auto& b) {
    return completion_us(a) < completion_us(b);
  });
  return records;
}

// Recorded requests were all measured (warmup ones were never logged), and snapshot windows
// may start after a request did: nothing counts as warmup in a replay.
RecorderOptions with_all_measured(RecorderOptions options) {
  options.warmup_us = std::numeric_limits<int64_t>::min();
  return options;
}

// A Recorder and Collector pair: the results of the requests fed so far.
struct Results {
  explicit Results(RecorderOptions options)
      : recorder(with_all_measured(options)), collector({&recorder}) {}
  void collect() {
    recorder.publish_all();
    collector.collect();
  }
  Recorder recorder;
  Collector collector;
};

RunResult result_of(Results& results, const std::string& target, bool open_loop, int64_t wall_us) {
  results.collect();
  results.collector.finalize_all();
  RunResult result;
  result.target = target;
  result.wall = std::chrono::microseconds(wall_us);
  result.measured = result.wall;
  result.open_loop = open_loop;
  result.replayed = true;
  result.totals = results.collector.totals();
  result.series = results.collector.series();
  return result;
}

// Snapshots: every interval from the snapshot window's start (or once, at its end), each
// holding the requests completed since that start.
class Snapshots {
 public:
  Snapshots(const Plan& plan, const ReplaySource& source, int64_t window_start, int64_t window_end)
      : plan_(plan), source_(source), results_(RecorderOptions{.open_loop = source.open_loop}) {
    const ReplayOptions& options = *plan.replay;
    start_ = options.snapshot_start.value_or(Micros(window_start)).count();
    end_ = options.snapshot_end.value_or(Micros(window_end)).count();
    interval_ = options.snapshot_interval ? options.snapshot_interval->count() : end_ - start_;
    next_ = interval_ > 0 ? start_ + interval_ : std::numeric_limits<int64_t>::max();
  }

  // Called in completion order, with run times (not rebased).
  void add(const RunLogRecord& r) {
    const int64_t done = completion_us(r);
    while (next_ <= end_ && done >= next_) take(next_);
    if (done >= start_ && done < end_) feed(results_.recorder, r, start_);
  }
  // Takes the snapshots still due, and a last one at the window's end if the interval did
  // not land on it.
  std::vector<nlohmann::json> finish() {
    while (next_ <= end_) take(next_);
    if (last_taken_ < end_ && end_ > start_) take(end_);
    return std::move(taken_);
  }

 private:
  void take(int64_t at) {
    RunResult result = result_of(results_, source_.target, source_.open_loop, at - start_);
    nlohmann::json snapshot = summary_json(result, plan_);
    snapshot["snapshot_start_ms"] = start_ / 1000;
    snapshot["snapshot_end_ms"] = at / 1000;
    taken_.push_back(std::move(snapshot));
    last_taken_ = at;
    next_ = at + interval_;
  }

  const Plan& plan_;
  const ReplaySource& source_;
  Results results_;
  int64_t start_ = 0, end_ = 0, interval_ = 0, next_ = 0, last_taken_ = 0;
  std::vector<nlohmann::json> taken_;
};

}  // namespace

Result<RunResult> replay_run(const Plan& plan, std::span<SnapshotObserver* const> observers) {
  const ReplayOptions& options = *plan.replay;
  auto source = load_replay_source(options);
  if (!source) return Error{source.error()};
  if (source->truncated) {
    log_warning("the run log was cut short (a crash or kill); its last partial record was ignored");
  }
  int64_t first_start = std::numeric_limits<int64_t>::max(), last_start = 0;
  for (const RunLogRecord& r : source->records) {
    first_start = std::min(first_start, r.start_us);
    last_start = std::max(last_start, r.start_us);
  }
  if (source->records.empty()) first_start = last_start = 0;
  const int64_t from = options.start ? options.start->count() : first_start;
  const int64_t to = options.end ? options.end->count() : last_start + 1;
  const std::vector<RunLogRecord> records = window_of(std::move(source->records), from, to);

  auto log = RunLogWriter::open(plan.tmp_path.empty() ? default_tmp_path() : plan.tmp_path, 1, 1,
                                source->open_loop);
  if (!log) return Error{log.error()};
  (*log)->start();
  Results results(RecorderOptions{.open_loop = source->open_loop, .log = &(*log)->ring(0)});
  std::optional<Snapshots> snapshots;
  if (options.snapshots_wanted()) snapshots.emplace(plan, *source, from, to);
  int64_t last_done = from;
  for (size_t i = 0; i < records.size(); ++i) {
    const RunLogRecord& r = records[i];
    if (snapshots) snapshots->add(r);
    feed(results.recorder, r, from);
    last_done = std::max(last_done, completion_us(r));
    if (i % kCollectEveryRecords == kCollectEveryRecords - 1) {
      results.collect();
      const Snapshot now = results.collector.snapshot(last_done - from);
      for (SnapshotObserver* observer : observers) observer->on_snapshot(now);
    }
  }
  RunResult result = result_of(results, source->target, source->open_loop, last_done - from);
  const Snapshot last = results.collector.snapshot(result.wall.count());
  for (SnapshotObserver* observer : observers) observer->on_finish(last);
  const bool log_complete = (*log)->finish();
  result.run_log_paths = (*log)->paths();
  result.run_log_records = (*log)->records_written();
  if (!log_complete) return Error{"writing the replay's run log failed"};
  if (snapshots) {
    Status written = write_snapshots(snapshots->finish(), options);
    if (!written) return Error{written.error()};
  }
  return result;
}

}  // namespace strest
