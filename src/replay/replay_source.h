#pragma once
// Reads the requests a replay works on, from a run log (file or folder) or an export.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "metrics/run_facts.h"
#include "metrics/run_log_format.h"
#include "plan/plan.h"
#include "plan/result.h"

namespace strest {

struct ReplaySource {
  std::vector<RunLogRecord> records;      // every recorded request (40 bytes each in memory)
  std::vector<RunLogRecord> tick_events;  // version 2 run logs: per-tick facts of each worker
  // Version 2 run logs of a run that ended: how it ended, and the first error detail per kind.
  std::optional<RunFacts> facts;
  std::array<std::string, kTransportErrorKinds> error_details;
  // Scenario runs: the step names (the run log's, or an export's step_name column) and the
  // first assert-failure detail per step (run logs only).
  std::vector<std::string> step_names;
  std::vector<std::string> assert_details;
  bool open_loop = false;
  std::string target;      // the URL when the source names it, else a description
  bool truncated = false;  // a run log was cut short (its last record was ignored)
};

Result<ReplaySource> load_replay_source(const ReplayOptions& options);

}  // namespace strest
