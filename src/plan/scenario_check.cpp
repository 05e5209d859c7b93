#include "plan/scenario_check.h"

#include <algorithm>
#include <cstring>
#include <string>
#include <vector>

#include "plan/one_line.h"
#include "plan/template.h"
#include "plan/url.h"

namespace strest {
namespace {

constexpr bool is_tchar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
         std::strchr("!#$%&'*+-.^_`|~", c) != nullptr;
}

bool is_token(std::string_view text) {
  return !text.empty() &&
         std::all_of(text.begin(), text.end(), [](char c) { return c != '\0' && is_tchar(c); });
}

bool is_var_name(std::string_view name) {
  return !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '-' || c == '.';
  });
}

const std::string* find_var(const std::vector<ScenarioVar>& vars, std::string_view name) {
  for (const auto& [var, value] : vars) {
    if (var == name) return &value;
  }
  return nullptr;
}

bool contains(const std::vector<std::string>& names, std::string_view name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

// Checks every variable name the scenario declares, and that dynamic ones do not shadow others.
Status check_names(const Scenario& scenario, const std::string& where) {
  std::vector<std::string> fixed;  // scenario and step vars, built-ins
  for (const char* builtin : kScenarioBuiltins) fixed.emplace_back(builtin);
  auto add_fixed = [&](const std::vector<ScenarioVar>& vars, const std::string& at) -> Status {
    for (const auto& [name, value] : vars) {
      if (!is_var_name(name)) {
        return Error{at + ": variable name '" + one_line(name) +
                     "' may hold only letters, digits, '_', '-' and '.'"};
      }
      if (!contains(fixed, name)) fixed.push_back(name);
    }
    return Ok{};
  };
  if (auto status = add_fixed(scenario.vars, where + " vars"); !status) return status;
  for (const ScenarioStep& step : scenario.steps) {
    if (auto status = add_fixed(step.vars, where + " step '" + one_line(step.name) + "' vars");
        !status) {
      return status;
    }
  }
  if (scenario.vars_from_csv) {
    for (const std::string& column : scenario.vars_from_csv->columns) {
      if (!is_var_name(column) || contains(fixed, column)) {
        return Error{where + " vars_from_csv '" + one_line(scenario.vars_from_csv->path) +
                     "': column '" + one_line(column) +
                     (contains(fixed, column) ? "' reuses the name of a var or built-in: rename it"
                                              : "' is not a valid variable name: use letters, "
                                                "digits, '_', '-' and '.'")};
      }
    }
  }
  for (const ScenarioStep& step : scenario.steps) {
    for (const ExtractRule& rule : step.extract) {
      bool csv = scenario.vars_from_csv && contains(scenario.vars_from_csv->columns, rule.var);
      if (!is_var_name(rule.var) || contains(fixed, rule.var) || csv) {
        return Error{where + " step '" + one_line(step.name) + "': extract '" + one_line(rule.var) +
                     (is_var_name(rule.var) ? "' reuses the name of a var, CSV column or "
                                              "built-in: rename it"
                                            : "' is not a valid variable name: use letters, "
                                              "digits, '_', '-' and '.'")};
      }
    }
  }
  return Ok{};
}

Status check_template(const ScenarioScope& scope, const std::string& where, std::string_view text,
                      const std::string& what) {
  auto compiled =
      Template::compile(text, [&scope](std::string_view name) { return scope.lookup(name); });
  if (compiled) return Ok{};
  std::string message = where + ": " + compiled.error() + " in " + what;
  if (compiled.error().starts_with("unknown variable")) message += "; known: " + scope.known();
  return Error{message};
}

Status check_step_fields(const ScenarioStep& step, const std::string& where) {
  if (!is_token(step.method)) {
    return Error{where + ": method '" + one_line(step.method) + "' is not an HTTP method token"};
  }
  if (step.path.empty() == step.url.empty()) {
    return Error{where + ": give exactly one of path (joined to the base URL) and url"};
  }
  if (!step.path.empty() && step.path.front() != '/') {
    return Error{where + ": path '" + one_line(step.path) + "' must start with '/'"};
  }
  if (step.assert_status && (*step.assert_status < 100 || *step.assert_status > 999)) {
    return Error{where + ": assert_status " + std::to_string(*step.assert_status) +
                 " is not a status code (100 to 999)"};
  }
  if (step.think_time.count() < 0) return Error{where + ": think_time must not be negative"};
  for (const std::string& header : step.headers) {
    size_t colon = header.find(':');
    if (colon == std::string::npos || !is_token(std::string_view(header).substr(0, colon))) {
      return Error{where + ": header '" + one_line(header) + "' must be \"Name: value\""};
    }
    if (header.find_first_of("\r\n") != std::string::npos) {
      return Error{where + ": header '" + one_line(header.substr(0, colon)) +
                   "' holds a line break"};
    }
  }
  return Ok{};
}

Status check_step_templates(const ScenarioScope& scope, const ScenarioStep& step,
                            const std::string& where) {
  if (!step.path.empty()) {
    if (auto status = check_template(scope, where, step.path, "path"); !status) return status;
  }
  if (!step.url.empty()) {
    if (auto status = check_template(scope, where, step.url, "url"); !status) return status;
  }
  for (const std::string& header : step.headers) {
    size_t colon = header.find(':');
    std::string name = header.substr(0, colon);
    auto status = check_template(scope, where, std::string_view(header).substr(colon + 1),
                                 "header '" + one_line(name) + "'");
    if (!status) return status;
  }
  if (step.data) {
    if (auto status = check_template(scope, where, *step.data, "data"); !status) return status;
  }
  if (step.assert_body_contains) {
    auto status = check_template(scope, where, *step.assert_body_contains, "assert_body_contains");
    if (!status) return status;
  }
  return Ok{};
}

std::string origin_of(const Url& url) {
  return url.scheme + "://" + url.host + ":" + std::to_string(url.port);
}

}  // namespace

