#pragma once
// Agent: joins a controller (plan.distributed->join), runs each share of a plan it is sent with
// its own engine, and streams what it measured back. A load generator never runs orphaned: when
// the stream breaks or the controller goes silent for the heartbeat timeout, the run stops at
// once. With standby it stays connected between runs and reconnects after losing the
// controller; without, it leaves after one run.
#include "plan/plan.h"

namespace strest::dist {

// Runs the agent of `local` (its role must be kAgent) until it is done; returns the exit code:
// 0 after a run (without standby), 1 when the controller cannot be reached or was lost, 2 when
// the controller refused it (wrong token, duplicate id, other version), 128 + signal when
// stopped by SIGINT/SIGTERM. `local` holds the agent's own settings, which the plan it is sent
// keeps (plan_share.h).
int run_agent(const Plan& local);

}  // namespace strest::dist
