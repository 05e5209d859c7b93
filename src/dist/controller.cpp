#include "dist/controller.h"

#include <algorithm>
#include <iostream>

#include "clock/run_clock.h"
#include "dist/link_credentials.h"
#include "dist/plan_share.h"
#include "dist/unix_time.h"
#include "engine/rate_schedule.h"
#include "engine/run_bounds.h"
#include "engine/stop_signal.h"
#include "metrics/collector.h"
#include "metrics/run_assembly.h"

namespace strest::dist {

namespace {

// Between the orders going out and the agreed start: enough for every order to arrive.
constexpr int64_t kStartMarginUs = 500'000;
constexpr int64_t kCollectIntervalUs = 100'000;
// Without streaming, every tick arrives at the end: no second is final before then.
constexpr int64_t kNeverFinalS = 1'000'000'000;

// How late an agent's tick may arrive and still count in its second's percentiles: one stream
// interval, one heartbeat timeout, and a second for the rounding.
int64_t finalize_delay_s(const DistributedPlan& dist) {
  if (!dist.stream_summaries) return kNeverFinalS;
  const int64_t late_ms = dist.stream_interval.count() + dist.heartbeat_timeout.count();
  return (late_ms + 999) / 1000 + 1;
}

void sleep_until_unix(int64_t unix_us) {
  for (int64_t left = unix_us - unix_now_us(); left > 0; left = unix_us - unix_now_us()) {
    std::this_thread::sleep_for(std::chrono::microseconds(std::min<int64_t>(left, 50'000)));
  }
}

// What agents reported at the end goes into their recorders, where the summary finds it.
void note_details(const RunFinished& finished, Recorder& recorder) {
  for (int kind = 0;
       kind < finished.error_details_size() && kind < static_cast<int>(kTransportErrorKinds);
       ++kind) {
    if (!finished.error_details(kind).empty()) {
      recorder.note_error_detail(static_cast<TransportError>(kind), finished.error_details(kind));
    }
  }
  for (int step = 0; step < finished.assert_details_size(); ++step) {
    if (!finished.assert_details(step).empty()) {
      recorder.note_assert_detail(static_cast<uint16_t>(step), finished.assert_details(step));
    }
  }
}

}  // namespace

int controller_stop_signal() {
  const int signal = stop_signal();
  return signal == kStopByController ? 0 : signal;
}

Controller::Controller(const Plan& plan)
    : plan_(plan), dist_(*plan.distributed), hub_(*plan.distributed) {}

Controller::~Controller() { shutdown(); }

Result<uint16_t> Controller::listen() {
  auto credentials = controller_credentials(dist_);
  if (!credentials) return Error{credentials.error()};
  grpc::ServerBuilder builder;
  int port = 0;
  builder.AddListeningPort(dist_.listen, *credentials, &port);
  builder.RegisterService(&hub_);
  builder.SetMaxReceiveMessageSize(64 << 20);
  server_ = builder.BuildAndStart();
  if (!server_ || port == 0) {
    server_.reset();
    return Error{"--controller-listen: cannot listen on '" + dist_.listen +
                 "' (in use, or not an address of this machine)"};
  }
  const auto interval = heartbeat_interval(dist_);
  pulse_ = std::thread([this, interval] {
    std::unique_lock lock(pulse_mutex_);
    while (!stopping_) {
      lock.unlock();
      hub_.pulse();
      lock.lock();
      pulse_wake_.wait_for(lock, interval);
    }
  });
  return static_cast<uint16_t>(port);
}

void Controller::shutdown() {
  {
    std::lock_guard lock(pulse_mutex_);
    if (stopping_) return;
    stopping_ = true;
  }
  pulse_wake_.notify_all();
  if (pulse_.joinable()) pulse_.join();
  // A deadline of now cancels every session: agents see their stream break.
  if (server_) server_->Shutdown(std::chrono::system_clock::now());
}

Result<RunResult> Controller::run(const Plan& plan, const RunStart& start,
                                  std::span<SnapshotObserver* const> observers) {
  // What stops this run: a signal or threshold abort, else the caller's stop.
  const auto stopping = [&] {
    if (const int signal = controller_stop_signal(); signal != 0) return signal;
    return start.stop != nullptr && start.stop->load() ? kStopByUser : 0;
  };
  // 1. Enough agents, in time.
  const int64_t give_up_us = start.agent_wait_timeout
                                 ? monotonic_us() + start.agent_wait_timeout->count() * 1'000
                                 : INT64_MAX;
  std::vector<std::shared_ptr<AgentLink>> agents;
  for (;;) {
    agents = hub_.connected();
    if (agents.size() >= dist_.min_agents) break;
    if (stopping() != 0) return Error{"stopped while waiting for agents"};
    if (monotonic_us() >= give_up_us) {
      return Error{"--agent-wait-timeout-ms: " + std::to_string(agents.size()) + " of " +
                   std::to_string(dist_.min_agents) + " agent(s) joined within " +
                   std::to_string(start.agent_wait_timeout->count()) + " ms"};
    }
    hub_.wait_for_change(std::chrono::milliseconds(100));
  }

  // 2. Their shares, and one recorder each for what they send.
  std::vector<uint32_t> weights;
  for (const auto& agent : agents) weights.push_back(agent->weight);
  auto shares = split_plan(plan, weights);
  if (!shares) return Error{shares.error()};
  const uint64_t run_id = ++last_run_id_;
  const int64_t start_unix_us = unix_now_us() + kStartMarginUs + start.start_after.count() * 1'000;
  std::vector<std::unique_ptr<Recorder>> recorders;
  std::vector<Recorder*> views;
  for (size_t i = 0; i < agents.size(); ++i) {
    recorders.push_back(std::make_unique<Recorder>());
    views.push_back(recorders.back().get());
    hub_.begin_run(*agents[i], run_id, views.back());
    ControllerMessage message;
    RunOrder& order = *message.mutable_run();
    order.set_run_id(run_id);
    *order.mutable_plan() = (*shares)[i];
    order.set_start_unix_us(start_unix_us);
    order.set_stream_summaries(dist_.stream_summaries);
    order.set_stream_interval_us(dist_.stream_interval.count() * 1'000);
    hub_.send(*agents[i], std::move(message));
  }
  std::cerr << "strest controller: run " << run_id << " on " << agents.size() << " agent(s)\n";

  // 3. Collect from the agreed instant until every agent reported or was lost.
  Collector collector(views);
  collector.set_finalize_delay_s(finalize_delay_s(dist_));
  sleep_until_unix(start_unix_us);
  const RunClock clock;
  std::thread collecting(
      [&] { collector.run(observers, kCollectIntervalUs, [&] { return clock.now(); }); });
  bool stop_sent = false;
  int64_t stop_deadline_us = 0;
  while (!hub_.run_done(agents)) {
    hub_.wait_for_change(std::chrono::milliseconds(100));
    if (!stop_sent && stopping() != 0) {
      for (const auto& agent : agents) {
        ControllerMessage stop;
        stop.mutable_stop()->set_run_id(run_id);
        hub_.send(*agent, std::move(stop));
      }
      stop_sent = true;
      stop_deadline_us = monotonic_us() + dist_.heartbeat_timeout.count() * 1'000;
    }
    if (stop_sent && monotonic_us() > stop_deadline_us) {
      for (const auto& agent : agents) {
        hub_.drop(*agent, "no report within the heartbeat timeout after the stop");
      }
    }
  }
  const int64_t collected_us = clock.now();
  collector.stop();
  collecting.join();

  // 4. What each agent did; the run lasted as long as the longest agent's.
  std::vector<AgentReport> reports;
  int64_t wall_us = 0;
  size_t failed = 0;
  std::string first_failure;
  for (size_t i = 0; i < agents.size(); ++i) {
    AgentHub::RunPart part = hub_.end_run(*agents[i], start_unix_us);
    if (part.finished) {
      note_details(*part.finished, *recorders[i]);
      wall_us = std::max(wall_us, part.finished->wall_us());
    }
    if (part.report.health == "failed") {
      if (failed++ == 0) first_failure = part.report.agent_id + ": " + part.report.note;
    }
    reports.push_back(std::move(part.report));
  }
  if (wall_us == 0) wall_us = collected_us;
  collector.collect();
  collector.finalize_all();
  const Snapshot last = collector.snapshot(wall_us);
  for (SnapshotObserver* observer : observers) observer->on_finish(last);
  if (failed == agents.size()) return Error{"no agent could run its share (" + first_failure + ")"};

  std::optional<RateSchedule> schedule;
  if (plan.load) schedule.emplace(*plan.load);
  RunFacts facts = facts_of(plan, schedule ? &*schedule : nullptr, wall_us,
                            collector.totals().completed(), stopping());
  if (plan.scenario) {
    for (const strest::ScenarioStep& step : plan.scenario->steps)
      facts.step_names.push_back(step.name);
  }
  RunResult result = assemble_run_result(facts, collector, views);
  result.agents = std::move(reports);
  return result;
}

}  // namespace strest::dist
