#pragma once
// A scenario: a multi-step flow (log in, use the token, check out) that each iteration runs in
// order on one connection. These are the values as the config file (or a WASM module) gave
// them; scenario/compiled_scenario.h turns them into templates once, before the run.
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace strest {

// A name and a value, in the order given (scenario vars, step vars).
using ScenarioVar = std::pair<std::string, std::string>;

// `extract` on a step: captures a value of the response into a per-iteration variable that
// later steps of the same iteration use as {{var}}.
struct ExtractRule {
  enum class Source : uint8_t {
    kJsonPath,  // "json:$.token", "json:$.items[0].id": a value of the JSON body
    kHeader,    // "header:X-Session": a response header's value (case-insensitive name)
    kRegex,     // "regex:id=([0-9]+)": the first capture group (or the whole match) in the body
  };
  std::string var;  // the variable it sets
  Source source = Source::kJsonPath;
  std::string expression;  // what follows "json:", "header:" or "regex:"
  std::string text;        // the rule as written, for messages
};

struct ScenarioStep {
  std::string name;            // as given; "" gets "step N" (1-based) when the scenario is loaded
  std::string method = "GET";  // upper-cased
  // Exactly one of path (joined to the base URL) and url (a full URL on the same origin as the
  // base URL) is set; both are templates.
  std::string path;
  std::string url;
  std::vector<std::string> headers;  // "Name: value", the value a template
  std::optional<std::string> data;   // request body, a template
  std::vector<ScenarioVar> vars;     // this step's own variables (override scenario vars)
  std::optional<int> assert_status;
  std::optional<std::string> assert_body_contains;  // a template
  std::chrono::microseconds think_time{0};          // pause after this step, before the next one
  std::vector<ExtractRule> extract;
};

// Rows of a CSV file (vars_from_csv): the header row names the variables; iteration i of the
// run uses row i modulo the row count.
struct CsvVars {
  std::string path;  // as given, for messages
  std::vector<std::string> columns;
  std::vector<std::vector<std::string>> rows;
};

struct Scenario {
  std::optional<std::string> base_url;  // unset: the run's --url
  std::vector<ScenarioVar> vars;
  std::optional<CsvVars> vars_from_csv;
  std::vector<ScenarioStep> steps;
};

// The built-in variables every template may use.
inline constexpr const char* kScenarioBuiltins[] = {"seq", "step", "timestamp_ms", "timestamp_s"};

}  // namespace strest
