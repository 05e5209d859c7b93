// Distributed runs (plan/distributed.h): which settings belong to which role, and what a
// controller or an agent needs to start safely.
#include <span>
#include <string>
#include <string_view>

#include "plan/validate_parts.h"

namespace strest {
namespace {

using Role = DistributedPlan::Role;
using Mode = DistributedPlan::ControllerMode;

// Settings only a controller reads, and settings only an agent reads.
constexpr std::string_view kControllerFlags[] = {
    "--controller-mode",  "--control-listen",        "--control-auth-token",
    "--min-agents",       "--agent-wait-timeout-ms", "--agent-heartbeat-timeout-ms",
    "--stream-summaries", "--stream-interval-ms"};
constexpr std::string_view kAgentFlags[] = {"--agent-weight", "--agent-id", "--agent-standby",
                                            "--agent-reconnect-ms",
                                            "--agent-heartbeat-interval-ms"};
// Settings both roles read.
constexpr std::string_view kSharedFlags[] = {"--auth-token", "--dist-cert", "--dist-key",
                                             "--dist-cacert"};
// What a controller does not write: every request is recorded where it is sent, on an agent.
constexpr std::string_view kPerRequestFlags[] = {"--export-csv", "--export-json", "--export-jsonl",
                                                 "--db-url"};

// The settings nobody asked for a role, named as the user gave them.
Status check_no_role(const SettingOrigins& origins) {
  for (std::string_view flag : kControllerFlags) {
    if (origins.given(flag)) {
      return Error{origins.name(flag) + " configures a controller: add --controller-listen " +
                   "HOST:PORT (or drop it)"};
    }
  }
  for (std::string_view flag : kAgentFlags) {
    if (origins.given(flag)) {
      return Error{origins.name(flag) + " configures an agent: add --agent-join HOST:PORT (or " +
                   "drop it)"};
    }
  }
  for (std::string_view flag : kSharedFlags) {
    if (origins.given(flag)) {
      return Error{origins.name(flag) + " is for distributed runs: add --controller-listen " +
                   "HOST:PORT or --agent-join HOST:PORT (or drop it)"};
    }
  }
  return Ok{};
}

// A flag the other role reads would be silently ignored: refuse it instead.
Status check_other_role(const Role role, const SettingOrigins& origins) {
  const bool controller = role == Role::kController;
  for (std::string_view flag : controller ? std::span<const std::string_view>(kAgentFlags)
                                          : std::span<const std::string_view>(kControllerFlags)) {
    if (!origins.given(flag)) continue;
    return Error{origins.name(flag) +
                 (controller ? " configures an agent (--agent-join), not a controller: drop it"
                             : " configures a controller (--controller-listen), not an agent: "
                               "drop it")};
  }
  return Ok{};
}

Status check_tls(const DistributedPlan& dist, const SettingOrigins& origins) {
  if (!dist.tls_cert.empty() && dist.tls_key.empty()) {
    return Error{origins.name("--dist-cert") + " needs --dist-key, the certificate's private key"};
  }
  if (dist.tls_cert.empty() && !dist.tls_key.empty()) {
    return Error{origins.name("--dist-key") + " needs --dist-cert, the certificate it belongs to"};
  }
  return Ok{};
}

Status check_controller(const Plan& plan, const DistributedPlan& dist,
                        const SettingOrigins& origins) {
  if (dist.listen.empty()) return Error{"a controller needs --controller-listen HOST:PORT"};
  if (!is_loopback_address(dist.listen) && dist.auth_token.empty()) {
    return Error{origins.name("--controller-listen") + " " + dist.listen +
                 " is not loopback: set --auth-token (or STREST_AUTH_TOKEN) so only your agents "
                 "can join"};
  }
  if (dist.mode == Mode::kManual && dist.control_listen.empty()) {
    return Error{origins.name("--controller-mode") +
                 " manual needs --control-listen HOST:PORT, where POST /start and POST /stop are "
                 "served"};
  }
  if (dist.mode == Mode::kAuto && !dist.control_listen.empty()) {
    return Error{origins.name("--control-listen") +
                 " needs --controller-mode manual: an auto controller starts when its agents "
                 "have joined"};
  }
  if (!dist.control_listen.empty() && !is_loopback_address(dist.control_listen) &&
      dist.control_auth_token.empty()) {
    return Error{origins.name("--control-listen") + " " + dist.control_listen +
                 " is not loopback: set --control-auth-token (or STREST_CONTROL_AUTH_TOKEN)"};
  }
  if (origins.given("--control-auth-token") && dist.control_listen.empty()) {
    return Error{origins.name("--control-auth-token") +
                 " needs --controller-mode manual and --control-listen HOST:PORT"};
  }
  if (origins.given("--stream-interval-ms") && !dist.stream_summaries) {
    return Error{origins.name("--stream-interval-ms") +
                 " needs --stream-summaries (without it agents report once, at the end)"};
  }
  for (std::string_view flag : kPerRequestFlags) {
    const bool set = flag == "--export-csv"     ? plan.export_csv.has_value()
                     : flag == "--export-json"  ? plan.export_json.has_value()
                     : flag == "--export-jsonl" ? plan.export_jsonl.has_value()
                                                : plan.db_url.has_value();
    if (!set) continue;
    return Error{origins.name(flag) +
                 " does not apply to a controller: it sends no requests, and every request's "
                 "record stays in its agent's run log; drop it"};
  }
  if (dist.min_agents < 1) return Error{origins.name("--min-agents") + " must be at least 1"};
  if (dist.agent_wait_timeout && dist.agent_wait_timeout->count() <= 0) {
    return Error{origins.name("--agent-wait-timeout-ms") + " must be above 0"};
  }
  if (dist.heartbeat_timeout.count() <= 0 || dist.stream_interval.count() <= 0) {
    return Error{"--agent-heartbeat-timeout-ms and --stream-interval-ms must be above 0"};
  }
  return Ok{};
}

Status check_agent(const DistributedPlan& dist, const SettingOrigins& origins) {
  if (dist.join.empty()) return Error{"an agent needs --agent-join HOST:PORT"};
  if (dist.weight < 1) return Error{origins.name("--agent-weight") + " must be at least 1"};
  if (origins.given("--report")) {
    return Error{origins.name("--report") +
                 " does not apply to an agent: its controller writes the run's report; give it "
                 "to the controller"};
  }
  if (origins.given("--agent-reconnect-ms") && !dist.standby) {
    return Error{origins.name("--agent-reconnect-ms") +
                 " needs --agent-standby (without it an agent exits when its controller goes)"};
  }
  if (dist.reconnect.count() <= 0 || dist.heartbeat_interval.count() <= 0) {
    return Error{"--agent-reconnect-ms and --agent-heartbeat-interval-ms must be above 0"};
  }
  return Ok{};
}

}  // namespace

bool is_loopback_address(std::string_view host_port) {
  std::string_view host = host_port.substr(0, host_port.rfind(':'));
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  return host == "localhost" || host == "::1" || host.starts_with("127.");
}

Status validate_distributed(const Plan& plan, const SettingOrigins& origins) {
  if (!plan.distributed) return check_no_role(origins);
  const DistributedPlan& dist = *plan.distributed;
  const std::string role_flag =
      dist.role == Role::kController ? "--controller-listen" : "--agent-join";
  if (plan.replay) {
    return Error{origins.name(role_flag) + " does not apply to --replay, which sends nothing"};
  }
  if (auto status = check_other_role(dist.role, origins); !status) return status;
  if (auto status = check_tls(dist, origins); !status) return status;
  return dist.role == Role::kController ? check_controller(plan, dist, origins)
                                        : check_agent(dist, origins);
}

}  // namespace strest
