#pragma once
// A Worker wired to a ManualClock, FakeSessions and its own Recorder, for tests that script a
// run event by event: no threads, sockets or sleeps, and every time is exact.
#include <memory>
#include <optional>
#include <vector>

#include "clock/run_clock.h"
#include "engine/connection_ramp.h"
#include "engine/fake_session.h"
#include "engine/rate_schedule.h"
#include "engine/stop_signal.h"
#include "engine/worker.h"
#include "metrics/recorder.h"
#include "metrics/tally.h"
#include "net/transport_config.h"
#include "plan/plan.h"

namespace strest {

class WorkerHarness {
 public:
  // Closed loop unless `schedule` is given (open loop; it must outlive the harness).
  explicit WorkerHarness(WorkerSetup setup, uint32_t streams_per_connection = 1,
                         FakeBehaviour behaviour = {}, const RateSchedule* schedule = nullptr)
      // The run's connections are every worker's slots, so this worker's share is `slots`.
      : sessions(behaviour),
        ramp_(setup.slots * setup.workers, std::nullopt, 1'000'000),
        recorder_(std::make_unique<Recorder>(recording(schedule != nullptr))) {
    clear_stop_request();
    transport_.streams_per_connection = streams_per_connection;
    transport_.http1_requests.resize(1);
    context_.emplace(RunContext{plan, transport_, clock_, ramp_, schedule});
    worker.emplace(*context_, *recorder_, setup, sessions.factory());
    setup_ = setup;
  }

  // Makes the worker run iterations of `scenario` (which must outlive the harness) instead of
  // the plain request, with a recorder that keeps per-step rows.
  void use_scenario(const CompiledScenario& scenario, bool open_loop = false) {
    RecorderOptions options = recording(open_loop);
    options.steps = static_cast<uint16_t>(scenario.steps().size());
    worker.reset();
    recorder_ = std::make_unique<Recorder>(options);
    context_.emplace(RunContext{.plan = plan,
                                .transport = transport_,
                                .clock = clock_,
                                .ramp = ramp_,
                                .schedule = context_->schedule,
                                .scenario = &scenario,
                                .unix_start_us = 1'700'000'000'000'000});
    worker.emplace(*context_, *recorder_, setup_, sessions.factory());
  }

  // Starts the worker at run time `now` (no event loop: fake sessions watch no sockets).
  void start(int64_t now) {
    time.set(now);
    worker->start(nullptr, now);
  }
  // One loop wake-up at run time `now` after the events the test has scripted.
  void advance(int64_t now) {
    time.set(now);
    worker->advance(now);
  }
  // Everything the recorder has so far, merged.
  Tally totals() {
    recorder_->publish_all();
    std::vector<std::unique_ptr<TickTally>> ticks;
    recorder_->drain(ticks);
    for (const auto& tick : ticks) totals_.merge(tick->tally);
    return totals_;
  }

  Recorder& recorder() { return *recorder_; }

  Plan plan;  // defaults: --timeout 10s, --connect-timeout 5s, --status 200
  ManualClock time;
  FakeSessions sessions;
  std::optional<Worker> worker;

 private:
  static RecorderOptions recording(bool open_loop) {
    RecorderOptions options;
    options.open_loop = open_loop;
    return options;
  }

  WorkerSetup setup_;
  TransportConfig transport_;
  RunClock clock_{time};
  ConnectionRamp ramp_;
  std::unique_ptr<Recorder> recorder_;
  std::optional<RunContext> context_;
  Tally totals_;
};

}  // namespace strest
