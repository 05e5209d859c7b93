#pragma once
// Everything a finished run (live or replayed) leaves behind, in one place: the summary on
// stdout, --output, exports, SQLite, charts, the --report page, and the run log kept or removed.
#include "metrics/run_result.h"
#include "plan/plan.h"

namespace strest {

// Writes every output the plan asks for. Returns false (after saying why on stderr) when one
// could not be written; the others are still attempted.
bool write_run_outputs(const RunResult& result, const Plan& plan);

// Removes the run log unless --keep-tmp (then says where it is).
void finish_run_log(const RunResult& result, const Plan& plan);

}  // namespace strest
