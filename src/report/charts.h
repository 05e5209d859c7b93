#pragma once
// PNG charts of a finished run: the twelve files the README lists, written at the end from the
// RunResult's per-second series and totals (see docs/charts.md for what each one shows).
#include <string>
#include <vector>

#include "metrics/run_result.h"
#include "plan/result.h"

namespace strest {

// Creates `directory` (and its parents) and writes the twelve charts into it, overwriting files
// of the same names. Returns their paths in the README's order. A run without seconds still
// gives twelve valid PNGs, each with a "no data" note. Safe to call from any thread (PLplot
// calls are serialised), but it blocks for about a second: call it once, at the end.
Result<std::vector<std::string>> write_charts(const RunResult& result,
                                              const std::string& directory);

// The default charts folder: $HOME/.strest/charts (./.strest/charts when HOME is not set).
std::string default_charts_path();

// A new folder for this run's charts under `base`: base/run-YYYYmmdd-HHMMSS in local time, with
// "-2", "-3", ... appended when that folder already exists. Creates it (and `base`), so two runs
// in the same second never share a folder; on an error it returns the path anyway and
// write_charts reports the problem.
std::string run_charts_folder(const std::string& base);

}  // namespace strest
