#include "cli/capacity_flags.h"

#include <CLI/CLI.hpp>
#include <cmath>
#include <utility>

#include "cli/config_value.h"
#include "cli/settings_table.h"

namespace strest {
namespace {

// Bounds of --precision, as fractions: finer than 0.1% costs steps that noise cannot pay for.
constexpr double kMinPrecision = 0.001;
constexpr double kMaxPrecision = 0.5;
// Without --min-rate the ramp starts at --max-rate / 16: four doublings below it.
constexpr double kDefaultMinRateDivisor = 16;

// "5%" or "5" (both five percent).
Result<double> read_precision(const std::string& text) {
  std::string_view number = trim(text);
  if (number.ends_with('%')) number.remove_suffix(1);
  auto percent = read_rate(std::string(number), Source{"--precision", true}, RateRule{});
  const std::string fix = " (a percentage such as 5% or 2.5, between 0.1% and 50%)";
  if (!percent) return Error{percent.error() + fix};
  const double fraction = *percent / 100;
  if (fraction < kMinPrecision || fraction > kMaxPrecision) {
    return Error{"--precision " + text + " is out of range" + fix};
  }
  return fraction;
}

Result<Micros> read_step_length(const std::string& text, const char* flag, bool zero_allowed) {
  return read_duration(text, Source{flag, true}, DurationRule{.zero_allowed = zero_allowed});
}

// The flags, in the order messages name them, and what to use instead.
struct Refused {
  Field field;
  const char* instead;
};

}  // namespace

void CapacityFlags::add_to(CLI::App& capacity) {
  max_rate_option =
      capacity.add_option("--max-rate", max_rate, "Required: the highest rate tried, requests/s")
          ->type_name("RPS");
  min_rate_option =
      capacity.add_option("--min-rate", min_rate, "The first rate tried (default: --max-rate/16)")
          ->type_name("RPS");
  capacity
      .add_option("--precision", precision,
                  "Stop when the knee and the first failing rate are this close")
      ->type_name("PERCENT")
      ->default_str(precision);
  capacity.add_option("--step-duration", step_duration, "Measured length of each step")
      ->type_name("DURATION")
      ->default_str(step_duration);
  capacity
      .add_option("--step-warmup", step_warmup,
                  "Run before each step's measured part, left out of its results")
      ->type_name("DURATION")
      ->default_str(step_warmup);
}

Result<CapacitySettings> read_capacity_flags(const CapacityFlags& flags) {
  if (flags.max_rate_option->count() == 0) {
    return Error{
        "strest capacity needs --max-rate RPS, the highest rate to try (e.g. --max-rate 5000): "
        "the search never goes above it"};
  }
  CapacitySettings settings;
  auto max_rate = read_rate(flags.max_rate, Source{"--max-rate", true}, RateRule{});
  if (!max_rate) return Error{max_rate.error()};
  settings.max_rate = *max_rate;
  settings.min_rate = *max_rate / kDefaultMinRateDivisor;
  if (flags.min_rate_option->count() > 0) {
    auto min_rate = read_rate(flags.min_rate, Source{"--min-rate", true}, RateRule{});
    if (!min_rate) return Error{min_rate.error()};
    if (*min_rate > *max_rate) {
      return Error{"--min-rate " + flags.min_rate + " is above --max-rate " + flags.max_rate +
                   ": the search ramps up from --min-rate to at most --max-rate"};
    }
    settings.min_rate = *min_rate;
  }
  auto precision = read_precision(flags.precision);
  if (!precision) return Error{precision.error()};
  settings.precision = *precision;
  auto duration = read_step_length(flags.step_duration, "--step-duration", false);
  if (!duration) return Error{duration.error()};
  settings.step_duration = *duration;
  auto warmup = read_step_length(flags.step_warmup, "--step-warmup", true);
  if (!warmup) return Error{warmup.error()};
  settings.step_warmup = *warmup;
  return settings;
}

Status refuse_capacity_flags(const RawOptions& cli) {
  const Refused refused[] = {
      {&RawOptions::load,
       "each step runs at the rate the search picks (see --min-rate, --max-rate)"},
      {&RawOptions::duration, "use --step-duration"},
      {&RawOptions::requests, "each step runs for --step-duration"},
      {&RawOptions::warmup, "use --step-warmup"},
      {&RawOptions::export_csv, "a search writes -o FILE (JSON) and capacity.png"},
      {&RawOptions::export_json, "a search writes -o FILE (JSON) and capacity.png"},
      {&RawOptions::export_jsonl, "a search writes -o FILE (JSON) and capacity.png"},
      {&RawOptions::db_url, "a search writes -o FILE (JSON) and capacity.png"},
      {&RawOptions::replay, "run strest --replay on its own"},
      {&RawOptions::controller_listen, "a search runs on this machine alone"},
      {&RawOptions::agent_join, "a search runs on this machine alone"},
      {&RawOptions::install_service, "install a controller or an agent without 'capacity'"},
      {&RawOptions::uninstall_service, "uninstall without 'capacity'"},
  };
  for (const auto& [field, instead] : refused) {
    const bool given = std::visit([&](auto member) { return (cli.*member).has_value(); }, field);
    if (given) {
      return Error{flag_of(setting_of(field)) + " does not apply to 'strest capacity': " + instead};
    }
  }
  return Ok{};
}

RawOptions without_per_run_settings(RawOptions options) {
  options.load.reset();
  options.duration.reset();
  options.requests.reset();
  options.warmup.reset();
  options.export_csv.reset();
  options.export_json.reset();
  options.export_jsonl.reset();
  options.db_url.reset();
  options.sinks.reset();
  options.dist_role.reset();
  options.controller_listen.reset();
  options.agent_join.reset();
  return options;
}

Status check_capacity_plan(const Plan& plan) {
  if (plan.thresholds.empty()) {
    return Error{
        "strest capacity needs at least one SLO to hold: --threshold 'p99<200ms' (repeatable, "
        "e.g. also --threshold 'error_rate<1%'), or [thresholds] in the config file"};
  }
  if (plan.output_path && plan.output_format != OutputFormat::kJson &&
      plan.output_format != OutputFormat::kText) {
    return Error{"-o " + *plan.output_path +
                 ": strest capacity writes its result as json or text; pass --output-format "
                 "json or text"};
  }
  return Ok{};
}

}  // namespace strest
