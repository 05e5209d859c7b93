// validate_scenario (validate_parts.h): the scenario that runs, every registry entry, and the
// plain request settings a scenario replaces.
#include "plan/scenario_check.h"
#include "plan/validate_parts.h"

namespace strest {
namespace {

// Settings that describe the one request of a plain run: a scenario's steps say it instead.
constexpr std::pair<const char*, const char*> kRequestSettings[] = {
    {"--method", "method"},        {"--headers", "headers"}, {"--accept", "headers"},
    {"--content-type", "headers"}, {"--data", "data"},       {"--data-file", "data"},
    {"--data-lines", "data"}};

Status check_request_settings(const Plan& plan, const SettingOrigins& origins) {
  for (const auto& [flag, step_key] : kRequestSettings) {
    if (!origins.given(flag)) continue;
    return Error{origins.name(flag) + " does not apply to a scenario run (" +
                 scenario_subject(plan) + "): set " + step_key + " on its steps instead"};
  }
  return Ok{};
}

}  // namespace

Status validate_scenario(const Plan& plan, const SettingOrigins& origins) {
  for (const auto& [name, scenario] : plan.scenario_registry) {
    const std::string subject = "scenarios." + name;
    if (auto status = check_scenario(scenario, subject); !status) return status;
    if (!scenario.base_url && plan.url.host.empty()) continue;  // a base comes with the run
    if (auto status = check_scenario_origin(scenario, plan.url, subject); !status) return status;
  }
  if (!plan.scenario) return Ok{};
  const std::string subject = scenario_subject(plan);
  if (auto status = check_scenario(*plan.scenario, subject); !status) return status;
  // No base yet only in demo mode, where the built-in target's URL comes later.
  const bool has_base = plan.scenario->base_url || !plan.url.host.empty();
  if (auto status = has_base ? check_scenario_origin(*plan.scenario, plan.url, subject) : Ok{};
      !status) {
    return status;
  }
  return check_request_settings(plan, origins);
}

}  // namespace strest
