#pragma once
// The nested tables of a config file: [load] (an arrival-rate profile with [[load.stages]]),
// [thresholds] (pass/fail checks) and [sinks] (metrics files rewritten during the run). Like
// top-level keys, unknown keys inside them are errors, named by their path ("unknown key
// 'load.stages[1].targt'"; stages count from 1, as the reference tool's "Stage 1" does).
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cli/config_value.h"
#include "plan/plan.h"
#include "plan/result.h"
#include "plan/threshold.h"

namespace strest {

// [load]: rate or rpm (the start rate; absent means 0), then stages, each with a duration and a
// target (alias rate) or rpm. At least one rate must be above 0. Errors start with "key 'load...'"
// or "unknown key 'load...'".
Result<LoadProfile> read_load_table(const ConfigTable& table);

// A threshold expression; a bad one reads "<subject> 'p98<1s': <reason>" (subject "--threshold"
// or "thresholds:").
Result<Threshold> read_threshold(std::string_view expression, const std::string& subject);

// What a [thresholds] table sets.
struct ThresholdTable {
  std::vector<Threshold> checks;  // `checks = [...]` first, then `metric = "condition"` keys
  std::optional<bool> abort_on_fail;
  std::optional<Micros> abort_delay;  // >= 0
};

// `thresholds = ["p99<200ms"]`, or a table with checks = [...], metric = "<condition>" keys,
// abort_on_fail and abort_delay. A bad expression reads "thresholds: 'p98<1s': <reason>".
Result<ThresholdTable> read_thresholds(const ConfigValue& value);

// [sinks]: update_interval_ms (an integer above 0; default 1000) and the tables prometheus, otel
// and influx, each with a non-empty path = "..." (two sinks may not share a file). Errors start
// with "key 'sinks...'" or "unknown key 'sinks...'", e.g. "unknown key 'sinks.prometheus.pth'".
Result<SinksConfig> read_sinks(const ConfigValue& value);

}  // namespace strest
