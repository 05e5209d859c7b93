#pragma once
// Writes replay snapshots: the summary of the requests completed between the snapshot window's
// start and each snapshot time, as JSON (a file per snapshot in a folder, or one array file),
// JSONL (a line per snapshot) or CSV (a row per snapshot, the summary's scalar keys as columns).
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "plan/plan.h"
#include "plan/result.h"

namespace strest {

// Each snapshot is summary_json(...) plus "snapshot_start_ms" and "snapshot_end_ms".
Status write_snapshots(const std::vector<nlohmann::json>& snapshots, const ReplayOptions& options);

// ~/.strest/snapshots
std::string default_snapshots_path();

}  // namespace strest
