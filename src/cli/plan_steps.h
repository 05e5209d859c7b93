#pragma once
// The steps that turn merged RawOptions into a Plan, each filling one concern (the target,
// bodies, output files, load shape, run log, reports, transport). They parse what is still text
// (the URL, the proxy, files to read) and name the flag or config key at fault; checks of the
// values and how they combine are plan/validate.h's, which build_plan runs at the end.
// command_line.cpp runs them all for a run or a demo; a replay (replay_plan.h) runs the few it
// shares with a run.
#include <optional>
#include <string>
#include <string_view>

#include "cli/command_line.h"
#include "cli/options.h"
#include "cli/origins.h"
#include "plan/default_paths.h"
#include "plan/plan.h"
#include "plan/result.h"

namespace strest {

// Fills command.plan for a run, and command.demo_path in demo mode, then validates the plan;
// the error names the flag or config key and the fix.
Status build_plan(const RawOptions& options, const Origins& origins, ParsedCommand& command);

// TLS, protocol, proxy and socket settings (transport_steps.cpp); the proxy URL is parsed here.
Status apply_transport(const RawOptions& options, const Origins& origins, Plan& plan);

// The scenario that runs: [scenario], the [scenarios.NAME] entry --scenario picks, or the one
// --script's WASM module generates; also the registry (scenario_steps.cpp).
Status apply_scenario(const RawOptions& options, const Origins& origins, Plan& plan);

// --controller-listen / --agent-join and [distributed] into plan.distributed (left empty when
// neither role is asked for); tokens fall back to STREST_AUTH_TOKEN and
// STREST_CONTROL_AUTH_TOKEN (distributed_steps.cpp).
Status apply_distributed(const RawOptions& options, const Origins& origins, Plan& plan);

// An agent takes its target, scenario and load from its controller: any setting the table marks
// shapes_traffic, given by flag or config, is refused, as are [scenario] and [scenarios].
Status refuse_agent_traffic(const RawOptions& options, const Origins& origins);

// The steps a replay shares with a run.

// --output and --output-format (else the format --output's extension names).
Status apply_output(const RawOptions& options, const Origins& origins, Plan& plan);
// Thresholds from the config and the command line.
Status apply_thresholds(const RawOptions& options, const Origins& origins, Plan& plan);
// --no-charts, --charts-path, --db-url and the config's [sinks].
Status apply_reports(const RawOptions& options, const Origins& origins, Plan& plan);

}  // namespace strest
