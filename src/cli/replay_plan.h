#pragma once
// `strest --replay`: which recorded run to read (an export named by --export-csv, --export-json
// or --export-jsonl, else a run log under --tmp-path), the replay and snapshot windows, and the
// settings a replay shares with a run (output, thresholds, charts, SQLite). A replay sends
// nothing, so the flags that shape traffic are refused rather than silently ignored.
#include "cli/options.h"
#include "cli/plan_steps.h"
#include "plan/plan.h"
#include "plan/result.h"

namespace strest {

// With --replay: fills plan, plan.replay included. Only the command line names the input (a
// config's export_* keys describe a run's outputs); a config's tmp_path is where run logs are.
// Input files must exist. Validates the plan; the error names the flag or key and the fix.
Status build_replay_plan(const RawOptions& options, const Origins& origins, Plan& plan);

// With --replay: refuses every command-line flag the settings table marks as shaping traffic
// (Setting::shapes_traffic), naming it: a replay sends nothing, so it would be ignored. A config
// file's keys describe runs and are not refused.
Status refuse_traffic_flags(const RawOptions& cli);

// Without --replay: refuses the flags only a replay takes ("--replay-start needs --replay").
Status refuse_replay_flags(const RawOptions& cli);

}  // namespace strest
