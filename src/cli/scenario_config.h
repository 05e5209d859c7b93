#pragma once
// Scenarios in config files and from --script: the [scenario] table, the [scenarios.NAME]
// registry and the JSON a WASM module returns share one schema (docs/scenarios.md). Like the
// other tables, unknown keys are errors named by their path ("unknown key
// 'scenario.steps[2].mehtod'; did you mean 'method'?"; steps count from 1). The CSV of
// vars_from_csv is read here, at load time, and extract rules are compiled to check them.
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "cli/config_value.h"
#include "plan/result.h"
#include "plan/scenario.h"

namespace strest {

// A scenario table; `path` is its key for messages ("scenario", "scenarios.login") and
// `base_dir` the folder relative vars_from_csv paths resolve against ("" = working directory).
// Errors start with "key '<path>...'" or "unknown key '<path>...'".
Result<Scenario> read_scenario(const ConfigValue& value, const std::string& path,
                               const std::string& base_dir);

// [scenarios.NAME]: every entry, in the order given.
Result<std::vector<std::pair<std::string, Scenario>>> read_scenario_registry(
    const ConfigValue& value, const std::string& base_dir);

// The JSON a --script module returns: a scenario object that also holds "schema_version": 1.
// `subject` starts each error ("--script x.wasm"); vars_from_csv resolves against `base_dir`.
Result<Scenario> scenario_from_json(std::string_view json, std::string_view subject,
                                    const std::string& base_dir = "");

}  // namespace strest
