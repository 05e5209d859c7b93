#include "report/run_outputs.h"

#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <iostream>

#include "log/log.h"
#include "report/chart_window.h"
#include "report/charts.h"
#include "report/export_sqlite.h"
#include "report/export_writers.h"
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

bool write_charts_folder(const RunResult& result, const Plan& plan) {
  if (plan.no_charts) return true;
  const std::string base = plan.charts_path.empty() ? default_charts_path() : plan.charts_path;
  auto charted = chart_result(result, plan.metrics_window);
  if (!charted) return report_failure(charted.error() + " (or pass --no-charts)");
  auto written = write_charts(*charted, run_charts_folder(base));
  if (!written) return report_failure(written.error() + " (or pass --no-charts)");
  if (!written->empty()) {
    const std::string& first = written->front();
    log_info("charts written to " + first.substr(0, first.rfind('/')));
  }
  return true;
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
  ok = write_charts_folder(result, plan) && ok;
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
