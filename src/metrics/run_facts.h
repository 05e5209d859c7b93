#pragma once
// RunFacts: what is known about a run as a whole once it ended (how long, why it stopped, its
// schedule). The engine measures them, the run log keeps them, replay reads them back, and
// assemble_run_result (run_assembly.h) turns them plus the Collector into one RunResult.
#include <cstdint>
#include <string>
#include <vector>

#include "metrics/run_result.h"

namespace strest {

struct RunFacts {
  std::string target{};   // URL as shown to the user
  int64_t wall_us = 0;    // start of sending to the last worker stopping
  int64_t warmup_us = 0;  // --warmup: left out of the measured window
  bool open_loop = false;
  bool replayed = false;
  // Open loop: requests the schedule asked for during the measured window, and its mean rate.
  double scheduled_requests = 0;
  double target_rps = 0;
  StopReason stop_reason = StopReason::kDuration;
  int signal = 0;
  // Scenario runs: the steps' names, by index (the plan's live, the run log's in a replay).
  std::vector<std::string> step_names{};
};

}  // namespace strest
