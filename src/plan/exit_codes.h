#pragma once
// Exit codes users and CI can rely on (see docs/exit-codes.md). Here, below every part, so that
// each command (run, replay, cleanup) returns them without depending on the CLI.

namespace strest {

inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;  // the run could not start or its output not be written
inline constexpr int kExitUsage = 2;    // bad flags, config or input files: nothing was sent
inline constexpr int kExitThresholdFailed = 3;  // the run finished, a threshold did not hold

}  // namespace strest
