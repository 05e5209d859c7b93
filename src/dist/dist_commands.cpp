#include "dist/dist_commands.h"

#include <iostream>

#include "cli/run_exit_code.h"
#include "cli/run_observers.h"
#include "dist/agent.h"
#include "dist/controller.h"
#include "engine/stop_signal.h"
#include "net/listen_address.h"
#include "plan/exit_codes.h"
#include "report/run_outputs.h"
#include "ui/live_tui.h"

namespace strest {

namespace {

bool loopback_host(const std::string& host) {
  return host == "localhost" || host == "::1" || host.starts_with("127.");
}

// Bad settings are the user's to fix (exit 2): an address that does not parse, or one that
// other machines can reach while no token keeps strangers' agents out.
Status check_controller(const DistributedPlan& dist) {
  const auto address = parse_listen_address(dist.listen);
  if (!address) return Error{"--controller-listen: " + address.error()};
  if (dist.auth_token.empty() && !loopback_host(address->host)) {
    return Error{"--controller-listen " + dist.listen +
                 " is reachable from other machines: set --auth-token (or listen on 127.0.0.1)"};
  }
  return Ok{};
}

int run_controller(const Plan& plan) {
  const DistributedPlan& dist = *plan.distributed;
  if (Status checked = check_controller(dist); !checked) {
    std::cerr << "strest: error: " << checked.error() << "\n";
    return kExitUsage;
  }
  if (dist.mode == DistributedPlan::ControllerMode::kManual) {
    std::cerr << "strest: error: --controller-mode manual is not available in this build yet; "
                 "use --controller-mode auto\n";
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
  if (plan.distributed->role == DistributedPlan::Role::kAgent) return dist::run_agent(plan);
  return run_controller(plan);
}

}  // namespace strest
