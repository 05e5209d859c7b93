#pragma once
// Controller: sends no load. It serves the agents' link (agent_hub.h), and for each run waits
// for enough agents, splits the plan by their weights (plan_share.h), starts them at one
// agreed instant and folds their ticks into one Collector, one Recorder per agent, so the
// summary, thresholds, sinks and charts see one run, with exact merged percentiles.
#include <grpcpp/grpcpp.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <optional>
#include <span>
#include <thread>

#include "dist/agent_hub.h"
#include "metrics/run_result.h"
#include "metrics/snapshot.h"
#include "plan/plan.h"
#include "plan/result.h"

namespace strest::dist {

// How one run starts: how long to wait for min_agents (unset: until stopped), and how long
// after the orders go out the agents begin.
struct RunStart {
  std::optional<std::chrono::milliseconds> agent_wait_timeout;
  std::chrono::milliseconds start_after{0};
  // When set and true, the run ends as on Ctrl+C (the agents are told to stop, what they
  // measured is kept) and reads as stopped by the user: manual mode's POST /stop.
  const std::atomic<bool>* stop = nullptr;
};

class Controller {
 public:
  // `plan.distributed` holds the controller's settings; `plan` must outlive it.
  explicit Controller(const Plan& plan);
  ~Controller();
  Controller(const Controller&) = delete;
  Controller& operator=(const Controller&) = delete;

  // Starts the gRPC service on distributed->listen and the heartbeats; returns the port bound
  // (port 0 picks a free one).
  Result<uint16_t> listen();
  // Runs `plan` over the agents. `observers` see the merged snapshots. Fails when too few
  // agents came in time, when stopped while waiting, or when no agent could run its share.
  Result<RunResult> run(const Plan& plan, const RunStart& start,
                        std::span<SnapshotObserver* const> observers);
  // Stops the service at once: every agent's stream breaks, so each stops its run.
  void shutdown();

  AgentHub& hub() { return hub_; }

 private:
  const Plan& plan_;
  const DistributedPlan& dist_;
  AgentHub hub_;
  std::unique_ptr<grpc::Server> server_;
  std::thread pulse_;
  std::mutex pulse_mutex_;
  std::condition_variable pulse_wake_;
  bool stopping_ = false;
  uint64_t last_run_id_ = 0;
};

// The stop that concerns the controller: a signal, a threshold abort or the user's quit. An
// agent's kStopByController (tests run agents in the controller's process) is not one.
int controller_stop_signal();

}  // namespace strest::dist
