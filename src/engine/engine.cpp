#include "engine/engine.h"

#include <memory>
#include <thread>
#include <vector>

#include "engine/connection_ramp.h"
#include "engine/rate_schedule.h"
#include "engine/run_clock.h"
#include "engine/stop_signal.h"
#include "engine/worker.h"
#include "metrics/collector.h"
#include "metrics/run_assembly.h"
#include "metrics/run_log_events.h"
#include "metrics/run_log_writer.h"
#include "net/transport_setup.h"

namespace strest {

namespace {

constexpr int64_t kCollectIntervalUs = 100'000;

int64_t deadline_of(const Plan& plan) {
  const bool run_until_count = plan.max_requests && !plan.duration;
  return run_until_count ? INT64_MAX : plan.duration.value_or(kDefaultDuration).count();
}

WorkerSetup setup_for(const Plan& plan, uint32_t threads, uint32_t index) {
  WorkerSetup setup;
  setup.index = index;
  setup.workers = threads;
  setup.slots = static_cast<uint32_t>(share_of(plan.max_tasks, threads, index));
  if (plan.max_requests) setup.request_budget = share_of(*plan.max_requests, threads, index);
  setup.deadline_us = deadline_of(plan);
  return setup;
}

StopReason stop_reason_of(const Plan& plan, uint64_t completed) {
  if (stop_signal() == kStopForThreshold) return StopReason::kThreshold;
  if (stop_signal() != 0) return StopReason::kSignal;
  if (plan.max_requests && completed >= *plan.max_requests) return StopReason::kRequestCount;
  return StopReason::kDuration;
}

// What the run was: how long, why it stopped and, open loop, what the schedule asked for during
// the measured window.
RunFacts facts_of(const Plan& plan, const RateSchedule* schedule, int64_t wall_us,
                  uint64_t completed) {
  RunFacts facts{.target = plan.url.to_string(),
                 .wall_us = wall_us,
                 .warmup_us = plan.warmup.count(),
                 .open_loop = schedule != nullptr,
                 .stop_reason = stop_reason_of(plan, completed),
                 .signal = stop_signal() > 0 ? stop_signal() : 0};
  const int64_t warmup_us = std::min<int64_t>(plan.warmup.count(), wall_us);
  if (schedule == nullptr || wall_us - warmup_us <= 0) return facts;
  const int64_t end_us = std::min(wall_us, deadline_of(plan));
  facts.scheduled_requests =
      static_cast<double>(schedule->due_before(end_us) - schedule->due_before(warmup_us));
  if (plan.max_requests) {
    facts.scheduled_requests =
        std::min(facts.scheduled_requests, static_cast<double>(*plan.max_requests));
  }
  const int64_t scheduled_window_us = end_us - warmup_us;
  if (scheduled_window_us > 0) {
    facts.target_rps = facts.scheduled_requests * 1e6 / static_cast<double>(scheduled_window_us);
  }
  return facts;
}

}  // namespace

uint64_t share_of(uint64_t total, uint32_t parts, uint32_t index) {
  return total / parts + (index < total % parts ? 1 : 0);
}

Result<RunResult> run_load_test(const Plan& plan, std::span<SnapshotObserver* const> observers) {
  auto transport = build_transport(plan);
  if (!transport) return Error{transport.error()};
  const uint32_t threads = std::max<uint32_t>(1, std::min(plan.threads, plan.max_tasks));
  std::optional<RateSchedule> schedule;
  if (plan.load) schedule.emplace(*plan.load);
  const ConnectionRamp ramp(plan.max_tasks, plan.spawn_rate, plan.spawn_interval.count());

  const std::string tmp_path = plan.tmp_path.empty() ? default_tmp_path() : plan.tmp_path;
  std::unique_ptr<RunLogWriter> run_log;
  if (plan.run_log) {
    auto opened = RunLogWriter::open(tmp_path, plan.log_shards, threads, schedule.has_value());
    if (!opened) return Error{opened.error()};
    run_log = std::move(*opened);
  }
  std::vector<std::unique_ptr<Recorder>> recorders;
  std::vector<Recorder*> recorder_views;
  for (uint32_t i = 0; i < threads; ++i) {
    const RecorderOptions recording{.warmup_us = plan.warmup.count(),
                                    .open_loop = schedule.has_value(),
                                    .log = run_log ? &run_log->ring(i) : nullptr,
                                    .worker = static_cast<uint16_t>(i)};
    recorders.push_back(std::make_unique<Recorder>(recording));
    recorder_views.push_back(recorders.back().get());
  }
  if (run_log) run_log->start();
  Collector collector(recorder_views);

  const RunClock clock;
  const RunContext context{plan, *transport, clock, ramp, schedule ? &*schedule : nullptr};
  std::vector<std::unique_ptr<Worker>> workers;
  for (uint32_t i = 0; i < threads; ++i) {
    workers.push_back(
        std::make_unique<Worker>(context, *recorders[i], setup_for(plan, threads, i)));
  }
  std::thread collector_thread(
      [&] { collector.run(observers, kCollectIntervalUs, [&] { return clock.now(); }); });
  {
    std::vector<std::jthread> running;
    for (auto& worker : workers) running.emplace_back([&worker] { worker->run(); });
  }
  const int64_t wall_us = clock.now();
  collector.stop();
  collector_thread.join();
  collector.collect();
  collector.finalize_all();
  const Snapshot last = collector.snapshot(wall_us);
  for (SnapshotObserver* observer : observers) observer->on_finish(last);

  const RunFacts facts =
      facts_of(plan, schedule ? &*schedule : nullptr, wall_us, collector.totals().completed());
  RunResult result = assemble_run_result(facts, collector, recorder_views);
  if (run_log) {
    const bool log_complete = run_log->finish(run_fact_events(facts));
    result.run_log_paths = run_log->paths();
    result.run_log_records = run_log->records_written();
    if (!log_complete) return Error{"writing the run log under '" + tmp_path + "' failed"};
  }
  return result;
}

}  // namespace strest
