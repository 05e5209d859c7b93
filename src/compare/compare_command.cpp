#include "compare/compare_command.h"

#include <fstream>
#include <sstream>

#include "compare/comparison.h"
#include "compare/comparison_json.h"
#include "compare/comparison_text.h"
#include "compare/run_sample_source.h"
#include "plan/exit_codes.h"
#include "plan/one_line.h"
#include "report/command_report.h"

namespace strest {

namespace {

Status write_json(const ComparisonResult& result, const std::string& path) {
  std::ofstream file(path, std::ios::trunc);
  if (file) file << comparison_json(result).dump(2) << '\n';
  if (!file)
    return Error{"-o: cannot write '" + path + "': check the folder exists and is writable"};
  return Ok{};
}

// --report: the verdict, then the side-by-side table as printed.
Status write_report(const ComparisonResult& result, const CompareRequest& request,
                    const std::string& table_text) {
  CommandReport report{.title = "strest compare: " + request.a + " vs " + request.b};
  const bool failed = result.gate_failed();
  report.headline.rows = {{"A (baseline)", request.a},
                          {"B", request.b},
                          {"Significant regression", result.has_regression() ? "yes" : "no",
                           result.has_regression() ? RowMark::kFail : RowMark::kPass},
                          {"Gates",
                           result.gates.empty() ? "none"
                           : failed             ? "failed (exit 3)"
                                                : "passed",
                           failed ? RowMark::kFail : RowMark::kNone}};
  report.table_text = table_text;
  return write_command_report(report, request.report_path);
}

}  // namespace

int run_compare_command(const CompareRequest& request, std::ostream& out, std::ostream& err) {
  auto a = load_run_sample(request.a);
  if (!a) {
    err << "strest: error: compare A: " << one_line(a.error()) << '\n';
    return kExitUsage;
  }
  auto b = load_run_sample(request.b);
  if (!b) {
    err << "strest: error: compare B: " << one_line(b.error()) << '\n';
    return kExitUsage;
  }
  const ComparisonResult result =
      compare_runs(*a, *b, request.gates, request.bootstrap, request.noise);
  std::ostringstream table;
  write_comparison_text(result, table);
  out << table.str();
  if (!request.json_path.empty()) {
    Status written = write_json(result, request.json_path);
    if (!written) {
      err << "strest: error: " << one_line(written.error()) << '\n';
      return kExitFailure;
    }
  }
  if (!request.report_path.empty()) {
    if (Status written = write_report(result, request, table.str()); !written) {
      err << "strest: error: " << one_line(written.error()) << '\n';
      return kExitFailure;
    }
  }
  return result.gate_failed() ? kExitThresholdFailed : kExitOk;
}

}  // namespace strest
