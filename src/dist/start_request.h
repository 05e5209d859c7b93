#pragma once
// Which scenario a manual-mode POST /start runs, by the reference's registry rules
// (docs/distributed.md "Manual controller mode"):
//   - scenario without scenario_name: runs once, the registry is left alone;
//   - scenario and scenario_name: stores it under that name (replacing an entry of that name,
//     else appended) and runs it;
//   - scenario_name only: runs that registry entry; an unknown name is an error;
//   - neither: runs what the controller was started with: its [scenario] (startup_scenario)
//     or, without one, the plain --url requests (nullopt).
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "dist/control_handler.h"
#include "plan/result.h"
#include "plan/scenario.h"

namespace strest {

// [scenarios.NAME] in the order given (cli/scenario_config.h read_scenario_registry), grown by
// /start requests that name an inline scenario.
using ScenarioRegistry = std::vector<std::pair<std::string, Scenario>>;

// The scenario the run uses (nullopt: the plan's own requests, no scenario). The only error is
// an unknown scenario_name, which the controller answers with 404; its message names the
// scenario and lists the known ones ("unknown scenario 'x'; known: login, checkout" or
// "... no scenarios are registered"). On error the registry is unchanged.
Result<std::optional<Scenario>> resolve_start_scenario(
    const StartRequest& request, ScenarioRegistry& registry,
    const std::optional<Scenario>& startup_scenario);

}  // namespace strest
