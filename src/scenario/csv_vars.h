#pragma once
// vars_from_csv: a CSV file (RFC 4180: quotes, doubled quotes, CRLF or LF) whose header row
// names variables and whose rows feed iterations round robin.
#include <string>
#include <string_view>

#include "plan/result.h"
#include "plan/scenario.h"

namespace strest {

// Reads `path`. Errors name the file and the fix: missing file, no header row, no data rows,
// an empty or duplicate column name, a row with a different number of fields (with its line).
Result<CsvVars> read_csv_vars(const std::string& path);
// The same from text (tests and fuzzing); `path` is only used in messages.
Result<CsvVars> parse_csv_vars(std::string_view text, const std::string& path);

}  // namespace strest