ScenarioScope::ScenarioScope(const Scenario& scenario) : scenario_(scenario) {
  for (const char* builtin : kScenarioBuiltins) dynamic_.emplace_back(builtin);
  if (scenario.vars_from_csv) {
    for (const std::string& column : scenario.vars_from_csv->columns) dynamic_.push_back(column);
  }
}

std::optional<TemplateVar> ScenarioScope::lookup(std::string_view name) const {
  if (step_ != nullptr) {
    if (const std::string* value = find_var(step_->vars, name)) return TemplateVar{*value, 0};
  }
  if (const std::string* value = find_var(scenario_.vars, name)) return TemplateVar{*value, 0};
  auto it = std::find(dynamic_.begin(), dynamic_.end(), name);
  if (it == dynamic_.end()) return std::nullopt;
  return TemplateVar{std::nullopt, static_cast<uint32_t>(it - dynamic_.begin())};
}

uint32_t ScenarioScope::add_extracted(const std::string& var) {
  auto it = std::find(dynamic_.begin(), dynamic_.end(), var);
  if (it != dynamic_.end()) return static_cast<uint32_t>(it - dynamic_.begin());
  dynamic_.push_back(var);
  return static_cast<uint32_t>(dynamic_.size() - 1);
}

std::string ScenarioScope::known() const {
  std::vector<std::string> names = dynamic_;
  for (const auto* vars : {&scenario_.vars, step_ != nullptr ? &step_->vars : nullptr}) {
    if (vars == nullptr) continue;
    for (const auto& [name, value] : *vars) {
      if (!contains(names, name)) names.push_back(name);
    }
  }
  std::string list;
  for (const std::string& name : names) list += (list.empty() ? "" : ", ") + one_line(name);
  return list;
}

Status check_scenario(const Scenario& scenario, std::string_view subject) {
  const std::string where(subject);
  if (scenario.steps.empty()) return Error{where + ": no steps: add at least one step"};
  if (scenario.base_url) {
    auto base = parse_url(*scenario.base_url);
    if (!base) return Error{where + " base_url: " + base.error()};
  }
  if (auto status = check_names(scenario, where); !status) return status;
  ScenarioScope scope(scenario);
  for (size_t i = 0; i < scenario.steps.size(); ++i) {
    const ScenarioStep& step = scenario.steps[i];
    std::string name = step.name.empty() ? "step " + std::to_string(i + 1) : step.name;
    std::string at = where + " step '" + one_line(name) + "'";
    if (auto status = check_step_fields(step, at); !status) return status;
    scope.enter(step);
    if (auto status = check_step_templates(scope, step, at); !status) return status;
    // What this step extracts is in scope for the steps after it only.
    for (const ExtractRule& rule : step.extract) scope.add_extracted(rule.var);
  }
  return Ok{};
}

std::string scenario_subject(const Plan& plan) {
  if (!plan.script.empty()) return "--script " + plan.script;
  if (!plan.scenario_name.empty()) return "scenarios." + plan.scenario_name;
  return "scenario";
}

Status check_scenario_origin(const Scenario& scenario, const Url& default_base,
                             std::string_view subject) {
  const std::string where(subject);
  Url base = default_base;
  if (scenario.base_url) {
    auto parsed = parse_url(*scenario.base_url);
    if (!parsed) return Error{where + " base_url: " + parsed.error()};
    base = std::move(*parsed);
  }
  if (base.host.empty()) {
    return Error{where + ": no base URL: set base_url in the scenario or pass --url"};
  }
  for (size_t i = 0; i < scenario.steps.size(); ++i) {
    const ScenarioStep& step = scenario.steps[i];
    if (step.url.empty()) continue;
    std::string name = step.name.empty() ? "step " + std::to_string(i + 1) : step.name;
    std::string at = where + " step '" + one_line(name) + "'";
    // Templates may fill the path only: the origin part must be literal.
    std::string_view text = step.url;
    size_t scheme_end = text.find("://");
    size_t path_start =
        scheme_end == std::string_view::npos ? 0 : text.find_first_of("/?", scheme_end + 3);
    std::string_view origin_part = text.substr(0, path_start);
    if (origin_part.find("{{") != std::string_view::npos) {
      return Error{at + ": url '" + one_line(step.url) +
                   "': templates may fill its path, not its origin"};
    }
    auto url = parse_url(origin_part);
    if (!url) return Error{at + ": url '" + one_line(step.url) + "': " + url.error()};
    if (origin_of(*url) != origin_of(base)) {
      return Error{at + ": url '" + one_line(step.url) + "' is not on the base URL's origin (" +
                   origin_of(base) + "): an iteration runs on one connection; use path"};
    }
  }
  return Ok{};
}

}  // namespace strest
