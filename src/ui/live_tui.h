#pragma once
// LiveTui: the dashboard of a live run, one more observer of the Collector's Snapshots. The
// Collector thread updates the model; a UI thread of its own reads keys and redraws at most
// ten times a second, so a slow terminal never holds up the run.
#include <atomic>
#include <memory>
#include <mutex>
#include <thread>

#include "metrics/snapshot.h"
#include "ui/dashboard_model.h"
#include "ui/terminal.h"

namespace strest {

class LiveTui : public SnapshotObserver {
 public:
  // Draws on `terminal` (owned by the caller, which gives it back after this is destroyed).
  LiveTui(Terminal& terminal, DashboardSetup setup);
  ~LiveTui() override;

  void on_snapshot(const Snapshot& snapshot) override;
  void on_finish(const Snapshot& snapshot) override;

 private:
  void run();  // the UI thread

  Terminal& terminal_;
  std::mutex mutex_;  // guards model_ and dirty_
  DashboardModel model_;
  bool dirty_ = true;
  bool force_ = false;  // UI thread only: redraw even without a new snapshot (help, resize)
  std::atomic<bool> stopping_{false};
  std::thread thread_;
};

// The live dashboard of one run, when there is a terminal for it: the terminal taken over and
// the TUI observing. Destroying it gives the terminal back.
class LiveDashboard {
 public:
  // nullptr with --no-tui, or when stdin and stdout are not both a terminal.
  static std::unique_ptr<LiveDashboard> open(const Plan& plan);
  ~LiveDashboard();

  SnapshotObserver& observer() { return *tui_; }

 private:
  LiveDashboard(std::unique_ptr<Terminal> terminal, const Plan& plan);
  std::unique_ptr<Terminal> terminal_;
  std::unique_ptr<LiveTui> tui_;  // destroyed before the terminal it draws on
};

}  // namespace strest
