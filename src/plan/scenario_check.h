#pragma once
// Checks a scenario before anything runs, as plan/validate does for the rest of the Plan: every
// template compiles, every {{var}} is in scope where it is used (scenario vars, step vars, CSV
// columns, built-ins, and values extracted by an earlier step), asserts and extract rules are
// well-formed. Errors are one line naming the step and the variable.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "plan/plan.h"
#include "plan/result.h"
#include "plan/scenario.h"
#include "plan/template.h"
#include "plan/url.h"

namespace strest {

// The variables a scenario's steps may use, numbered as template slots: the built-ins (in
// kScenarioBuiltins order), the CSV columns, then each extracted variable once, in the order the
// steps extract them. Constants are the current step's vars over the scenario's. check_scenario
// and the run's CompiledScenario both compile with it, so what validates is what runs.
class ScenarioScope {
 public:
  explicit ScenarioScope(const Scenario& scenario);
  // Makes `step` the current one; call for the steps in order, adding each one's extracts.
  void enter(const ScenarioStep& step) { step_ = &step; }
  std::optional<TemplateVar> lookup(std::string_view name) const;
  // Brings an extracted variable into scope for the steps after the current one; its slot.
  uint32_t add_extracted(const std::string& var);
  // "seq, step, ..., user": every name in scope, for messages.
  std::string known() const;
  uint32_t slot_count() const { return static_cast<uint32_t>(dynamic_.size()); }

 private:
  const Scenario& scenario_;
  const ScenarioStep* step_ = nullptr;
  std::vector<std::string> dynamic_;  // by slot
};

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
