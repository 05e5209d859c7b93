#pragma once
// The snapshot the interactive replay writes with `w`: the results of the window between its
// two marks exactly as `--replay-start FROM --replay-end TO` replays them (requests started in
// the window), plus "snapshot_start_ms" and "snapshot_end_ms", in --replay-snapshot-format to
// --replay-snapshot-out (default ~/.strest/snapshots), like every other replay snapshot.
#include <cstdint>
#include <string>

#include "plan/plan.h"
#include "plan/result.h"

namespace strest {

// `plan` is the replay's (plan.replay set); `from_us` and `to_us` are run times. Returns where
// the snapshot was written.
Result<std::string> write_window_snapshot(const Plan& plan, int64_t from_us, int64_t to_us);

}  // namespace strest
