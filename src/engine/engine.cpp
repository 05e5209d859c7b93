#include "engine/engine.h"

#include <algorithm>
#include <chrono>
#include <iostream>
#include <memory>
#include <thread>
#include <vector>

#include "clock/run_clock.h"
#include "engine/connection_ramp.h"
#include "engine/rate_schedule.h"
#include "engine/run_bounds.h"
#include "engine/stop_signal.h"
#include "engine/worker.h"
#include "metrics/collector.h"
#include "metrics/run_assembly.h"
#include "metrics/run_log_events.h"
#include "metrics/run_log_writer.h"
#include "net/h2c_fallback.h"
#include "net/transport_setup.h"
#include "scenario/compiled_scenario.h"

namespace strest {

namespace {

constexpr int64_t kCollectIntervalUs = 100'000;

WorkerSetup setup_for(const Plan& plan, uint32_t threads, uint32_t index) {
  WorkerSetup setup;
  setup.index = index;
  setup.workers = threads;
  setup.slots = static_cast<uint32_t>(share_of(plan.max_tasks, threads, index));
  if (plan.max_requests) setup.request_budget = share_of(*plan.max_requests, threads, index);
  setup.deadline_us = deadline_of(plan);
  return setup;
}

}  // namespace

Result<RunResult> run_load_test(const Plan& plan, std::span<SnapshotObserver* const> observers,
                                TickListener* ticks) {
  auto transport = build_transport(plan);
  if (!transport) return Error{transport.error()};
  std::optional<CompiledScenario> scenario;
  if (plan.scenario) {
    auto compiled = CompiledScenario::compile(plan);
    if (!compiled) return Error{compiled.error()};
    scenario.emplace(std::move(*compiled));
    transport->capture = {.headers = scenario->wants_headers(), .body = scenario->wants_body()};
  }
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
    const RecorderOptions recording{
        .warmup_us = plan.warmup.count(),
        .open_loop = schedule.has_value(),
        .log = run_log ? &run_log->ring(i) : nullptr,
        .worker = static_cast<uint16_t>(i),
        .steps = static_cast<uint16_t>(scenario ? scenario->steps().size() : 0)};
    recorders.push_back(std::make_unique<Recorder>(recording));
    recorder_views.push_back(recorders.back().get());
  }
  if (run_log && scenario) {
    // The steps' names lead the log, so a replay can name its per-step rows.
    for (const RunLogRecord& event : step_name_events(scenario->step_names())) {
      run_log->ring(0).push(event);
    }
  }
  if (run_log) run_log->start();
  Collector collector(recorder_views, ticks);

  const RunClock clock;
  const int64_t unix_start_us = std::chrono::duration_cast<std::chrono::microseconds>(
                                    std::chrono::system_clock::now().time_since_epoch())
                                    .count() -
                                clock.now();
  H2cFallback h2c_fallback;
  const RunContext context{.plan = plan,
                           .transport = *transport,
                           .clock = clock,
                           .ramp = ramp,
                           .schedule = schedule ? &*schedule : nullptr,
                           .h2c_fallback = &h2c_fallback,
                           .scenario = scenario ? &*scenario : nullptr,
                           .unix_start_us = unix_start_us};
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
  // The run ends when the last worker saw it end: its teardown (closing the connections, which
  // at 10,000 takes over 100 ms) is not part of what was measured.
  int64_t wall_us = 0;
  for (const auto& worker : workers) wall_us = std::max(wall_us, worker->finished_at_us());
  if (wall_us == 0) wall_us = clock.now();  // no worker ran (no event loop)
  collector.stop();
  collector_thread.join();
  collector.collect();
  collector.finalize_all();
  const Snapshot last = collector.snapshot(wall_us);
  for (SnapshotObserver* observer : observers) observer->on_finish(last);
  // After the observers, so that the note does not break a progress line.
  if (h2c_fallback.known()) {
    std::cerr << "strest: --http2: " << plan.url.host_header
              << " does not speak HTTP/2 over cleartext (h2c); the run used HTTP/1.1\n";
  }

  RunFacts facts = facts_of(plan, schedule ? &*schedule : nullptr, wall_us,
                            collector.totals().completed(), stop_signal());
  if (scenario) facts.step_names = scenario->step_names();
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
