#pragma once
// LiveTui: the dashboard of a live run, one more observer of the Collector's Snapshots. The
// Collector thread updates the model; a UI thread of its own reads keys and redraws at most
// ten times a second, so a slow terminal never holds up the run.
#include <atomic>
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
  std::atomic<bool> stopping_{false};
  std::thread thread_;
};

}  // namespace strest
