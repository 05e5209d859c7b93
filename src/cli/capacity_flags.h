#pragma once
// `strest capacity`: its own flags (--min-rate, --max-rate, --precision, --step-duration,
// --step-warmup) on the subcommand, and the run settings it refuses because it sets them per
// step itself. The rest of the command line is an ordinary run's and describes every step.
#include <string>

#include "capacity/capacity_result.h"
#include "cli/options.h"
#include "plan/plan.h"
#include "plan/result.h"

namespace CLI {
class App;
class Option;
}  // namespace CLI

namespace strest {

// The capacity flags as typed, with the defaults --help shows; read_capacity_flags checks them.
struct CapacityFlags {
  std::string min_rate;
  std::string max_rate;
  std::string precision = "5%";
  std::string step_duration = "10s";
  std::string step_warmup = "2s";
  CLI::Option* min_rate_option = nullptr;
  CLI::Option* max_rate_option = nullptr;

  // Registers the flags on the `capacity` subcommand.
  void add_to(CLI::App& capacity);
};

// The settings the flags give; the error names the flag and the fix. --max-rate is required;
// --min-rate defaults to a sixteenth of it (four doublings below).
Result<CapacitySettings> read_capacity_flags(const CapacityFlags& flags);

// Run flags a capacity search cannot take: those that set the rate, the length or the warmup
// of a run (each step sets its own), per-request outputs (exports, --db-url), --replay and the
// distributed and service roles. `cli` holds the flags only: the same settings from a config
// file are dropped by without_per_run_settings, so one config serves runs and searches.
Status refuse_capacity_flags(const RawOptions& cli);

// `options` without the config's settings that refuse_capacity_flags refuses as flags.
RawOptions without_per_run_settings(RawOptions options);

// What a search needs of the plan built from the other flags: at least one SLO (--threshold),
// and -o in json or text.
Status check_capacity_plan(const Plan& plan);

}  // namespace strest
