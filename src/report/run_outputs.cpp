#include "report/run_outputs.h"

#include <stdlib.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>

#include "log/log.h"
#include "report/chart_window.h"
#include "report/charts.h"
#include "report/export_sqlite.h"
#include "report/export_writers.h"
#include "report/run_report.h"
#include "report/summary_json.h"
#include "report/summary_text.h"

namespace strest {

namespace {

bool report_failure(const std::string& what) {
  std::cerr << "strest: error: " << what << "\n";
  return false;
}

// --output in json or text; jsonl and csv carry per-request records and are exports.
bool write_summary_output(const RunResult& result, const Plan& plan) {
  if (!plan.output_path) return true;
  if (plan.output_format != OutputFormat::kJson && plan.output_format != OutputFormat::kText) {
    return true;
  }
  std::ofstream file(*plan.output_path, std::ios::trunc);
  if (plan.output_format == OutputFormat::kJson) {
    file << summary_json_text(result, plan);
  } else {
    write_summary_text(result, plan, file, false);
  }
  file.close();
  if (!file) {
    return report_failure("cannot write --output file '" + *plan.output_path +
                          "': check the directory exists and is writable");
  }
  return true;
}

// A folder under the system's temporary directory, removed with everything in it when this
// goes out of scope: where --report draws its charts under --no-charts.
class TemporaryFolder {
 public:
  TemporaryFolder() {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "strest-report-XXXXXX").string();
    if (mkdtemp(pattern.data()) != nullptr) path_ = pattern;
  }
  ~TemporaryFolder() {
    std::error_code ignored;
    if (!path_.empty()) std::filesystem::remove_all(path_, ignored);
  }
  TemporaryFolder(const TemporaryFolder&) = delete;
  TemporaryFolder& operator=(const TemporaryFolder&) = delete;
  // Empty when the folder could not be made.
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

Result<std::vector<std::string>> draw_charts(const RunResult& result, const Plan& plan,
                                             const std::string& folder) {
  auto charted = chart_result(result, plan.metrics_window);
  if (!charted) return Error{charted.error()};
  return write_charts(*charted, folder);
}

// The charts folder (unless --no-charts), and the --report page with the same charts. Under
// --no-charts the report still embeds them: they are drawn into a temporary folder.
bool write_charts_and_report(const RunResult& result, const Plan& plan) {
  if (plan.no_charts && !plan.report_path) return true;
  std::optional<TemporaryFolder> scratch;
  std::string folder;
  if (plan.no_charts) {
    folder = scratch.emplace().path();
    if (folder.empty()) return report_failure("--report: cannot create a temporary folder");
  } else {
    folder = run_charts_folder(plan.charts_path.empty() ? default_charts_path() : plan.charts_path);
  }
  bool ok = true;
  auto written = draw_charts(result, plan, folder);
  if (!written) {
    ok = report_failure(written.error() +
                        (plan.no_charts ? " (charts for --report)" : " (or pass --no-charts)"));
  } else if (!plan.no_charts && !written->empty()) {
    log_info("charts written to " + folder);
  }
  if (!plan.report_path) return ok;
  const std::vector<std::string> charts = written ? *written : std::vector<std::string>{};
  if (Status page = write_run_report(result, plan, charts); !page)
    return report_failure(page.error());
  log_info("report written to " + *plan.report_path);
  return ok;
}

}  // namespace

bool write_run_outputs(const RunResult& result, const Plan& plan) {
  write_summary_text(result, plan, std::cout, use_color(STDOUT_FILENO));
  std::cout.flush();
  bool ok = write_summary_output(result, plan);
  if (Status exported = write_exports(result, plan); !exported) {
    ok = report_failure(exported.error());
  }
  if (plan.db_url) {
    if (Status stored = write_sqlite(result, plan, *plan.db_url); !stored) {
      ok = report_failure(stored.error());
    }
  }
  ok = write_charts_and_report(result, plan) && ok;
  return ok;
}

void finish_run_log(const RunResult& result, const Plan& plan) {
  for (const std::string& path : result.run_log_paths) {
    if (plan.keep_tmp) {
      log_info("run log kept: " + path);
    } else {
      std::remove(path.c_str());
    }
  }
}

}  // namespace strest
