#include "replay/window_snapshot.h"

#include <cstdio>

#include "replay/replay.h"
#include "replay/snapshot_writer.h"
#include "report/summary_json.h"

namespace strest {

Result<std::string> write_window_snapshot(const Plan& plan, int64_t from_us, int64_t to_us) {
  Plan window = plan;
  ReplayOptions& options = *window.replay;
  options.start = Micros(from_us);
  options.end = Micros(to_us);
  // The window's replay takes no snapshots of its own: this one is written below.
  options.snapshot_interval.reset();
  options.snapshot_start.reset();
  options.snapshot_end.reset();
  options.snapshot_out.clear();
  auto result = replay_run(window, {});
  if (!result) return Error{result.error()};
  for (const std::string& path : result->run_log_paths) std::remove(path.c_str());
  nlohmann::json snapshot = summary_json(*result, window);
  snapshot["snapshot_start_ms"] = from_us / 1000;
  snapshot["snapshot_end_ms"] = to_us / 1000;
  if (Status written = write_snapshots({snapshot}, *plan.replay); !written) {
    return Error{written.error()};
  }
  return plan.replay->snapshot_out.empty() ? default_snapshots_path() : plan.replay->snapshot_out;
}

}  // namespace strest
