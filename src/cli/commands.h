#pragma once
// The three things the binary can do, each returning the process exit code.
#include <string>

#include "plan/exit_codes.h"
#include "plan/plan.h"

namespace strest {

// Runs the load test of `plan`, prints the summary, writes --output; 128+signal if interrupted.
int run_load_command(const Plan& plan);
// Rebuilds the results of a recorded run (plan.replay) and writes the same outputs.
int run_replay_command(const Plan& plan);
// Starts the built-in target in this process and load-tests `path` on it.
int run_demo_command(Plan plan, const std::string& path);
// Serves the built-in target on `listen` ("host:port", port 0 = free) until SIGINT/SIGTERM.
int run_target_command(const std::string& listen);

}  // namespace strest
