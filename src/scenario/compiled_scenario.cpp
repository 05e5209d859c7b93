#include "scenario/compiled_scenario.h"

#include <algorithm>
#include <cctype>
#include <charconv>

#include "plan/scenario_check.h"
#include "text/ascii.h"

namespace strest {

namespace {

// Template slots of the built-ins, in kScenarioBuiltins order; CSV columns and extracted
// variables follow.
enum BuiltinSlot : uint32_t { kSeq, kStep, kTimestampMs, kTimestampS, kBuiltins };

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

void set_number(std::string& out, uint64_t value) {
  char digits[24];
  const auto end = std::to_chars(digits, digits + sizeof digits, value).ptr;
  out.assign(digits, end);
}

// The origin-form target of a step: its path under the base URL's path, or the path part of
// its full `url` (whose origin plan/validate has matched to the base URL).
std::string target_text(const ScenarioStep& step, const Url& base) {
  if (!step.url.empty()) {
    const size_t scheme_end = step.url.find("://");
    const size_t path_at =
        scheme_end == std::string::npos ? std::string::npos : step.url.find('/', scheme_end + 3);
    if (path_at == std::string::npos) {
      const size_t query_at = step.url.find('?', scheme_end == std::string::npos ? 0 : scheme_end);
      return query_at == std::string::npos ? "/" : "/" + step.url.substr(query_at);
    }
    return step.url.substr(path_at);
  }
  std::string prefix = base.target;
  const size_t query = prefix.find('?');
  if (query != std::string::npos) prefix.resize(query);
  while (!prefix.empty() && prefix.back() == '/') prefix.pop_back();
  if (step.path.empty()) return prefix.empty() ? "/" : prefix;
  return prefix + (step.path.front() == '/' ? "" : "/") + step.path;
}

// Where a body assert or an extract rule failed, in words.
void describe_status_failure(int wanted, int got, std::string& out) {
  out = "assert_status ";
  out += std::to_string(wanted);
  out += ", got ";
  out += std::to_string(got);
}

}  // namespace

Result<CompiledScenario> CompiledScenario::compile(const Plan& plan) {
  if (!plan.scenario) return Error{"no scenario to compile"};
  const Scenario& scenario = *plan.scenario;
  CompiledScenario compiled;
  compiled.scheme_ = plan.url.scheme;
  compiled.authority_ = plan.url.host_header;
  for (const Header& header : plan.headers) {
    std::string name = lower(header.name);
    if (name == "host") compiled.authority_ = header.value;
    if (is_connection_specific(name)) continue;
    compiled.fixed_headers_.emplace_back(std::move(name), header.value);
  }
  const bool has_user_agent =
      std::any_of(plan.headers.begin(), plan.headers.end(),
                  [](const Header& h) { return same_name(h.name, "User-Agent"); });
  if (plan.send_user_agent && !has_user_agent) {
    compiled.fixed_headers_.emplace_back("user-agent", default_user_agent());
  }
  if (plan.request_id_header) compiled.id_header_ = lower(*plan.request_id_header);

  // Slots as plan/validate numbered them: the built-ins, the CSV columns, then extracted vars.
  ScenarioScope scope(scenario);
  compiled.csv_first_slot_ = kBuiltins;
  if (scenario.vars_from_csv) compiled.csv_ = scenario.vars_from_csv;

  compiled.wants_headers_ = scenario.steps.size() > 1;  // cookies carry to the next step
  for (size_t index = 0; index < scenario.steps.size(); ++index) {
    const ScenarioStep& step = scenario.steps[index];
    const std::string where = "scenario step '" + step.name + "'";
    scope.enter(step);
    const TemplateLookup lookup = [&scope](std::string_view name) { return scope.lookup(name); };
    auto make = [&](std::string_view text, std::string_view what) -> Result<Template> {
      auto made = Template::compile(text, lookup);
      if (!made) return Error{where + ": " + made.error() + " in " + std::string(what)};
      return made;
    };

    CompiledStep out;
    out.name = step.name;
    out.method = step.method;
    auto target = make(target_text(step, plan.url), step.url.empty() ? "path" : "url");
    if (!target) return Error{target.error()};
    out.target = std::move(*target);
    for (const std::string& line : step.headers) {
      const size_t colon = line.find(':');
      if (colon == std::string::npos) return Error{where + ": header '" + line + "' has no ':'"};
      std::string name = lower(trim(std::string_view(line).substr(0, colon)));
      auto value = make(trim(std::string_view(line).substr(colon + 1)), "header '" + name + "'");
      if (!value) return Error{value.error()};
      out.headers.push_back(CompiledStep::Field{std::move(name), std::move(*value)});
    }
    if (step.data) {
      auto body = make(*step.data, "data");
      if (!body) return Error{body.error()};
      out.body = std::move(*body);
    }
    out.assert_status = step.assert_status;
    if (step.assert_body_contains) {
      auto contains = make(*step.assert_body_contains, "assert_body_contains");
      if (!contains) return Error{contains.error()};
      out.assert_body_contains = std::move(*contains);
      out.wants_body = true;
    }
    out.think_us = step.think_time.count();
    for (const ExtractRule& rule : step.extract) {
      auto extractor = Extractor::compile(rule);
      if (!extractor) return Error{where + ": " + extractor.error()};
      const uint32_t slot = scope.add_extracted(rule.var);
      if (rule.source == ExtractRule::Source::kHeader) {
        out.wants_headers = true;
      } else {
        out.wants_body = true;
      }
      out.extract.push_back(CompiledStep::Capture{std::move(*extractor), slot});
    }
    compiled.wants_headers_ = compiled.wants_headers_ || out.wants_headers;
    compiled.wants_body_ = compiled.wants_body_ || out.wants_body;
    compiled.steps_.push_back(std::move(out));
  }
  compiled.slot_count_ = scope.slot_count();
  return compiled;
}

std::vector<std::string> CompiledScenario::step_names() const {
  std::vector<std::string> names;
  names.reserve(steps_.size());
  for (const CompiledStep& step : steps_) names.push_back(step.name);
  return names;
}

void CompiledScenario::prepare(IterationState& state) const {
  state.values.assign(slot_count_, std::string());
  state.request.scheme = scheme_;
  state.request.authority = authority_;
  state.request.headers.reserve(fixed_headers_.size() + 8);
}

void CompiledScenario::begin_iteration(uint64_t iteration, IterationState& state) const {
  state.iteration = iteration;
  state.step = 0;
  set_number(state.values[kSeq], iteration);
  if (csv_ && !csv_->rows.empty()) {
    const std::vector<std::string>& row = csv_->rows[iteration % csv_->rows.size()];
    for (size_t column = 0; column < row.size(); ++column) {
      state.values[csv_first_slot_ + column] = row[column];
    }
  }
  for (size_t slot = csv_first_slot_ + (csv_ ? csv_->columns.size() : 0); slot < slot_count_;
       ++slot) {
    state.values[slot].clear();
  }
  state.cookies.clear();
}

void CompiledScenario::build_request(uint16_t index, uint64_t sequence, int64_t unix_us,
                                     IterationState& state) const {
  const CompiledStep& step = steps_[index];
  state.step = index;
  set_number(state.values[kStep], index + 1u);
  set_number(state.values[kTimestampMs], static_cast<uint64_t>(unix_us / 1000));
  set_number(state.values[kTimestampS], static_cast<uint64_t>(unix_us / 1'000'000));
  RequestParts& request = state.request;
  request.method = step.method;
  request.path.clear();
  step.target.append_to(state.values, request.path);
  // Header entries keep their strings' capacity from one request to the next.
  size_t used = 0;
  auto next_field = [&](std::string_view name) -> std::string& {
    if (used == request.headers.size()) request.headers.emplace_back();
    auto& field = request.headers[used++];
    field.first.assign(name);
    field.second.clear();
    return field.second;
  };
  for (const auto& [name, value] : fixed_headers_) next_field(name).assign(value);
  for (const CompiledStep::Field& field : step.headers) {
    field.value.append_to(state.values, next_field(field.name));
  }
  if (!state.cookies.empty()) state.cookies.append_header_value(next_field("cookie"));
  if (!id_header_.empty()) set_number(next_field(id_header_), sequence);
  request.body.clear();
  if (step.body) {
    step.body->append_to(state.values, request.body);
    set_number(next_field("content-length"), request.body.size());
  }
  request.headers.resize(used);
}

StepVerdict CompiledScenario::judge_response(uint16_t index, int expected_status,
                                             IterationState& state) const {
  const CompiledStep& step = steps_[index];
  CapturedResponse& response = state.response;
  for (const auto& [name, value] : response.headers) {
    if (same_name(name, "set-cookie")) state.cookies.store(value);
  }
  if (step.assert_status) {
    if (response.status != *step.assert_status) {
      describe_status_failure(*step.assert_status, response.status, state.scratch);
      return {StepVerdict::Kind::kAssertFailed, state.scratch};
    }
  } else if (response.status != expected_status) {
    return {StepVerdict::Kind::kNonExpectedStatus, {}};
  }
  if (step.assert_body_contains) {
    state.scratch.clear();
    step.assert_body_contains->append_to(state.values, state.scratch);
    if (response.body.find(state.scratch) == std::string::npos) {
      state.scratch.insert(0, "assert_body_contains '");
      state.scratch +=
          response.body_truncated ? "' not in the first 1 MiB of the body" : "' not in the body";
      return {StepVerdict::Kind::kAssertFailed, state.scratch};
    }
  }
  for (const CompiledStep::Capture& capture : step.extract) {
    state.values[capture.slot].clear();
    if (!capture.extractor.extract(response, state.values[capture.slot])) {
      state.scratch = "extract '" + capture.extractor.rule().text + "' found nothing";
      return {StepVerdict::Kind::kAssertFailed, state.scratch};
    }
  }
  return {StepVerdict::Kind::kOk, {}};
}

}  // namespace strest
