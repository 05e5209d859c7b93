#pragma once
// The run log as every export sees it: the run's shard files streamed in order through the
// metrics window (--metrics-range, --metrics-max), and the summary extended with what the
// window left out. Streaming keeps memory flat however long the run was.
#include <cstdint>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "metrics/run_log_format.h"
#include "metrics/run_result.h"
#include "plan/plan.h"
#include "plan/result.h"

namespace strest {

using RecordVisitor = std::function<void(const RunLogRecord&)>;

// Admits records that start within [from, to) of the run, up to `max` of them, in the order
// they are offered; counts the rest.
class MetricsWindowFilter {
 public:
  explicit MetricsWindowFilter(const MetricsWindow& window) : window_(window) {}

  bool admit(const RunLogRecord& record) {
    const bool inside = record.start_us >= window_.from.count() &&
                        (!window_.to || record.start_us < window_.to->count());
    if (inside && admitted_ < window_.max) {
      ++admitted_;
      return true;
    }
    ++left_out_;
    return false;
  }
  uint64_t admitted() const { return admitted_; }
  uint64_t left_out() const { return left_out_; }

 private:
  MetricsWindow window_;
  uint64_t admitted_ = 0;
  uint64_t left_out_ = 0;
};

// What one pass over a run log saw.
struct WindowedRunLog {
  RunLogHeader header;     // the first shard's: run start (wall clock) and open-loop flag
  uint64_t exported = 0;   // records handed to the visitor
  uint64_t left_out = 0;   // records outside the window or past its max
  bool truncated = false;  // a shard ended in a partial record (ignored)
};

// The header of a run log file (run start, open-loop flag), without reading its records.
Result<RunLogHeader> read_run_log_header(const std::string& path);

// Streams the records of `paths` (a run's shards, in order) that the window admits to `visit`.
// Fails, naming the file, when there is no run log or a file cannot be read.
Result<WindowedRunLog> stream_windowed_run_log(const std::vector<std::string>& paths,
                                               const MetricsWindow& window,
                                               const RecordVisitor& visit);

// summary_json(result, plan) plus "exported_records" and "records_left_out".
nlohmann::json export_summary(const RunResult& result, const Plan& plan, const WindowedRunLog& log);

}  // namespace strest
