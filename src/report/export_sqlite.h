#pragma once
// --db-url: appends each run's per-request records to a SQLite file, so many runs can be
// queried together. Tables (docs/exports.md): runs (one row per run, with the JSON summary)
// and metrics (one row per record, keyed by run_id).
#include <string>

#include "metrics/run_result.h"
#include "plan/plan.h"
#include "plan/result.h"

namespace strest {

// The database schema version, kept in SQLite's PRAGMA user_version.
inline constexpr int kSqliteSchemaVersion = 1;

// The file a --db-url names: "sqlite://runs.db" and "sqlite:runs.db" (relative),
// "sqlite:///var/runs.db" (absolute), or a plain path; a "?..." suffix is ignored. Other schemes
// fail with a message naming the flag.
Result<std::string> sqlite_path_from_url(const std::string& url);

// Appends the run to the database at `db` (a path or a --db-url form; created if missing): a new
// `runs` row and a `metrics` row per run log record within plan.metrics_window. All or nothing:
// one transaction, so a failed export leaves no partial run behind in a shared file.
Status write_sqlite(const RunResult& result, const Plan& plan, const std::string& db);

}  // namespace strest
