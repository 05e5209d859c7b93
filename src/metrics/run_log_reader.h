#pragma once
// Streams the records of a run log (one file, or every shard of a run) without loading it.
#include <cstdint>
#include <cstdio>
#include <functional>
#include <string>
#include <vector>

#include "metrics/run_log_format.h"
#include "plan/result.h"

namespace strest {

struct RunLogSummary {
  RunLogHeader header;
  uint64_t records = 0;    // requests (event records are not counted)
  bool truncated = false;  // a partial last record was found and ignored
};

// Calls `visit` for each whole request record of `path`, in file order, and `visit_event` (when
// given) for each event record (version 2). Reads versions 1 and 2. Fails on a missing file or
// a bad header; a cut-short last record is skipped and reported in `truncated`.
Result<RunLogSummary> read_run_log(
    const std::string& path, const std::function<void(const RunLogRecord&)>& visit,
    const std::function<void(const RunLogRecord&)>& visit_event = nullptr);

// The shard files of the run whose first shard is `path` (path itself when unsharded), or, when
// `path` is a directory, the newest run's shards in it.
Result<std::vector<std::string>> run_log_files(const std::string& path);

}  // namespace strest
