#pragma once
// A Plan's traffic on the wire: the controller splits a Plan into one PlanShare per agent (by
// weight), and each agent rebuilds a Plan from its share plus its own local settings, then
// validates it like any other plan (plan/validate.h).
#include <cstdint>
#include <span>
#include <vector>

#include "dist/proto/dist.pb.h"
#include "plan/plan.h"
#include "plan/result.h"

namespace strest::dist {

// The controller splits a Plan into one share per agent, by weight (each >= 1). Connections
// (max_tasks) and max_requests are split by largest remainder, so the shares sum exactly to the
// plan's; every agent gets at least one connection (fewer connections than agents is an error
// naming --max-tasks). An open-loop rate (start_rps and every stage's target_rps) and
// spawn_rate (at least 1) are scaled by weight / total weight. Everything else is copied.
Result<std::vector<PlanShare>> split_plan(const strest::Plan& plan,
                                          std::span<const uint32_t> weights);

// An agent rebuilds a Plan from its share plus its own local settings (threads, tmp_path,
// keep_tmp, run_log, log_shards, verbose; no outputs, no TUI) and validates it with
// plan/validate.h like any other plan.
Result<strest::Plan> plan_from_share(const PlanShare& share, const strest::Plan& local);

}  // namespace strest::dist
