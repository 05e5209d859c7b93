#include "cli/scenario_config.h"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "cli/config_decode.h"
#include "plan/one_line.h"
#include "scenario/csv_vars.h"
#include "scenario/extract.h"

namespace strest {
namespace {

constexpr std::string_view kScenarioKeys[] = {"base_url", "vars", "vars_from_csv", "steps"};
constexpr std::string_view kStepKeys[] = {"name",       "method",        "path",
                                          "url",        "headers",       "data",
                                          "vars",       "assert_status", "assert_body_contains",
                                          "think_time", "extract"};

Source key(const std::string& path) { return Source{"key '" + one_line(path) + "'", false}; }

bool known(std::span<const std::string_view> keys, std::string_view name) {
  return std::find(keys.begin(), keys.end(), name) != keys.end();
}

Error unknown_key(const std::string& path, std::string_view name,
                  std::span<const std::string_view> keys) {
  return Error{"unknown key '" + one_line(path) + "'" + did_you_mean(name, keys)};
}

Result<std::string> read_text(const ConfigValue& value, const std::string& path) {
  if (const auto* text = std::get_if<std::string>(&value)) return *text;
  return wrong_type(key(path), "a string", value);
}

// A table of name = value; numbers and booleans are taken as their text.
Result<std::vector<ScenarioVar>> read_vars(const ConfigValue& value, const std::string& path) {
  const auto* table = std::get_if<ConfigTable>(&value);
  if (table == nullptr) return wrong_type(key(path), "a table of name = \"value\"", value);
  std::vector<ScenarioVar> vars;
  for (const ConfigEntry& entry : table->entries) {
    std::string text;
    if (const auto* string = std::get_if<std::string>(&entry.value)) {
      text = *string;
    } else if (const auto* integer = std::get_if<int64_t>(&entry.value)) {
      text = std::to_string(*integer);
    } else if (const auto* flag = std::get_if<bool>(&entry.value)) {
      text = *flag ? "true" : "false";
    } else {
      return wrong_type(key(path + "." + entry.key), "a string", entry.value);
    }
    vars.emplace_back(entry.key, std::move(text));
  }
  return vars;
}

Result<std::vector<std::string>> read_strings(const ConfigValue& value, const std::string& path) {
  if (const auto* list = std::get_if<std::vector<std::string>>(&value)) return *list;
  return wrong_type(key(path), "an array of strings", value);
}

Result<std::vector<ExtractRule>> read_extract(const ConfigValue& value, const std::string& path) {
  const auto* table = std::get_if<ConfigTable>(&value);
  if (table == nullptr) {
    return wrong_type(key(path), "a table of var = \"json:$.x\" | \"header:Name\" | \"regex:...\"",
                      value);
  }
  std::vector<ExtractRule> rules;
  for (const ConfigEntry& entry : table->entries) {
    auto text = read_text(entry.value, path + "." + entry.key);
    if (!text) return Error{text.error()};
    auto rule = parse_extract_rule(entry.key, *text);
    if (!rule) return Error{"key '" + one_line(path) + "': " + rule.error()};
    auto compiled = Extractor::compile(*rule);
    if (!compiled) return Error{"key '" + one_line(path) + "': " + compiled.error()};
    rules.push_back(std::move(*rule));
  }
  return rules;
}

Status read_step_entry(const ConfigEntry& entry, const std::string& path, ScenarioStep& step) {
  const std::string at = path + "." + entry.key;
  auto text = [&](std::string& out) -> Status {
    auto value = read_text(entry.value, at);
    if (!value) return Error{value.error()};
    out = std::move(*value);
    return Ok{};
  };
  if (entry.key == "name") return text(step.name);
  if (entry.key == "path") return text(step.path);
  if (entry.key == "url") return text(step.url);
  if (entry.key == "method") {
    auto status = text(step.method);
    std::transform(step.method.begin(), step.method.end(), step.method.begin(),
                   [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    if (status && !is_token(step.method)) {
      return Error{"key '" + one_line(at) + "': '" + one_line(step.method) +
                   "' is not an HTTP method"};
    }
    return status;
  }
  if (entry.key == "data" || entry.key == "assert_body_contains") {
    std::string value;
    auto status = text(value);
    (entry.key == "data" ? step.data : step.assert_body_contains) = std::move(value);
    return status;
  }
  if (entry.key == "headers") {
    auto headers = read_strings(entry.value, at);
    if (!headers) return Error{headers.error()};
    step.headers = std::move(*headers);
    return Ok{};
  }
  if (entry.key == "vars") {
    auto vars = read_vars(entry.value, at);
    if (!vars) return Error{vars.error()};
    step.vars = std::move(*vars);
    return Ok{};
  }
  if (entry.key == "assert_status") {
    const auto* status = std::get_if<int64_t>(&entry.value);
    if (status == nullptr) return wrong_type(key(at), "an integer (an HTTP status)", entry.value);
    if (*status < 100 || *status > 999) {
      return Error{"key '" + at + "' must be a status code from 100 to 999, not " +
                   std::to_string(*status)};
    }
    step.assert_status = static_cast<int>(*status);
    return Ok{};
  }
  if (entry.key == "think_time") {
    auto pause = read_duration(entry.value, key(at), DurationRule{.zero_allowed = true});
    if (!pause) return Error{pause.error()};
    step.think_time = *pause;
    return Ok{};
  }
  auto rules = read_extract(entry.value, at);
  if (!rules) return Error{rules.error()};
  step.extract = std::move(*rules);
  return Ok{};
}

Result<ScenarioStep> read_step(const ConfigTable& table, const std::string& path, size_t number) {
  ScenarioStep step;
  for (const ConfigEntry& entry : table.entries) {
    if (!known(kStepKeys, entry.key)) {
      return unknown_key(path + "." + entry.key, entry.key, kStepKeys);
    }
    auto status = read_step_entry(entry, path, step);
    if (!status) return Error{status.error()};
  }
  if (step.name.empty()) step.name = "step " + std::to_string(number);
  return step;
}

Result<std::vector<ScenarioStep>> read_steps(const ConfigValue& value, const std::string& path) {
  const auto* tables = std::get_if<std::vector<ConfigTable>>(&value);
  const auto* strings = std::get_if<std::vector<std::string>>(&value);
  if (strings != nullptr && strings->empty()) return std::vector<ScenarioStep>{};
  if (tables == nullptr) {
    return wrong_type(key(path), "an array of tables ([[" + path + "]])", value);
  }
  std::vector<ScenarioStep> steps;
  for (size_t index = 0; index < tables->size(); ++index) {
    auto step =
        read_step((*tables)[index], path + "[" + std::to_string(index + 1) + "]", index + 1);
    if (!step) return Error{step.error()};
    steps.push_back(std::move(*step));
  }
  return steps;
}

Result<CsvVars> read_csv(const ConfigValue& value, const std::string& path,
                         const std::string& base_dir) {
  auto given = read_text(value, path);
  if (!given) return Error{given.error()};
  if (given->empty()) return Error{"key '" + path + "' must name a CSV file"};
  std::filesystem::path file(*given);
  if (file.is_relative() && !base_dir.empty()) file = std::filesystem::path(base_dir) / file;
  auto csv = read_csv_vars(file.string());
  if (!csv) return Error{"key '" + path + "': " + csv.error()};
  csv->path = *given;
  return csv;
}

}  // namespace

Result<Scenario> read_scenario(const ConfigValue& value, const std::string& path,
                               const std::string& base_dir) {
  const auto* table = std::get_if<ConfigTable>(&value);
  if (table == nullptr) return wrong_type(key(path), "a table ([" + path + "])", value);
  Scenario scenario;
  for (const ConfigEntry& entry : table->entries) {
    const std::string at = path + "." + entry.key;
    if (!known(kScenarioKeys, entry.key)) return unknown_key(at, entry.key, kScenarioKeys);
    if (entry.key == "base_url") {
      auto text = read_text(entry.value, at);
      if (!text) return Error{text.error()};
      scenario.base_url = std::move(*text);
    } else if (entry.key == "vars") {
      auto vars = read_vars(entry.value, at);
      if (!vars) return Error{vars.error()};
      scenario.vars = std::move(*vars);
    } else if (entry.key == "vars_from_csv") {
      auto csv = read_csv(entry.value, at, base_dir);
      if (!csv) return Error{csv.error()};
      scenario.vars_from_csv = std::move(*csv);
    } else {
      auto steps = read_steps(entry.value, at);
      if (!steps) return Error{steps.error()};
      scenario.steps = std::move(*steps);
    }
  }
  if (scenario.steps.empty()) {
    return Error{"key '" + path + "' has no steps: add [[" + path + ".steps]] tables"};
  }
  return scenario;
}

Result<std::vector<std::pair<std::string, Scenario>>> read_scenario_registry(
    const ConfigValue& value, const std::string& base_dir) {
  const auto* table = std::get_if<ConfigTable>(&value);
  if (table == nullptr) return wrong_type(key("scenarios"), "a table ([scenarios.NAME])", value);
  std::vector<std::pair<std::string, Scenario>> registry;
  for (const ConfigEntry& entry : table->entries) {
    if (entry.key.empty()) return Error{"key 'scenarios': a scenario needs a name"};
    auto scenario = read_scenario(entry.value, "scenarios." + entry.key, base_dir);
    if (!scenario) return Error{scenario.error()};
    registry.emplace_back(entry.key, std::move(*scenario));
  }
  return registry;
}

Result<Scenario> scenario_from_json(std::string_view json, std::string_view subject,
                                    const std::string& base_dir) {
  const std::string prefix = std::string(subject) + ": ";
  auto value = parse_json_config_value(std::string(json));
  if (!value) return Error{prefix + value.error()};
  auto* table = std::get_if<ConfigTable>(&*value);
  if (table == nullptr) return Error{prefix + "the scenario JSON must be an object"};
  auto version =
      std::find_if(table->entries.begin(), table->entries.end(),
                   [](const ConfigEntry& entry) { return entry.key == "schema_version"; });
  if (version == table->entries.end()) {
    return Error{prefix + "the scenario JSON needs \"schema_version\": 1"};
  }
  const auto* number = std::get_if<int64_t>(&version->value);
  if (number == nullptr || *number != 1) {
    return Error{prefix + "\"schema_version\" must be 1, the only version this strest reads"};
  }
  table->entries.erase(version);
  auto scenario = read_scenario(*value, "scenario", base_dir);
  if (!scenario) return Error{prefix + scenario.error()};
  return scenario;
}

}  // namespace strest
