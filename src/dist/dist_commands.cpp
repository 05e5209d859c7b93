#include "dist/dist_commands.h"

#include <grpc/grpc.h>

#include <chrono>
#include <iostream>
#include <thread>

#include "cli/run_exit_code.h"
#include "cli/run_observers.h"
#include "dist/agent.h"
#include "dist/control_plane.h"
#include "dist/controller.h"
#include "dist/manual_controller.h"
#include "engine/stop_signal.h"
#include "plan/exit_codes.h"
#include "report/run_outputs.h"
#include "ui/live_tui.h"

namespace strest {

namespace {

// Validation (plan/validate_distributed.cpp) refuses this already; checked again here because
// a controller reachable from other machines without a token would let anyone's agent in.
Status check_controller(const DistributedPlan& dist) {
  if (dist.auth_token.empty() && !is_loopback_address(dist.listen)) {
    return Error{"--controller-listen " + dist.listen +
                 " is reachable from other machines: set --auth-token (or listen on 127.0.0.1)"};
  }
  return Ok{};
}

// Manual mode: runs start and stop over HTTP, one after another, until SIGINT/SIGTERM.
int serve_manual(const Plan& plan, dist::Controller& controller) {
  const DistributedPlan& dist = *plan.distributed;
  dist::ManualController manual(plan, controller);
  auto plane = ControlPlane::start(dist.control_listen, dist.control_auth_token, manual);
  if (!plane) {
    std::cerr << "strest: error: " << plane.error() << "\n";
    return kExitFailure;
  }
  std::cerr << "strest controller: control plane on port " << (*plane)->port()
            << " (POST /start, POST /stop, GET /status)\n";
  while (stop_signal() <= 0) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  (*plane)->stop();
  manual.wait_idle();  // a run going on saw the signal and stopped its agents
  return kExitOk;
}

int run_controller(const Plan& plan) {
  const DistributedPlan& dist = *plan.distributed;
  if (Status checked = check_controller(dist); !checked) {
    std::cerr << "strest: error: " << checked.error() << "\n";
    return kExitUsage;
  }
  dist::Controller controller(plan);
  auto port = controller.listen();
  if (!port) {
    std::cerr << "strest: error: " << port.error() << "\n";
    return kExitFailure;
  }
  std::cerr << "strest controller: listening on port " << *port << ", waiting for "
            << dist.min_agents << " agent(s)\n";
  if (dist.mode == DistributedPlan::ControllerMode::kManual) return serve_manual(plan, controller);
  // The dashboard when stdin and stdout are a terminal, else the progress line on stderr.
  std::unique_ptr<LiveDashboard> dashboard = LiveDashboard::open(plan);
  const RunObservers observers(plan, planned_duration_us(plan),
                               dashboard ? &dashboard->observer() : nullptr);
  auto result =
      controller.run(plan, {.agent_wait_timeout = dist.agent_wait_timeout}, observers.list());
  dashboard.reset();  // the terminal is given back before anything is printed
  controller.shutdown();
  if (!result) {
    if (dist::controller_stop_signal() > 0) return 128 + dist::controller_stop_signal();
    std::cerr << "strest: error: " << result.error() << "\n";
    return kExitFailure;
  }
  const bool written = write_run_outputs(*result, plan);
  return exit_code_of(*result, plan, written, observers.threshold_aborted());
}

}  // namespace

int run_distributed_command(const Plan& plan) {
  // gRPC's last grpc_shutdown cleans up its threads from a thread of its own, which may still be
  // running while the process exits (LeakSanitizer's exit check crashed on it). Holding our own
  // reference and giving it back blocking, once every gRPC object of the command is gone,
  // means the process exits with gRPC stopped.
  grpc_init();
  const int code = plan.distributed->role == DistributedPlan::Role::kAgent ? dist::run_agent(plan)
                                                                           : run_controller(plan);
  grpc_shutdown_blocking();
  return code;
}

}  // namespace strest
