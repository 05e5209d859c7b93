#include "ui/restore_terminal.h"

#include <signal.h>
#include <termios.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>

namespace strest {

namespace {

struct termios g_saved {};
std::atomic<bool> g_saved_valid{false};
std::atomic<bool> g_active{false};
std::atomic<void (*)()> g_graceful{nullptr};

constexpr int kCrashSignals[] = {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT};

void on_crash_signal(int signal_number) {
  restore_terminal_now();
  // SA_RESETHAND put the default action back: the signal now ends the process as it would
  // have (core dump included).
  raise(signal_number);
}

void at_exit() {
  if (!g_active.exchange(false)) return;
  if (auto graceful = g_graceful.load()) graceful();
}

}  // namespace

void save_terminal_state() {
  if (tcgetattr(STDIN_FILENO, &g_saved) == 0) g_saved_valid = true;
}

void install_terminal_restore(void (*graceful)()) {
  static const bool registered = std::atexit(at_exit) == 0;
  (void)registered;
  g_graceful = graceful;
  g_active = true;
  struct sigaction action {};
  action.sa_handler = &on_crash_signal;
  action.sa_flags = SA_RESETHAND;
  sigemptyset(&action.sa_mask);
  for (int signal_number : kCrashSignals) sigaction(signal_number, &action, nullptr);
}

void clear_terminal_restore() {
  g_active = false;
  for (int signal_number : kCrashSignals) signal(signal_number, SIG_DFL);
}

void restore_terminal_now() {
  if (!g_active.exchange(false)) return;
  // Leave the alternate screen, show the cursor, reset attributes, start a fresh line.
  static constexpr char kReset[] = "\x1b[0m\x1b[?25h\x1b[?1049l\r\n";
  ssize_t ignored = write(STDOUT_FILENO, kReset, sizeof kReset - 1);
  (void)ignored;
  if (g_saved_valid) tcsetattr(STDIN_FILENO, TCSANOW, &g_saved);
}

}  // namespace strest
