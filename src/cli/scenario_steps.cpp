// apply_scenario (plan_steps.h): which scenario a run runs, and the registry it may pick from.
#include <filesystem>

#include "cli/plan_steps.h"
#include "cli/scenario_config.h"
#include "wasm/wasm_scenario.h"

namespace strest {
namespace {

using Registry = std::vector<std::pair<std::string, Scenario>>;

Status pick_from_registry(const std::string& name, const Registry& registry, const Origins& origins,
                          Plan& plan) {
  for (const auto& [entry, scenario] : registry) {
    if (entry != name) continue;
    plan.scenario = scenario;
    plan.scenario_name = name;
    return Ok{};
  }
  if (registry.empty()) {
    std::string file =
        origins.file().empty() ? "the config (no config file was loaded)" : origins.file();
    return Error{"--scenario '" + name + "': " + file +
                 " has no [scenarios.NAME] tables; add [scenarios." + name + "]"};
  }
  std::string names;
  for (const auto& entry : registry) names += (names.empty() ? "" : ", ") + entry.first;
  return Error{"--scenario '" + name + "': no [scenarios." + name + "] in " + origins.file() +
               "; known: " + names};
}

Status load_script(const std::string& path, const Origins& origins, Plan& plan) {
  auto json = scenario_json_from_wasm(path);
  if (!json) return Error{origins.of(&RawOptions::script) + ": " + json.error()};
  std::string base_dir = std::filesystem::path(path).parent_path().string();
  auto scenario = scenario_from_json(*json, "--script " + path, base_dir);
  if (!scenario) return Error{scenario.error()};
  plan.script = path;
  plan.scenario = std::move(*scenario);
  return Ok{};
}

}  // namespace

Status apply_scenario(const RawOptions& options, const Origins& origins, Plan& plan) {
  plan.scenario_registry = options.scenarios.value_or(Registry{});
  if (options.script && options.scenario) {
    return Error{origins.of(&RawOptions::script) +
                 " cannot be combined with a [scenario] section in " + origins.file() +
                 ": drop one"};
  }
  if (options.script && options.scenario_name) {
    return Error{"--scenario and " + origins.of(&RawOptions::script) +
                 " both choose the scenario to run: pass one"};
  }
  if (options.scenario_name) {
    return pick_from_registry(*options.scenario_name, plan.scenario_registry, origins, plan);
  }
  if (options.script) return load_script(*options.script, origins, plan);
  plan.scenario = options.scenario;
  return Ok{};
}

}  // namespace strest
