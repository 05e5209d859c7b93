#pragma once
// The summary's agent list for a distributed controller's run (RunResult::agents): one row per
// agent with its weight, what it sent, its health, and when it joined or dropped, so a lost
// agent is named next to what it had sent until then. Runs without agents get none of this.
#include <nlohmann/json.hpp>
#include <ostream>

#include "metrics/run_result.h"

namespace strest {

// The "Agents" table: id, weight, requests, errors, health, joined, dropped (seconds of run
// time; joined is negative for an agent that joined before the start), note. Nothing when the
// result has no agents.
void write_agents_text(const RunResult& result, std::ostream& out, bool color);

// [{agent_id, weight, requests, errors, health, joined_ms, dropped_ms (null unless dropped),
// note}], one per agent in join order.
nlohmann::json agents_json(const RunResult& result);

}  // namespace strest
