#pragma once
// `strest cleanup`: deletes the run logs that runs with --keep-tmp (or runs that were killed)
// left in the tmp folder. It touches only what it can tell is a run log: a regular file directly
// in the folder, named strest-run-<digits>-<digits>-<digits>.srl and starting with the run log
// magic. It never follows symlinks, never recurses and never deletes anything else.
#include <chrono>
#include <cstdint>
#include <istream>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "plan/plan.h"
#include "plan/result.h"

namespace strest {

// What to clean up, and how.
struct CleanupOptions {
  std::string dir;       // the tmp folder, as the user named it (a symlink to a folder is fine)
  Micros older_than{0};  // a run log qualifies when last modified more than this before `now`
  bool dry_run = false;  // list what would be deleted, delete nothing
  bool force = false;    // delete without asking
  // Ages are measured from here; the default (the epoch) makes nothing old, so callers set it.
  std::chrono::system_clock::time_point now;
};

// One run log old enough to go.
struct RunLogFile {
  std::string name;  // the file's name in the folder
  uint64_t bytes = 0;
};

// What cleanup_run_logs found and did.
struct CleanupReport {
  std::vector<RunLogFile> old_logs;  // every run log old enough, sorted by name
  uint64_t deleted_files = 0;
  uint64_t deleted_bytes = 0;
  std::vector<std::string> failures;  // one "cannot delete '<path>': <reason>" per file
};

// True for the names run logs get: "strest-run-<digits>-<digits>-<digits>.srl".
bool is_run_log_name(std::string_view name);

// Finds the old run logs in options.dir, then lists them (dry_run), deletes them (force), or
// asks on `out` and reads the answer from `in` (only when `interactive`: stdin is a terminal);
// one line per file and a one-line total go to `out`. Errors (no such folder; neither dry_run
// nor force without a terminal) are returned before anything is deleted.
Result<CleanupReport> cleanup_run_logs(const CleanupOptions& options, std::istream& in,
                                       std::ostream& out, bool interactive);

// `strest cleanup` on the terminal, ages measured from now (options.now is ignored). Returns the
// exit code: 0, 1 if a file could not be deleted, 2 for a missing folder or a refusal to delete
// without asking.
int run_cleanup_command(CleanupOptions options);

}  // namespace strest
