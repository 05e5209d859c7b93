#pragma once
// One self-rewriting status line on stderr while a run without a TUI goes on: elapsed time,
// requests, recent RPS, errors. Written only when stderr is a terminal.
#include <cstdint>
#include <cstdio>
#include <optional>

#include "metrics/snapshot.h"

namespace strest {

class ProgressLine : public SnapshotObserver {
 public:
  // `planned_us`: the run's duration when known, shown as the total; `out` defaults to stderr.
  explicit ProgressLine(std::optional<int64_t> planned_us, std::FILE* out = stderr);

  // True when stderr is a terminal, so the line is worth drawing.
  static bool wanted();

  void on_snapshot(const Snapshot& snapshot) override;
  void on_finish(const Snapshot& snapshot) override;

 private:
  std::optional<int64_t> planned_us_;
  std::FILE* out_;
  int64_t last_draw_us_ = -1'000'000;
};

}  // namespace strest
