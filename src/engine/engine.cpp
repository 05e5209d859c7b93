#include "engine/engine.h"

#include <memory>
#include <thread>
#include <vector>

#include "engine/run_clock.h"
#include "engine/stop_signal.h"
#include "engine/worker.h"
#include "http/request_builder.h"
#include "metrics/collector.h"
#include "net/endpoint.h"

namespace strest {

namespace {

constexpr int64_t kCollectIntervalUs = 100'000;

WorkerSetup setup_for(const Plan& plan, uint32_t threads, uint32_t index) {
  WorkerSetup setup;
  setup.connections = static_cast<uint32_t>(share_of(plan.max_tasks, threads, index));
  if (plan.max_requests) setup.request_budget = share_of(*plan.max_requests, threads, index);
  const bool run_until_count = plan.max_requests && !plan.duration;
  if (!run_until_count) setup.deadline_us = plan.duration.value_or(kDefaultDuration).count();
  return setup;
}

StopReason stop_reason_of(const Plan& plan, uint64_t completed) {
  if (stop_signal() != 0) return StopReason::kSignal;
  if (plan.max_requests && completed >= *plan.max_requests) return StopReason::kRequestCount;
  return StopReason::kDuration;
}

}  // namespace

uint64_t share_of(uint64_t total, uint32_t parts, uint32_t index) {
  return total / parts + (index < total % parts ? 1 : 0);
}

Result<RunResult> run_load_test(const Plan& plan, std::span<SnapshotObserver* const> observers) {
  auto endpoint = resolve_endpoint(plan.url.host, plan.url.port);
  if (!endpoint) return Error{endpoint.error()};
  const std::vector<std::string> requests = build_requests(plan);
  const uint32_t threads = std::max<uint32_t>(1, std::min(plan.threads, plan.max_tasks));

  std::vector<std::unique_ptr<Recorder>> recorders;
  std::vector<Recorder*> recorder_views;
  for (uint32_t i = 0; i < threads; ++i) {
    recorders.push_back(std::make_unique<Recorder>());
    recorder_views.push_back(recorders.back().get());
  }
  Collector collector(recorder_views);

  const RunClock clock;
  std::vector<std::unique_ptr<Worker>> workers;
  for (uint32_t i = 0; i < threads; ++i) {
    workers.push_back(std::make_unique<Worker>(plan, *endpoint, requests, clock, *recorders[i],
                                               setup_for(plan, threads, i)));
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
  const Snapshot last = collector.snapshot(wall_us);
  for (SnapshotObserver* observer : observers) observer->on_finish(last);

  RunResult result;
  result.target = plan.url.to_string();
  result.wall = std::chrono::microseconds(wall_us);
  result.totals = collector.totals();
  result.series = collector.series();
  result.stop_reason = stop_reason_of(plan, result.totals.completed());
  result.signal = stop_signal();
  return result;
}

}  // namespace strest
