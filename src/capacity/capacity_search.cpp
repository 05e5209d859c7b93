#include "capacity/capacity_search.h"

#include <algorithm>

namespace strest {
namespace {

// The search so far: its result, and the rates the bisection narrows between.
class Search {
 public:
  Search(const CapacitySettings& settings, const CapacityStepRunner& run)
      : settings_(settings), run_(run) {
    result_.settings = settings;
  }

  CapacityResult run() {
    if (!ramp()) return finish(CapacityOutcome::kInterrupted);
    if (!result_.knee) return finish(CapacityOutcome::kMinRateFailed);
    if (!result_.first_failing) return finish(CapacityOutcome::kMaxRateHeld);
    while (!narrow_enough()) {
      const double middle = (rate_of(result_.knee) + rate_of(result_.first_failing)) / 2;
      if (!step(middle, CapacityPhase::kBisect)) return finish(CapacityOutcome::kInterrupted);
    }
    return finish(CapacityOutcome::kKneeFound);
  }

 private:
  // Steps up until one fails or max_rate passes; false when interrupted.
  bool ramp() {
    double rate = std::min(settings_.min_rate, settings_.max_rate);
    for (;;) {
      if (!step(rate, CapacityPhase::kRamp)) return false;
      if (result_.first_failing || rate >= settings_.max_rate) return true;
      rate = std::min(rate * settings_.ramp_factor, settings_.max_rate);
    }
  }

  // Runs one step and files it as the new knee or the new first failure; false when interrupted.
  bool step(double rate, CapacityPhase phase) {
    std::optional<CapacityStep> ran = run_(rate, phase);
    if (!ran) return false;
    ran->phase = phase;
    ran->offered_rps = rate;
    result_.steps.push_back(std::move(*ran));
    const size_t index = result_.steps.size() - 1;
    (result_.steps.back().passed() ? result_.knee : result_.first_failing) = index;
    return true;
  }

  bool narrow_enough() const {
    const double knee = rate_of(result_.knee);
    return rate_of(result_.first_failing) - knee <= settings_.precision * knee;
  }

  double rate_of(std::optional<size_t> index) const { return result_.steps[*index].offered_rps; }

  CapacityResult finish(CapacityOutcome outcome) {
    result_.outcome = outcome;
    return std::move(result_);
  }

  const CapacitySettings& settings_;
  const CapacityStepRunner& run_;
  CapacityResult result_;
};

}  // namespace

CapacityResult search_capacity(const CapacitySettings& settings, const CapacityStepRunner& run) {
  return Search(settings, run).run();
}

}  // namespace strest
