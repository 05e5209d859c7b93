#pragma once
// The --report page of a finished run, replay or distributed run: one self-contained HTML file
// with the summary (the numbers of summary_json, so the page and --output never disagree),
// latency, status codes, errors by kind, thresholds with their verdicts, per-step and
// per-agent rows, the plan and where each setting came from, and the twelve charts embedded.
#include <string>
#include <vector>

#include "metrics/run_result.h"
#include "plan/plan.h"
#include "plan/result.h"
#include "report/html_document.h"

namespace strest {

// The page. `chart_paths` are PNG files write_charts wrote (report/charts.h), embedded in the
// given order with their titles; when empty, the Charts section says that none were drawn. An
// error names a chart file that could not be read.
Result<HtmlDocument> run_report(const RunResult& result, const Plan& plan,
                                const std::vector<std::string>& chart_paths);

// Writes run_report(...) to plan.report_path (atomically: a reader never sees half a page).
// The error is one line naming --report and the fix.
Status write_run_report(const RunResult& result, const Plan& plan,
                        const std::vector<std::string>& chart_paths);

}  // namespace strest
