#pragma once
// The parts of validate() that have files of their own; only validate.cpp calls them.
#include "plan/plan.h"
#include "plan/result.h"
#include "plan/setting_origins.h"

namespace strest {

// The Plan's numbers against their bounds (validate_limits.cpp).
Status validate_limits(const Plan& plan, const SettingOrigins& origins);

// TLS, protocol, proxy and socket settings against the URL and each other (validate_transport.cpp).
Status validate_transport(const Plan& plan, const SettingOrigins& origins);

// The scenario that runs and the registry's entries (validate_scenario.cpp).
Status validate_scenario(const Plan& plan, const SettingOrigins& origins);

// A replay's windows and the files it writes (validate_replay.cpp).
// Distributed runs: each role's settings, tokens off loopback, the controller's control plane.
Status validate_distributed(const Plan& plan, const SettingOrigins& origins);

Status validate_replay(const Plan& plan, const SettingOrigins& origins);

}  // namespace strest
