#include "ui/live_tui.h"

#include <chrono>

#include "engine/stop_signal.h"
#include "ui/dashboard_view.h"

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

void LiveTui::run() {
  bool show_help = false;
  auto last_draw = std::chrono::steady_clock::now() - kRedrawEvery;
  while (!stopping_) {
    const Key key = terminal_.read_key(kKeyWaitMs);
    if (key == Key::kQuit) request_stop(kStopByUser);
    if (key == Key::kHelp) show_help = !show_help;
    const bool forced = key == Key::kHelp || key == Key::kResize;
    const auto now = std::chrono::steady_clock::now();
    if (!forced && now - last_draw < kRedrawEvery) continue;
    DashboardState state;
    {
      std::lock_guard lock(mutex_);
      if (!dirty_ && !forced) continue;
      dirty_ = false;
      state = model_.state();
    }
    Screen screen(terminal_.width(), terminal_.height());
    draw_dashboard(state, screen, show_help);
    terminal_.draw(screen);
    last_draw = now;
  }
}

}  // namespace strest
