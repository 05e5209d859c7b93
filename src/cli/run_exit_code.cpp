#include "cli/run_exit_code.h"

#include "engine/stop_signal.h"
#include "plan/exit_codes.h"
#include "report/threshold_check.h"

namespace strest {

int exit_code_of(const RunResult& result, const Plan& plan, bool outputs_written,
                 bool threshold_aborted) {
  // A replay of an interrupted run tells how that run ended; it exits 128 + signal only when
  // it was interrupted itself.
  if (result.replayed && stop_signal() > 0) return 128 + stop_signal();
  if (result.stop_reason == StopReason::kSignal && !result.replayed) return 128 + result.signal;
  if (!outputs_written) return kExitFailure;
  if (!all_passed(judge_run(result, plan)) || threshold_aborted) return kExitThresholdFailed;
  return kExitOk;
}

}  // namespace strest
