#pragma once
// The per-request export schema (docs/exports.md), shared by the CSV/JSON/JSONL writers, their
// readers and the SQLite export: field names, and the text form of each field. Times are
// milliseconds with exactly three decimals, so the run log's microseconds survive a round trip.
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "metrics/run_log_format.h"
#include "plan/result.h"

namespace strest {

// Bumped when a field is renamed, removed or changes meaning (adding fields is compatible).
inline constexpr int kExportSchemaVersion = 1;

enum class ExportFormat { kCsv, kJson, kJsonl };

// The record fields, in CSV column order.
inline constexpr std::array<std::string_view, 10> kExportFields = {
    "sequence", "start_ms", "latency_ms", "service_ms", "status",
    "outcome",  "error",    "bytes",      "worker",     "step"};

// "csv", "json" or "jsonl".
std::string_view export_format_name(ExportFormat format);
// The format a path's extension names (.csv, .json, .jsonl; any case), if any.
std::optional<ExportFormat> export_format_for_path(const std::string& path);

// Microseconds as milliseconds with three decimals: 1234 -> "1.234", -5 -> "-0.005".
void append_ms(std::string& out, int64_t us);
// The inverse of append_ms for any decimal number of milliseconds (rounded to the microsecond).
std::optional<int64_t> parse_ms(std::string_view text);

// "ok", "non_expected_status", "timeout", "transport_error" or "assert_failed".
std::string_view export_outcome_name(LoggedOutcome outcome);
std::optional<LoggedOutcome> parse_export_outcome(std::string_view name);
// "" for ok, non_expected_status and assert_failed, "connect"/"request" for timeouts, and the
// transport error's name (e.g. "connect_refused") for transport errors.
std::string_view export_error_name(const RunLogRecord& record);
// Sets record.error_kind from `name` for the record's outcome; fails for a name that does not
// belong to it.
Status parse_export_error(std::string_view name, RunLogRecord& record);

// The record's fields as JSON members without braces: "sequence":1,"start_ms":0.250,...
void append_record_json_members(std::string& out, const RunLogRecord& record);
// The record as one CSV row without the newline.
void append_record_csv(std::string& out, const RunLogRecord& record);

}  // namespace strest
