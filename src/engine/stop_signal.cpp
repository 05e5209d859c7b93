#include "engine/stop_signal.h"

#include <signal.h>
#include <unistd.h>

#include <atomic>

namespace strest {

namespace {
std::atomic<int> g_stop_signal{0};
std::atomic<void (*)()> g_immediate_exit_hook{nullptr};
static_assert(std::atomic<int>::is_always_lock_free, "used from a signal handler");

void on_stop_signal(int signal_number) {
  int expected = 0;
  if (!g_stop_signal.compare_exchange_strong(expected, signal_number)) {
    if (auto hook = g_immediate_exit_hook.load()) hook();
    _exit(128 + signal_number);  // second Ctrl+C: the user wants out now
  }
}
}  // namespace

void install_stop_handlers() {
  struct sigaction action {};
  action.sa_handler = &on_stop_signal;
  sigemptyset(&action.sa_mask);
  sigaction(SIGINT, &action, nullptr);
  sigaction(SIGTERM, &action, nullptr);
  signal(SIGPIPE, SIG_IGN);
}

int stop_signal() { return g_stop_signal.load(std::memory_order_relaxed); }

void request_stop(int signal_number) { g_stop_signal.store(signal_number); }

void set_immediate_exit_hook(void (*hook)()) { g_immediate_exit_hook = hook; }

void clear_stop_request() { g_stop_signal.store(0); }

}  // namespace strest
