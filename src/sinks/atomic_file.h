#pragma once
// Replacing a file so that readers (a Prometheus textfile collector, a tailing agent) only ever
// see the old contents or the new, never a half-written file.
#include <string>
#include <string_view>

#include "plan/result.h"

namespace strest {

// Writes contents to "<path>.tmp.<pid>" in path's directory, then renames it over path (atomic
// on POSIX file systems). With `durable`, the data is fsync'ed before the rename. On failure path
// is untouched, the temporary file removed, and the error reads "<path>: <reason>".
Status replace_file(const std::string& path, std::string_view contents, bool durable);

// The temporary file replace_file writes first, for tests and cleanup.
std::string temporary_path_for(const std::string& path);

}  // namespace strest
