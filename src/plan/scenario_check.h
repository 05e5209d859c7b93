#pragma once
// Checks a scenario before anything runs, as plan/validate does for the rest of the Plan: every
// template compiles, every {{var}} is in scope where it is used (scenario vars, step vars, CSV
// columns, built-ins, and values extracted by an earlier step), asserts and extract rules are
// well-formed. Errors are one line naming the step and the variable.
#include <string_view>

#include "plan/result.h"
#include "plan/scenario.h"

namespace strest {

// `subject` names the scenario in messages: "scenario", "scenarios.login", "--script x.wasm".
Status check_scenario(const Scenario& scenario, std::string_view subject);

}  // namespace strest
