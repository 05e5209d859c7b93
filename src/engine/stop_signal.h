#pragma once
// Ctrl+C / SIGTERM handling: the first signal asks every worker to stop (they notice within a
// loop wake-up, a few milliseconds); a second one exits at once.
namespace strest {

// Not a signal: the run was stopped because a threshold failed (abort_on_fail).
inline constexpr int kStopForThreshold = -1;

// Installs SIGINT/SIGTERM handlers and ignores SIGPIPE.
void install_stop_handlers();
// The signal that asked the run to stop (or kStopForThreshold), 0 if none.
int stop_signal();
// Asks the run to stop as if `signal_number` had arrived (tests, internal shutdown).
void request_stop(int signal_number);
// Forgets a previous stop request (for a second run in the same process).
void clear_stop_request();

}  // namespace strest
