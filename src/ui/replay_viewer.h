#pragma once
// The interactive replay: the live dashboard fed by the replay reader at the original pace,
// with keys to pause, seek by --replay-step, restart, mark a window and write its snapshot.
#include "plan/plan.h"
#include "plan/result.h"
#include "ui/terminal.h"

namespace strest {

// Shows plan.replay's recording on `terminal` until q (or Ctrl+C). Fails before drawing
// anything when the recording cannot be read.
Status run_replay_viewer(const Plan& plan, Terminal& terminal);

}  // namespace strest
