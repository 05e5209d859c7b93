#include "cli/config_tables.h"

#include <algorithm>
#include <filesystem>
#include <limits>
#include <string>

namespace strest {
namespace {

constexpr std::string_view kLoadKeys[] = {"rate", "rpm", "stages"};
constexpr std::string_view kStageKeys[] = {"duration", "target", "rate", "rpm"};
constexpr std::string_view kThresholdKeys[] = {"checks", "abort_on_fail", "abort_delay"};
constexpr std::string_view kSinksKeys[] = {"update_interval_ms", "prometheus", "otel", "influx"};
constexpr std::string_view kSinkKeys[] = {"path"};

Source key(const std::string& path) { return Source{"key '" + path + "'", false}; }

Error unknown_key(const std::string& path, std::string_view name,
                  std::span<const std::string_view> known) {
  return Error{"unknown key '" + path + "'" + did_you_mean(name, known)};
}

// The one rate a table gives under one of `names`, in requests per second; nullopt if none.
// Rates here may be 0 (a ramp from zero); per-minute keys are named "rpm".
Result<std::optional<double>> one_rate(const ConfigTable& table, const std::string& path,
                                       std::span<const std::string_view> names) {
  std::optional<double> rate;
  std::vector<std::string> given;
  for (const ConfigEntry& entry : table.entries) {
    if (std::find(names.begin(), names.end(), entry.key) == names.end()) continue;
    auto value = read_rate(entry.value, key(path + "." + entry.key),
                           RateRule{.per_minute = entry.key == "rpm", .zero_allowed = true});
    if (!value) return Error{value.error()};
    rate = *value;
    given.push_back(entry.key);
  }
  if (given.size() > 1) {
    return Error{"key '" + path + "' sets both " + given[0] + " and " + given[1] + ": keep one"};
  }
  return rate;
}

Result<LoadStage> read_stage(const ConfigTable& stage, const std::string& path) {
  std::optional<Micros> duration;
  for (const ConfigEntry& entry : stage.entries) {
    if (std::find(std::begin(kStageKeys), std::end(kStageKeys), entry.key) ==
        std::end(kStageKeys)) {
      return unknown_key(path + "." + entry.key, entry.key, kStageKeys);
    }
    if (entry.key != "duration") continue;
    auto value = read_duration(entry.value, key(path + ".duration"), DurationRule{});
    if (!value) return Error{value.error()};
    duration = *value;
  }
  if (!duration) return Error{"key '" + path + "' needs a duration, e.g. duration = \"30s\""};
  constexpr std::string_view kRateKeys[] = {"target", "rate", "rpm"};
  auto target = one_rate(stage, path, kRateKeys);
  if (!target) return Error{target.error()};
  if (!*target) {
    return Error{"key '" + path + "' needs a target (requests per second) or rpm to ramp to"};
  }
  return LoadStage{*duration, **target};
}

// The stages array: [[load.stages]] in TOML, "stages": [{...}] in JSON; [] means none.
Result<std::vector<LoadStage>> read_stages(const ConfigValue& value) {
  const auto* tables = std::get_if<std::vector<ConfigTable>>(&value);
  const auto* strings = std::get_if<std::vector<std::string>>(&value);
  if (strings != nullptr && strings->empty()) return std::vector<LoadStage>{};
  if (tables == nullptr) {
    return wrong_type(key("load.stages"), "an array of tables ([[load.stages]])", value);
  }
  std::vector<LoadStage> stages;
  Micros total{0};
  for (size_t index = 0; index < tables->size(); ++index) {
    auto stage = read_stage((*tables)[index], "load.stages[" + std::to_string(index + 1) + "]");
    if (!stage) return Error{stage.error()};
    if (stage->duration > Micros::max() - total) return Error{"key 'load.stages' lasts too long"};
    total += stage->duration;
    stages.push_back(*stage);
  }
  return stages;
}

Status read_checks(const ConfigValue& value, const std::string& path,
                   std::vector<Threshold>& checks) {
  const auto* list = std::get_if<std::vector<std::string>>(&value);
  if (list == nullptr) {
    return wrong_type(key(path), "an array of expressions like [\"p99<200ms\"]", value);
  }
  for (const std::string& expression : *list) {
    auto check = read_threshold(expression, "thresholds:");
    if (!check) return Error{check.error()};
    checks.push_back(std::move(*check));
  }
  return Ok{};
}

// `p99 = "<200ms"`: the key is the metric, the value its condition.
Result<Threshold> read_keyed_check(const ConfigEntry& entry) {
  const Source source = key("thresholds." + entry.key);
  std::string near_miss = did_you_mean(entry.key, kThresholdKeys);
  if (!near_miss.empty()) return Error{"unknown key 'thresholds." + entry.key + "'" + near_miss};
  const auto* condition = std::get_if<std::string>(&entry.value);
  if (condition == nullptr) {
    return wrong_type(source, "a condition string such as \"<200ms\"", entry.value);
  }
  std::string_view text = trim(*condition);
  if (text.empty() || std::string_view("<>=!").find(text.front()) == std::string_view::npos) {
    return Error{source.subject + " must be a condition starting with <, <=, >, >=, == or != " +
                 "(e.g. \"<200ms\"), not '" + *condition + "'"};
  }
  return read_threshold(entry.key + std::string(text), "thresholds:");
}

Result<ThresholdTable> read_threshold_table(const ConfigTable& table) {
  ThresholdTable result;
  std::vector<Threshold> keyed;
  for (const ConfigEntry& entry : table.entries) {
    Status status = Ok{};
    if (entry.key == "checks") {
      status = read_checks(entry.value, "thresholds.checks", result.checks);
    } else if (entry.key == "abort_on_fail") {
      const auto* flag = std::get_if<bool>(&entry.value);
      if (flag == nullptr)
        return wrong_type(key("thresholds.abort_on_fail"), "true or false", entry.value);
      result.abort_on_fail = *flag;
    } else if (entry.key == "abort_delay") {
      auto delay = read_duration(entry.value, key("thresholds.abort_delay"),
                                 DurationRule{.zero_allowed = true});
      if (!delay) return Error{delay.error()};
      result.abort_delay = *delay;
    } else {
      auto check = read_keyed_check(entry);
      if (!check) return Error{check.error()};
      keyed.push_back(std::move(*check));
    }
    if (!status) return Error{status.error()};
  }
  result.checks.insert(result.checks.end(), keyed.begin(), keyed.end());
  return result;
}

// The largest update interval whose microseconds still fit in a Micros.
constexpr int64_t kMaxSinkIntervalMs = std::numeric_limits<int64_t>::max() / 1000;

Result<Micros> read_sink_interval(const ConfigValue& value) {
  const Source source = key("sinks.update_interval_ms");
  const auto* ms = std::get_if<int64_t>(&value);
  if (ms == nullptr) return wrong_type(source, "an integer number of milliseconds", value);
  if (*ms <= 0 || *ms > kMaxSinkIntervalMs) {
    return Error{source.subject + " must be an integer above 0 (got " + std::to_string(*ms) + ")"};
  }
  return Micros(*ms * 1000);
}

// Where [sinks.<name>] lands in a SinksConfig; nullptr for a name that is no sink.
std::optional<std::string>* sink_slot(SinksConfig& sinks, std::string_view name) {
  if (name == "prometheus") return &sinks.prometheus_path;
  if (name == "otel") return &sinks.otel_path;
  if (name == "influx") return &sinks.influx_path;
  return nullptr;
}

// The file name the reference README shows for each sink, for error messages.
std::string example_path(const std::string& name) {
  if (name == "prometheus") return "./out/strest.prom";
  if (name == "otel") return "./out/strest.otel.json";
  return "./out/strest." + name;
}

// [sinks.<name>]: a table with a non-empty path.
Result<std::string> read_sink_path(const ConfigValue& value, const std::string& name) {
  const std::string path = "sinks." + name;
  const auto* table = std::get_if<ConfigTable>(&value);
  if (table == nullptr) return wrong_type(key(path), "a table with path = \"FILE\"", value);
  std::optional<std::string> file;
  for (const ConfigEntry& entry : table->entries) {
    if (entry.key != "path") return unknown_key(path + "." + entry.key, entry.key, kSinkKeys);
    const auto* text = std::get_if<std::string>(&entry.value);
    if (text == nullptr) return wrong_type(key(path + ".path"), "a file path string", entry.value);
    if (text->empty()) return Error{"key '" + path + ".path' must not be empty"};
    file = *text;
  }
  if (!file) {
    return Error{"key '" + path + "' needs a path, e.g. path = \"" + example_path(name) + "\""};
  }
  return *file;
}

// Two sinks writing one file would overwrite each other every interval.
Status check_distinct_paths(const SinksConfig& sinks) {
  const std::pair<std::string_view, const std::optional<std::string>*> files[] = {
      {"prometheus", &sinks.prometheus_path},
      {"otel", &sinks.otel_path},
      {"influx", &sinks.influx_path}};
  for (size_t i = 0; i < std::size(files); ++i) {
    for (size_t j = i + 1; j < std::size(files); ++j) {
      const auto& [first_name, first] = files[i];
      const auto& [second_name, second] = files[j];
      if (!*first || !*second) continue;
      namespace fs = std::filesystem;
      if (fs::path(**first).lexically_normal() != fs::path(**second).lexically_normal()) continue;
      return Error{"keys 'sinks." + std::string(first_name) + ".path' and 'sinks." +
                   std::string(second_name) + ".path' name the same file '" + **first +
                   "': give each sink its own file"};
    }
  }
  return Ok{};
}

}  // namespace

Result<Threshold> read_threshold(std::string_view expression, const std::string& subject) {
  auto threshold = parse_threshold(expression);
  if (threshold) return threshold;
  // parse_threshold's reasons read "threshold 'p98<1s': ..."; the subject replaces the first word.
  const std::string& reason = threshold.error();
  constexpr std::string_view kWord = "threshold ";
  if (reason.rfind(kWord, 0) == 0) return Error{subject + " " + reason.substr(kWord.size())};
  return Error{subject + (subject.ends_with(':') ? " " : ": ") + reason};
}

Result<LoadProfile> read_load_table(const ConfigTable& table) {
  LoadProfile profile;
  for (const ConfigEntry& entry : table.entries) {
    if (std::find(std::begin(kLoadKeys), std::end(kLoadKeys), entry.key) == std::end(kLoadKeys)) {
      return unknown_key("load." + entry.key, entry.key, kLoadKeys);
    }
    if (entry.key != "stages") continue;
    auto stages = read_stages(entry.value);
    if (!stages) return Error{stages.error()};
    profile.stages = std::move(*stages);
  }
  constexpr std::string_view kRateKeys[] = {"rate", "rpm"};
  auto start = one_rate(table, "load", kRateKeys);
  if (!start) return Error{start.error()};
  if (!*start && profile.stages.empty()) {
    return Error{
        "key 'load' sets no rate: set load.rate (requests per second) or load.rpm, "
        "and add [[load.stages]] to ramp"};
  }
  profile.start_rps = start->value_or(0);
  bool all_zero = profile.start_rps == 0 &&
                  std::all_of(profile.stages.begin(), profile.stages.end(),
                              [](const LoadStage& stage) { return stage.target_rps == 0; });
  if (all_zero) {
    return Error{
        "key 'load': every rate is 0, so nothing would be sent; set load.rate or a "
        "stage target above 0"};
  }
  return profile;
}

Result<ThresholdTable> read_thresholds(const ConfigValue& value) {
  if (const auto* table = std::get_if<ConfigTable>(&value)) return read_threshold_table(*table);
  ThresholdTable result;
  if (std::holds_alternative<std::vector<std::string>>(value)) {
    auto status = read_checks(value, "thresholds", result.checks);
    if (!status) return Error{status.error()};
    return result;
  }
  return wrong_type(key("thresholds"),
                    "a table ([thresholds] with checks = [...]) or an array of expressions", value);
}

Result<SinksConfig> read_sinks(const ConfigValue& value) {
  const auto* table = std::get_if<ConfigTable>(&value);
  if (table == nullptr) {
    return wrong_type(key("sinks"), "a table ([sinks] with [sinks.prometheus] path = \"FILE\")",
                      value);
  }
  SinksConfig sinks;
  for (const ConfigEntry& entry : table->entries) {
    if (entry.key == "update_interval_ms") {
      auto interval = read_sink_interval(entry.value);
      if (!interval) return Error{interval.error()};
      sinks.update_interval = *interval;
      continue;
    }
    std::optional<std::string>* slot = sink_slot(sinks, entry.key);
    if (slot == nullptr) return unknown_key("sinks." + entry.key, entry.key, kSinksKeys);
    auto path = read_sink_path(entry.value, entry.key);
    if (!path) return Error{path.error()};
    *slot = std::move(*path);
  }
  auto distinct = check_distinct_paths(sinks);
  if (!distinct) return Error{distinct.error()};
  return sinks;
}

}  // namespace strest
