#include "dist/manual_controller.h"

#include <iostream>

#include "cli/run_exit_code.h"
#include "cli/run_observers.h"
#include "engine/stop_signal.h"
#include "plan/exit_codes.h"
#include "report/run_outputs.h"

namespace strest::dist {

namespace {

const char* state_name(int state) {
  static const char* const kNames[] = {"idle", "waiting_for_agents", "running"};
  return kNames[state];
}

}  // namespace

ManualController::ManualController(const Plan& plan, Controller& controller)
    : plan_(plan), controller_(controller), registry_(plan.scenario_registry) {}

ManualController::~ManualController() {
  stop_ = true;
  wait_idle();
  if (thread_.joinable()) thread_.join();
}

std::optional<ControlRefusal> ManualController::start(const StartRequest& request) {
  std::lock_guard lock(mutex_);
  if (state_ != State::kIdle) {
    return ControlRefusal{409, "a run is going on; POST /stop first"};
  }
  auto scenario = resolve_start_scenario(request, registry_, plan_.scenario);
  if (!scenario) return ControlRefusal{404, scenario.error()};
  Plan plan = plan_;
  plan.scenario = std::move(*scenario);
  if (request.scenario_name && plan.scenario) plan.scenario_name = *request.scenario_name;
  const RunStart start{.agent_wait_timeout = request.agent_wait_timeout
                                                 ? request.agent_wait_timeout
                                                 : plan_.distributed->agent_wait_timeout,
                       .start_after = request.start_after.value_or(std::chrono::milliseconds(0)),
                       .stop = &stop_};
  if (thread_.joinable()) thread_.join();  // the last run's thread, already done
  stop_ = false;
  live_.reset();
  state_ = State::kWaitingForAgents;
  ++runs_;
  thread_ = std::thread([this, plan = std::move(plan), start] { run(plan, start); });
  return std::nullopt;
}

std::optional<ControlRefusal> ManualController::stop() {
  std::lock_guard lock(mutex_);
  if (state_ == State::kIdle) return ControlRefusal{409, "no run is going on"};
  stop_ = true;
  return std::nullopt;
}

nlohmann::json ManualController::status() {
  nlohmann::json agents = nlohmann::json::array();
  // Silent for half the heartbeat timeout: "late", dropped at the whole of it.
  const int64_t late_us = plan_.distributed->heartbeat_timeout.count() * 500;
  for (const AgentHub::Roster& agent : controller_.hub().roster()) {
    agents.push_back({{"agent_id", agent.id},
                      {"weight", agent.weight},
                      {"health", agent.silent_us > late_us ? "late" : "healthy"},
                      {"joined_unix_ms", agent.joined_unix_us / 1'000},
                      {"last_heard_ms_ago", agent.silent_us / 1'000},
                      {"in_run", agent.in_run}});
  }
  std::lock_guard lock(mutex_);
  nlohmann::json status{{"state", state_name(static_cast<int>(state_))},
                        {"runs", runs_},
                        {"agents", agents},
                        {"min_agents", plan_.distributed->min_agents}};
  if (state_ != State::kIdle || runs_ > 0) status["totals"] = live_.json();
  if (runs_ > 0 && state_ == State::kIdle) {
    status["last_exit_code"] = last_exit_code_;
    if (!last_error_.empty()) status["last_error"] = last_error_;
  }
  return status;
}

void ManualController::wait_idle() {
  std::unique_lock lock(mutex_);
  idle_.wait(lock, [this] { return state_ == State::kIdle; });
}

uint64_t ManualController::runs() const {
  std::lock_guard lock(mutex_);
  return runs_;
}

int ManualController::last_exit_code() const {
  std::lock_guard lock(mutex_);
  return last_exit_code_;
}

void ManualController::run(Plan plan, RunStart start) {
  // The state turns "running" at the first snapshot: agents are there and have started.
  class StateWatch : public SnapshotObserver {
   public:
    explicit StateWatch(ManualController& owner) : owner_(owner) {}
    void on_snapshot(const Snapshot&) override {
      std::lock_guard lock(owner_.mutex_);
      if (owner_.state_ == State::kWaitingForAgents) owner_.state_ = State::kRunning;
    }

   private:
    ManualController& owner_;
  } state_watch(*this);
  const RunObservers observers(plan, planned_duration_us(plan));
  std::vector<SnapshotObserver*> list = observers.list();
  list.push_back(&live_);
  list.push_back(&state_watch);
  auto result = controller_.run(plan, start, list);
  int exit_code = kExitFailure;
  std::string error;
  if (result) {
    const bool written = write_run_outputs(*result, plan);
    exit_code = exit_code_of(*result, plan, written, observers.threshold_aborted());
  } else {
    error = result.error();
    std::cerr << "strest controller: run not made: " << error << "\n";
  }
  // A threshold abort ended this run only: the next one starts afresh. Signals stay.
  if (stop_signal() < 0) clear_stop_request();
  std::lock_guard lock(mutex_);
  last_exit_code_ = exit_code;
  last_error_ = error;
  state_ = State::kIdle;
  idle_.notify_all();
}

void ManualController::LiveTotals::on_snapshot(const Snapshot& snapshot) {
  std::lock_guard lock(mutex_);
  elapsed_us_ = snapshot.elapsed_us;
  if (snapshot.totals != nullptr) {
    completed_ = snapshot.totals->completed();
    ok_ = snapshot.totals->ok;
    errors_ = snapshot.totals->errors();
  }
  recent_rps_ = snapshot.recent_rps;
}

nlohmann::json ManualController::LiveTotals::json() const {
  std::lock_guard lock(mutex_);
  return {{"elapsed_ms", elapsed_us_ / 1'000},
          {"requests", completed_},
          {"ok", ok_},
          {"errors", errors_},
          {"recent_rps", recent_rps_}};
}

void ManualController::LiveTotals::reset() {
  std::lock_guard lock(mutex_);
  elapsed_us_ = 0;
  completed_ = ok_ = errors_ = 0;
  recent_rps_ = 0;
}

}  // namespace strest::dist
