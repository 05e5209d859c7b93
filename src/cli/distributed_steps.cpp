// --controller-listen / --agent-join and the [distributed] table, turned into
// Plan::distributed; plan/validate_distributed.cpp judges how the values combine.
#include <cstdlib>

#include "cli/plan_steps.h"

namespace strest {
namespace {

using Role = DistributedPlan::Role;

// The token from its flag or key, else from the environment variable; the flag wins over the
// variable, the variable over a config file (so a unit file or `ps` need not show it).
std::string token(const std::optional<std::string>& given, const Origins& origins,
                  FieldOf<std::string> field, const char* variable) {
  const char* from_env = std::getenv(variable);
  if (given && origins.on_cli(field)) return *given;
  if (from_env != nullptr && from_env[0] != '\0') return from_env;
  return given.value_or("");
}

// The role the flags and keys ask for; nullopt when none does.
Result<std::optional<Role>> role_of(const RawOptions& options, const Origins& origins) {
  const bool listen = options.controller_listen.has_value();
  const bool join = options.agent_join.has_value();
  if (listen && join) {
    return Error{origins.of(&RawOptions::controller_listen) + " and " +
                 origins.of(&RawOptions::agent_join) +
                 " exclude each other: a process is a controller or an agent, pass one"};
  }
  std::optional<Role> role;
  if (listen) role = Role::kController;
  if (join) role = Role::kAgent;
  if (!options.dist_role) return role;
  const std::string key = origins.file() + ": key 'distributed.role'";
  if (*options.dist_role == "controller" && !listen) {
    return Error{key + " = \"controller\" " +
                 (join ? "disagrees with " + origins.of(&RawOptions::agent_join) +
                             ": set role = \"agent\" or drop the join address"
                       : std::string("needs distributed.listen (or --controller-listen)"))};
  }
  if (*options.dist_role == "agent" && !join) {
    return Error{key + " = \"agent\" " +
                 (listen ? "disagrees with " + origins.of(&RawOptions::controller_listen) +
                               ": set role = \"controller\" or drop the listen address"
                         : std::string("needs distributed.join (or --agent-join)"))};
  }
  return role;
}

using Millis = DistributedPlan::Millis;

Millis millis(const std::optional<uint64_t>& given, Millis fallback) {
  return given ? Millis(static_cast<int64_t>(*given)) : fallback;
}

}  // namespace

Status refuse_agent_traffic(const RawOptions& options, const Origins& origins) {
  if (!options.agent_join) return Ok{};
  for (const Setting& setting : settings()) {
    if (!setting.shapes_traffic || setting.names == nullptr || !is_given(options, setting)) {
      continue;
    }
    return Error{origins.of(setting.field) +
                 " does not apply to an agent: its controller sends the target, the scenario "
                 "and the load; give it to the controller"};
  }
  if (options.scenario || options.scenarios) {
    return Error{origins.file() +
                 ": [scenario] and [scenarios] do not apply to an agent: its controller sends "
                 "the scenario; give them to the controller"};
  }
  return Ok{};
}

Status apply_distributed(const RawOptions& options, const Origins& origins, Plan& plan) {
  auto role = role_of(options, origins);
  if (!role) return Error{role.error()};
  if (!*role) return Ok{};
  DistributedPlan dist;
  dist.role = **role;
  dist.auth_token =
      token(options.auth_token, origins, &RawOptions::auth_token, "STREST_AUTH_TOKEN");
  dist.tls_cert = options.dist_cert.value_or("");
  dist.tls_key = options.dist_key.value_or("");
  dist.tls_ca = options.dist_cacert.value_or("");
  dist.listen = options.controller_listen.value_or("");
  if (options.controller_mode == "manual") dist.mode = DistributedPlan::ControllerMode::kManual;
  dist.control_listen = options.control_listen.value_or("");
  dist.control_auth_token = token(options.control_auth_token, origins,
                                  &RawOptions::control_auth_token, "STREST_CONTROL_AUTH_TOKEN");
  dist.min_agents = static_cast<uint32_t>(options.min_agents.value_or(dist.min_agents));
  if (options.agent_wait_timeout_ms) {
    dist.agent_wait_timeout = Millis(static_cast<int64_t>(*options.agent_wait_timeout_ms));
  }
  dist.heartbeat_timeout = millis(options.agent_heartbeat_timeout_ms, dist.heartbeat_timeout);
  dist.stream_summaries = options.stream_summaries.value_or(false);
  dist.stream_interval = millis(options.stream_interval_ms, dist.stream_interval);
  dist.join = options.agent_join.value_or("");
  dist.agent_id = options.agent_id.value_or("");
  dist.weight = static_cast<uint32_t>(options.agent_weight.value_or(dist.weight));
  dist.standby = options.agent_standby.value_or(false);
  dist.reconnect = millis(options.agent_reconnect_ms, dist.reconnect);
  dist.heartbeat_interval = millis(options.agent_heartbeat_interval_ms, dist.heartbeat_interval);
  plan.distributed = std::move(dist);
  return Ok{};
}

}  // namespace strest
