#pragma once
// The search for the highest open-loop rate that holds a set of SLOs, apart from any network:
// it only decides which rate to try next and reads each step's verdict, so tests run whole
// searches against a simulated service instantly. capacity_command.cpp gives it real steps.
#include <functional>
#include <optional>

#include "capacity/capacity_result.h"

namespace strest {

// Runs one step at `rate` requests per second. nullopt stops the search (a signal, or a run
// that could not start); the caller knows why.
using CapacityStepRunner = std::function<std::optional<CapacityStep>(double rate, CapacityPhase)>;

// Ramps from settings.min_rate, multiplying by ramp_factor after each passing step (never above
// max_rate), until a step fails (an SLO broke, or the target degraded) or max_rate passes; then
// bisects between the highest passing and the lowest failing rate until they are within
// settings.precision of each other. Fills steps, knee, first_failing and outcome; target and
// slos are the caller's to set.
CapacityResult search_capacity(const CapacitySettings& settings, const CapacityStepRunner& run);

}  // namespace strest
