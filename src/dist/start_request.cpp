#include "dist/start_request.h"

#include <algorithm>

namespace strest {
namespace {

std::string unknown_name_message(const std::string& name, const ScenarioRegistry& registry) {
  std::string message = "unknown scenario '" + name + "'; ";
  if (registry.empty()) return message + "no scenarios are registered";
  message += "known: ";
  for (size_t i = 0; i < registry.size(); ++i) {
    if (i > 0) message += ", ";
    message += registry[i].first;
  }
  return message;
}

}  // namespace

Result<std::optional<Scenario>> resolve_start_scenario(
    const StartRequest& request, ScenarioRegistry& registry,
    const std::optional<Scenario>& startup_scenario) {
  auto named = [&](const std::string& name) {
    return std::find_if(registry.begin(), registry.end(),
                        [&](const auto& entry) { return entry.first == name; });
  };
  if (request.scenario) {
    if (request.scenario_name) {
      auto entry = named(*request.scenario_name);
      if (entry == registry.end()) {
        registry.emplace_back(*request.scenario_name, *request.scenario);
      } else {
        entry->second = *request.scenario;
      }
    }
    return std::optional<Scenario>(*request.scenario);
  }
  if (request.scenario_name) {
    auto entry = named(*request.scenario_name);
    if (entry == registry.end())
      return Error{unknown_name_message(*request.scenario_name, registry)};
    return std::optional<Scenario>(entry->second);
  }
  return startup_scenario;
}

}  // namespace strest
