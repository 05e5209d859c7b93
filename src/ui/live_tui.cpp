#include "ui/live_tui.h"

#include <chrono>

#include "engine/stop_signal.h"
#include "ui/dashboard_view.h"
#include "ui/restore_terminal.h"

namespace strest {

namespace {
constexpr auto kRedrawEvery = std::chrono::milliseconds(100);  // at most 10 redraws a second
constexpr int kKeyWaitMs = 50;
}  // namespace

LiveTui::LiveTui(Terminal& terminal, DashboardSetup setup)
    : terminal_(terminal), model_(std::move(setup)), thread_([this] { run(); }) {}

LiveTui::~LiveTui() {
  stopping_ = true;
  thread_.join();
}

void LiveTui::on_snapshot(const Snapshot& snapshot) {
  std::lock_guard lock(mutex_);
  model_.update(snapshot);
  dirty_ = true;
}

void LiveTui::on_finish(const Snapshot& snapshot) {
  std::lock_guard lock(mutex_);
  model_.finish();
  model_.update(snapshot);
  dirty_ = true;
}

std::unique_ptr<LiveDashboard> LiveDashboard::open(const Plan& plan) {
  if (plan.no_tui) return nullptr;
  std::unique_ptr<Terminal> terminal = Terminal::open();
  if (!terminal) return nullptr;
  // A second Ctrl+C ends the process at once: the terminal must be given back first.
  set_immediate_exit_hook(&restore_terminal_now);
  return std::unique_ptr<LiveDashboard>(new LiveDashboard(std::move(terminal), plan));
}

LiveDashboard::LiveDashboard(std::unique_ptr<Terminal> terminal, const Plan& plan)
    : terminal_(std::move(terminal)),
      tui_(std::make_unique<LiveTui>(*terminal_,
                                     dashboard_setup_of(plan, plan.ui_window.count()))) {}

LiveDashboard::~LiveDashboard() {
  tui_.reset();
  terminal_.reset();
  set_immediate_exit_hook(nullptr);
}

void LiveTui::run() {
  bool show_help = false;
  auto last_draw = std::chrono::steady_clock::now() - kRedrawEvery;
  while (!stopping_) {
    const Key key = terminal_.read_key(kKeyWaitMs);
    if (key == Key::kQuit) request_stop(kStopByUser);
    if (key == Key::kHelp) show_help = !show_help;
    // A key or a resize shows at the next redraw, at most ten a second like the rest.
    if (key == Key::kHelp || key == Key::kResize) force_ = true;
    const auto now = std::chrono::steady_clock::now();
    if (now - last_draw < kRedrawEvery) continue;
    DashboardState state;
    {
      std::lock_guard lock(mutex_);
      if (!dirty_ && !force_) continue;
      dirty_ = false;
      state = model_.state();
    }
    force_ = false;
    Screen screen(terminal_.width(), terminal_.height());
    draw_dashboard(state, screen, show_help);
    terminal_.draw(screen);
    last_draw = now;
  }
}

}  // namespace strest
