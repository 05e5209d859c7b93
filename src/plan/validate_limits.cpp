// The Plan's numbers one by one: the command line's readers refuse these already, so this is
// for Plans built in code (a controller's message, a scenario, a test).
#include <string>

#include "plan/duration.h"
#include "plan/limits.h"
#include "plan/validate_parts.h"

namespace strest {
namespace {

Status in_range(uint64_t value, uint64_t min, uint64_t max, const SettingOrigins& origins,
                const char* flag) {
  if (value >= min && value <= max) return Ok{};
  return Error{origins.name(flag) + " must be between " + std::to_string(min) + " and " +
               std::to_string(max) + " (got " + std::to_string(value) + ")"};
}

Status positive(Micros value, const SettingOrigins& origins, const char* flag) {
  if (value.count() > 0) return Ok{};
  return Error{origins.name(flag) + " must be greater than 0 (got " + format_duration(value) + ")"};
}

// The dashboard's charts have a column per second.
Status at_least_a_second(Micros value, const SettingOrigins& origins, const char* flag) {
  if (value >= std::chrono::seconds(1)) return Ok{};
  return Error{origins.name(flag) + " must be at least 1000 (one second; got " +
               std::to_string(value.count() / 1000) + ")"};
}

bool is_tls_version(int code) { return code == 0 || (code >= 10 && code <= 13); }

}  // namespace

Status validate_limits(const Plan& plan, const SettingOrigins& origins) {
  const Status checks[] = {
      in_range(plan.max_tasks, 1, kMaxConnections, origins, "--max-tasks"),
      in_range(plan.threads, 1, plan.max_tasks, origins, "--threads"),
      in_range(static_cast<uint64_t>(plan.expected_status), kMinStatus, kMaxStatus, origins,
               "--status"),
      positive(plan.timeout, origins, "--timeout"),
      positive(plan.connect_timeout, origins, "--connect-timeout"),
      plan.duration ? positive(*plan.duration, origins, "--duration") : Status{Ok{}},
      in_range(plan.max_requests.value_or(1), 1, UINT64_MAX, origins, "--requests"),
      in_range(plan.spawn_rate.value_or(1), 1, kMaxConnections, origins, "--spawn-rate"),
      positive(plan.spawn_interval, origins, "--spawn-interval"),
      at_least_a_second(plan.ui_window, origins, "--ui-window-ms"),
      in_range(plan.log_shards, 1, kMaxLogShards, origins, "--log-shards"),
      in_range(plan.metrics_window.max, 1, UINT64_MAX, origins, "--metrics-max"),
      in_range(plan.transport.streams_per_connection, 1, kMaxStreamsPerConnection, origins,
               "--streams-per-connection")};
  for (const Status& check : checks) {
    if (!check) return check;
  }
  if (!is_tls_version(plan.transport.tls_min) || !is_tls_version(plan.transport.tls_max)) {
    return Error{origins.name(is_tls_version(plan.transport.tls_min) ? "--tls-max" : "--tls-min") +
                 " must be 1.0, 1.1, 1.2 or 1.3"};
  }
  return Ok{};
}

}  // namespace strest
