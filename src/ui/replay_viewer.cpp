#include "ui/replay_viewer.h"

#include <chrono>

#include "engine/stop_signal.h"
#include "replay/replay_timeline.h"
#include "replay/window_snapshot.h"
#include "ui/dashboard_model.h"
#include "ui/dashboard_view.h"
#include "ui/replay_player.h"

namespace strest {

namespace {

constexpr auto kRedrawEvery = std::chrono::milliseconds(100);  // at most 10 redraws a second
constexpr int kKeyWaitMs = 50;

DashboardSetup replay_setup(const Plan& plan, const ReplayTimeline& timeline) {
  DashboardSetup setup;
  setup.target = timeline.target();
  setup.planned_us = timeline.duration_us();
  setup.thresholds = plan.thresholds;
  setup.window_us = plan.ui_window.count();
  setup.mode = timeline.open_loop() ? "replay of an open-loop run" : "replay of a closed-loop run";
  // Open-loop rows (corrected and service latency, lag) appear for open-loop recordings.
  if (timeline.open_loop()) setup.load = LoadProfile{};
  return setup;
}

ReplayStatus status_of(const ReplayPlayer& player) {
  return ReplayStatus{.paused = player.paused(),
                      .finished = player.at_end(),
                      .duration_us = player.duration_us(),
                      .step_us = player.step_us(),
                      .mark_start_us = player.mark_start_us(),
                      .mark_end_us = player.mark_end_us()};
}

// What a key does to the player; returns a notice for the screen, or "" for none.
std::string apply_key(Key key, ReplayPlayer& player, const Plan& plan,
                      const ReplayTimeline& timeline) {
  switch (key) {
    case Key::kPlayPause:
      player.toggle_pause();
      return "";
    case Key::kSeekBack:
      player.seek(-1);
      return "";
    case Key::kSeekForward:
      player.seek(+1);
      return "";
    case Key::kRestart:
      player.restart();
      return "";
    case Key::kMarkStart:
      player.mark_start();
      return "snapshot start marked at " + format_clock(player.position_us());
    case Key::kMarkEnd:
      player.mark_end();
      return "snapshot end marked at " + format_clock(player.position_us());
    case Key::kWriteSnapshot: {
      const auto window = player.snapshot_window();
      if (!window) return "nothing to write: mark a start (s) and an end (e) first";
      // Whole milliseconds, as the snapshot names them and as --replay-start/--replay-end can
      // say them: the same window replays to the same totals.
      const int64_t from = (timeline.origin_us() + window->first) / 1000 * 1000;
      const int64_t to = (timeline.origin_us() + window->second) / 1000 * 1000;
      auto written = write_window_snapshot(plan, from, to);
      if (!written) return "snapshot not written: " + written.error();
      return "snapshot " + format_clock(window->first) + " to " + format_clock(window->second) +
             " written to " + *written;
    }
    default:
      return "";
  }
}

}  // namespace

Status run_replay_viewer(const Plan& plan, Terminal& terminal) {
  auto loaded = ReplayTimeline::load(*plan.replay);
  if (!loaded) return Error{loaded.error()};
  ReplayTimeline& timeline = **loaded;
  ReplayPlayer player(timeline.duration_us(), plan.replay_step.count());
  DashboardModel model(replay_setup(plan, timeline));
  bool show_help = false;
  std::string notice;
  auto last_tick = std::chrono::steady_clock::now();
  auto last_draw = last_tick - kRedrawEvery;
  while (stop_signal() == 0) {
    const Key key = terminal.read_key(kKeyWaitMs);
    if (key == Key::kQuit) break;
    if (key == Key::kHelp) show_help = !show_help;
    if (std::string said = apply_key(key, player, plan, timeline); !said.empty()) notice = said;
    const auto now = std::chrono::steady_clock::now();
    player.advance(std::chrono::duration_cast<std::chrono::microseconds>(now - last_tick).count());
    last_tick = now;
    if (now - last_draw < kRedrawEvery) continue;  // a key's effect shows at the next redraw
    if (player.take_rewound()) model.reset_rates();
    model.state().finished = player.at_end();
    model.update(timeline.at(player.position_us()));
    model.state().replay = status_of(player);
    model.state().notice = notice;
    Screen screen(terminal.width(), terminal.height());
    draw_dashboard(model.state(), screen, show_help);
    terminal.draw(screen);
    last_draw = now;
  }
  return Ok{};
}

}  // namespace strest
