#include "plan/validate.h"

#include <filesystem>
#include <optional>
#include <utility>

#include "plan/duration.h"
#include "plan/validate_parts.h"
#include "text/ascii.h"

namespace strest {
namespace {

Status check_user_agent(const Plan& plan, const SettingOrigins& origins) {
  if (plan.send_user_agent || plan.authorized) return Ok{};
  if (origins.from_config("--no-ua")) {
    return Error{origins.file_of("--no-ua") +
                 ": no_ua = true requires authorized = true or --authorized (confirm you may "
                 "test this target)"};
  }
  return Error{"--no-ua requires --authorized (confirm you may test this target)"};
}

Status check_spawn(const Plan& plan, const SettingOrigins& origins) {
  if (!origins.given("--spawn-interval") || plan.spawn_rate) return Ok{};
  if (origins.from_config("--spawn-interval")) {
    return Error{origins.file_of("--spawn-interval") +
                 ": spawn_interval needs spawn_rate, the connections to open per interval (or "
                 "pass --spawn-rate)"};
  }
  return Error{
      "--spawn-interval needs --spawn-rate, the connections to open per interval "
      "(e.g. --spawn-rate 10 --spawn-interval 100)"};
}

// How long the run lasts, if that is known before it starts, and where that comes from.
std::optional<std::pair<Micros, std::string>> run_length(const Plan& plan,
                                                         const SettingOrigins& origins) {
  if (plan.duration) return std::pair{*plan.duration, origins.source("--duration")};
  if (!plan.max_requests) return std::pair{kDefaultDuration, std::string("the default; set -t")};
  return std::nullopt;
}

Status check_warmup(const Plan& plan, const SettingOrigins& origins) {
  auto run = run_length(plan, origins);
  if (plan.warmup.count() == 0 || !run || plan.warmup < run->first) return Ok{};
  return Error{origins.name("--warmup") + " (" + format_duration(plan.warmup) +
               ") must be shorter than the run (" + format_duration(run->first) + ", " +
               run->second + ")"};
}

// A window that starts when the run is already over would export nothing.
Status check_metrics_range(const Plan& plan, const SettingOrigins& origins) {
  auto run = run_length(plan, origins);
  if (!run || plan.metrics_window.from < run->first) return Ok{};
  return Error{origins.name("--metrics-range") + " starts at " +
               format_duration(plan.metrics_window.from) + ", when the run is over (" +
               format_duration(run->first) + ", " + run->second + "): nothing would be exported"};
}

Status check_request_id(const Plan& plan, const SettingOrigins& origins) {
  if (!plan.request_id_header) return Ok{};
  for (const Header& header : plan.headers) {
    if (same_name(header.name, *plan.request_id_header)) {
      return Error{origins.name("--request-id-header") + ": " + header.name +
                   " is also given as a fixed header; drop one of them"};
    }
  }
  return Ok{};
}

Status check_thresholds(const Plan& plan, const SettingOrigins& origins) {
  if (!plan.abort_on_fail || !plan.thresholds.empty()) return Ok{};
  if (origins.from_config("--abort-on-fail")) {
    return Error{origins.file_of("--abort-on-fail") +
                 ": thresholds.abort_on_fail = true needs a check: add checks = [\"p99<200ms\"] "
                 "or pass --threshold"};
  }
  return Error{
      "--abort-on-fail needs a threshold to check: add --threshold EXPR (e.g. "
      "--threshold 'p99<200ms') or a [thresholds] table to the config"};
}

// Exports, SQLite and csv/jsonl --output are written from the run log at the end.
Status check_run_log(const Plan& plan, const SettingOrigins& origins) {
  if (plan.run_log) return Ok{};
  const std::pair<bool, std::string> needs_log[] = {
      {plan.keep_tmp, origins.name("--keep-tmp")},
      {plan.export_csv.has_value(), origins.name("--export-csv")},
      {plan.export_json.has_value(), origins.name("--export-json")},
      {plan.export_jsonl.has_value(), origins.name("--export-jsonl")},
      {plan.db_url.has_value(), origins.name("--db-url")},
      {plan.output_path &&
           (plan.output_format == OutputFormat::kCsv || plan.output_format == OutputFormat::kJsonl),
       origins.name("--output") + " in csv or jsonl"}};
  for (const auto& [given, name] : needs_log) {
    if (given) return Error{name + " needs the run log: drop " + origins.name("--no-run-log")};
  }
  return Ok{};
}

// --output, the exports, --db-url and --report each write a file of their own: one path twice would
// be clobbered.
Status check_distinct_files(const Plan& plan, const SettingOrigins& origins) {
  const std::pair<const std::optional<std::string>&, const char*> files[] = {
      {plan.output_path, "--output"},      {plan.export_csv, "--export-csv"},
      {plan.export_json, "--export-json"}, {plan.export_jsonl, "--export-jsonl"},
      {plan.db_url, "--db-url"},           {plan.report_path, "--report"}};
  auto normal = [](const std::string& path) {
    return std::filesystem::path(path).lexically_normal();
  };
  for (size_t i = 0; i < std::size(files); ++i) {
    for (size_t j = i + 1; j < std::size(files); ++j) {
      if (!files[i].first || !files[j].first) continue;
      if (normal(*files[i].first) != normal(*files[j].first)) continue;
      return Error{origins.name(files[i].second) + " and " + origins.name(files[j].second) +
                   " both write '" + *files[j].first + "': give each its own file"};
    }
  }
  return Ok{};
}

using Check = Status (*)(const Plan&, const SettingOrigins&);

Status run_checks(std::initializer_list<Check> checks, const Plan& plan,
                  const SettingOrigins& origins) {
  for (Check check : checks) {
    auto status = check(plan, origins);
    if (!status) return status;
  }
  return Ok{};
}

}  // namespace

Status validate(const Plan& plan, const SettingOrigins& origins) {
  // A replay sends nothing: only what it writes, and its windows, are checked.
  if (plan.replay) {
    return run_checks({validate_distributed, validate_replay, check_thresholds}, plan, origins);
  }
  return run_checks(
      {validate_distributed, validate_limits, check_user_agent, check_spawn, check_warmup,
       check_request_id, check_thresholds, check_run_log, check_distinct_files, check_metrics_range,
       validate_transport, validate_scenario},
      plan, origins);
}

}  // namespace strest
