#pragma once
// Per-request exports (--export-csv, --export-json, --export-jsonl, and --output with
// --output-format csv/jsonl): written at the end of a run by streaming its run log once per
// file, so an export of any size needs no more memory than one buffer. Layouts are in
// docs/exports.md.
#include <string>
#include <utility>
#include <vector>

#include "metrics/run_result.h"
#include "plan/plan.h"
#include "plan/result.h"
#include "report/export_schema.h"

namespace strest {

// The files write_exports writes for `plan`, in this order: --export-csv, --export-json,
// --export-jsonl, then --output when --output-format is csv or jsonl (json and text output are
// the summary, which the caller writes).
std::vector<std::pair<ExportFormat, std::string>> requested_exports(const Plan& plan);

// Writes every file requested_exports(plan) lists; stops at the first failure.
Status write_exports(const RunResult& result, const Plan& plan);

// Writes one export of result's run log (records within plan.metrics_window) to `path`. The
// file appears complete or not at all: it is written beside `path` and renamed over it. Errors
// name the file.
Status write_export(const RunResult& result, const Plan& plan, ExportFormat format,
                    const std::string& path);

}  // namespace strest
