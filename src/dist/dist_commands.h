#pragma once
// The distributed side of `strest` (docs/distributed.md): a plan with `distributed` set runs
// as a controller or as an agent instead of a load test of its own.
#include "plan/plan.h"

namespace strest {

// Dispatches on plan.distributed->role; returns the process exit code.
int run_distributed_command(const Plan& plan);

}  // namespace strest
