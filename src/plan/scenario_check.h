#pragma once
// Checks a scenario before anything runs, as plan/validate does for the rest of the Plan: every
// template compiles, every {{var}} is in scope where it is used (scenario vars, step vars, CSV
// columns, built-ins, and values extracted by an earlier step), asserts and extract rules are
// well-formed. Errors are one line naming the step and the variable.
#include <string>
#include <string_view>

#include "plan/plan.h"
#include "plan/result.h"
#include "plan/scenario.h"
#include "plan/url.h"

namespace strest {

// `subject` names the scenario in messages: "scenario", "scenarios.login", "--script x.wasm".
Status check_scenario(const Scenario& scenario, std::string_view subject);

// What messages call plan.scenario: "--script FILE", "scenarios.NAME" (--scenario) or
// "scenario" ([scenario] in the config).
std::string scenario_subject(const Plan& plan);

// Every step's `url` has the base URL's scheme, host and port; the base is scenario.base_url,
// else `default_base` (the run's --url; an empty host means there is none, which is an error).
Status check_scenario_origin(const Scenario& scenario, const Url& default_base,
                             std::string_view subject);

}  // namespace strest
