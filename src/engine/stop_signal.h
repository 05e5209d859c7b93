#pragma once
// Ctrl+C / SIGTERM handling: the first signal asks every worker to stop (they notice within a
// loop wake-up, a few milliseconds); a second one exits at once.
namespace strest {

// Not a signal: the run was stopped because a threshold failed (abort_on_fail).
inline constexpr int kStopForThreshold = -1;
// Not a signal: the user ended the run from the TUI (q); every result is kept, exit code 0.
inline constexpr int kStopByUser = -2;
// Not a signal: a distributed agent's controller asked it to stop, or was lost.
inline constexpr int kStopByController = -3;

// Installs SIGINT/SIGTERM handlers and ignores SIGPIPE.
void install_stop_handlers();
// The signal that asked the run to stop (or kStopForThreshold), 0 if none.
int stop_signal();
// Asks the run to stop as if `signal_number` had arrived (tests, internal shutdown).
void request_stop(int signal_number);
// Runs `hook` (async-signal-safe) before a second Ctrl+C ends the process at once: the TUI
// gives the terminal back there.
void set_immediate_exit_hook(void (*hook)());
// Forgets a previous stop request (for a second run in the same process).
void clear_stop_request();

}  // namespace strest
