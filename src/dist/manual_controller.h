#pragma once
// ManualController: manual mode's ControlHandler (control_handler.h). The HTTP control plane
// (control_plane.h) calls it; it starts each run on its own thread with the Controller (the
// same run as auto mode: wait for agents, split, start, merge), prints its summary and writes
// its outputs, and is ready for the next. One run at a time.
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>

#include "dist/control_handler.h"
#include "dist/controller.h"
#include "dist/start_request.h"
#include "metrics/snapshot.h"
#include "plan/plan.h"

namespace strest::dist {

class ManualController final : public ControlHandler {
 public:
  // `plan` (the controller's, with its registry and startup scenario) and `controller` (already
  // listening) must outlive this.
  ManualController(const Plan& plan, Controller& controller);
  ~ManualController() override;  // stops a run in progress and waits for it

  std::optional<ControlRefusal> start(const StartRequest& request) override;
  std::optional<ControlRefusal> stop() override;
  nlohmann::json status() override;

  // Waits until no run is going on (the process's shutdown, and tests).
  void wait_idle();
  // Runs started so far, and the exit code the last one would have had as an auto run.
  uint64_t runs() const;
  int last_exit_code() const;

 private:
  enum class State { kIdle, kWaitingForAgents, kRunning };
  // The live totals GET /status shows, copied from the run's snapshots.
  class LiveTotals : public SnapshotObserver {
   public:
    void on_snapshot(const Snapshot& snapshot) override;
    nlohmann::json json() const;
    void reset();

   private:
    mutable std::mutex mutex_;
    int64_t elapsed_us_ = 0;
    uint64_t completed_ = 0, ok_ = 0, errors_ = 0;
    double recent_rps_ = 0;
  };

  void run(Plan plan, RunStart start);  // the run thread

  const Plan& plan_;
  Controller& controller_;
  mutable std::mutex mutex_;  // guards the fields below
  std::condition_variable idle_;
  ScenarioRegistry registry_;
  State state_ = State::kIdle;
  std::atomic<bool> stop_{false};
  uint64_t runs_ = 0;
  int last_exit_code_ = 0;
  std::string last_error_;
  std::thread thread_;
  LiveTotals live_;
};

}  // namespace strest::dist
