#pragma once
// Reads per-request exports back (for --replay): the records as run log records, streamed to a
// callback so a file of any size is read in constant memory, plus what the file says about its
// run. Accepts what export_writers.h writes, and hand-edited files in the same schema.
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "plan/result.h"
#include "report/export_run_log.h"
#include "report/export_schema.h"

namespace strest {

// What an export holds besides its records; unset fields were absent from the file.
struct ExportedRun {
  ExportFormat format = ExportFormat::kCsv;
  std::optional<int64_t> run_start_unix_us{};  // CSV comment line, JSON document, JSONL meta line
  std::optional<bool> open_loop{};
  std::optional<nlohmann::json> summary{};  // JSON and JSONL only
  uint64_t records = 0;                     // how many records were passed to the visitor
};

// Reads `path`, in the format its extension names (.csv, .json, .jsonl), calling `visit` for
// each record in file order. Errors are one line naming the file and, where known, the line:
// "metrics.csv:7: bad status 'abc' (an integer 0-65535)".
Result<ExportedRun> read_export(const std::string& path, const RecordVisitor& visit);

// The same for an explicit format, whatever the extension.
Result<ExportedRun> read_export(const std::string& path, ExportFormat format,
                                const RecordVisitor& visit);

}  // namespace strest
