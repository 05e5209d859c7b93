#pragma once
// Giving the terminal back whatever happens: the TUI saves the terminal's settings before it
// takes it over; crash signals (SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT), exit() and a second
// Ctrl+C put them back before the process ends, so a shell is never left without echo or
// stuck in the alternate screen.
namespace strest {

// Saves the settings of the terminal on stdin (call before curses changes them).
void save_terminal_state();
// While the TUI owns the terminal: `graceful` (curses' own restore) runs at exit(), and crash
// signals restore the saved settings with async-signal-safe calls, then re-raise.
void install_terminal_restore(void (*graceful)());
// The TUI gave the terminal back itself: nothing left to do at exit or on a crash.
void clear_terminal_restore();
// Async-signal-safe: restores the saved settings, shows the cursor and leaves the alternate
// screen, if the TUI owns the terminal. For paths that end the process at once.
void restore_terminal_now();

}  // namespace strest
