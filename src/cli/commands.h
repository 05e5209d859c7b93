#pragma once
// The three things the binary can do, each returning the process exit code.
#include <string>

#include "plan/plan.h"

namespace strest {

// Exit codes users and CI can rely on (see docs/exit-codes.md).
inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;  // the run could not start or its output not be written
inline constexpr int kExitUsage = 2;    // bad flags, config or input files: nothing was sent
inline constexpr int kExitThresholdFailed = 3;  // the run finished, a threshold did not hold

// Runs the load test of `plan`, prints the summary, writes --output; 128+signal if interrupted.
int run_load_command(const Plan& plan);
// Rebuilds the results of a recorded run (plan.replay) and writes the same outputs.
int run_replay_command(const Plan& plan);
// Starts the built-in target in this process and load-tests `path` on it.
int run_demo_command(Plan plan, const std::string& path);
// Serves the built-in target on `listen` ("host:port", port 0 = free) until SIGINT/SIGTERM.
int run_target_command(const std::string& listen);

}  // namespace strest
