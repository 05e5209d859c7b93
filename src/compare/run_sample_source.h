#pragma once
// Reads one side of `strest compare`: a run log (a .srl file, every shard of its run, or a
// folder: its newest run) or a per-request export (.csv, .json, .jsonl), streamed through the
// existing readers into a RunSample, so memory stays flat however many records the run has.
#include <string>

#include "compare/run_sample.h"
#include "plan/result.h"

namespace strest {

// Errors are one line naming the file and what to pass instead.
Result<RunSample> load_run_sample(const std::string& path);

}  // namespace strest
