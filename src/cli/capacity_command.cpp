#include "cli/capacity_command.h"

#include <fstream>
#include <iostream>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "capacity/capacity_chart.h"
#include "capacity/capacity_json.h"
#include "capacity/capacity_search.h"
#include "capacity/capacity_text.h"
#include "capacity/step_judge.h"
#include "cli/run_observers.h"
#include "engine/engine.h"
#include "engine/stop_signal.h"
#include "log/log.h"
#include "plan/exit_codes.h"
#include "plan/threshold.h"
#include "report/command_report.h"
#include "report/summary_text.h"

namespace strest {
namespace {

// Runs steps for the search and remembers why it had to stop, when it did.
class StepRunner {
 public:
  StepRunner(const Plan& plan, const CapacitySettings& settings, bool color)
      : plan_(plan), settings_(settings), color_(color) {}

  std::optional<CapacityStep> operator()(double rate, CapacityPhase phase) {
    const Plan step_plan = capacity_step_plan(plan_, settings_, rate);
    const RunObservers observers(step_plan, planned_duration_us(step_plan));
    auto run = run_load_test(step_plan, observers.list());
    if (!run) {
      std::cerr << "strest: error: " << run.error() << "\n";
      failed_to_run_ = true;
      return std::nullopt;
    }
    if (stop_signal() > 0) {  // Ctrl+C: the step is cut short, so it says nothing
      signal_ = stop_signal();
      return std::nullopt;
    }
    clear_stop_request();  // --abort-on-fail ended the step: the next one starts afresh
    CapacityStep step = judge_step(*run, step_plan);
    step.phase = phase;
    write_capacity_step_line(step, ++steps_, std::cout, color_);
    std::cout.flush();
    return step;
  }

  int signal() const { return signal_; }
  bool failed_to_run() const { return failed_to_run_; }

 private:
  const Plan& plan_;
  const CapacitySettings& settings_;
  bool color_;
  size_t steps_ = 0;
  int signal_ = 0;
  bool failed_to_run_ = false;
};

bool write_output_file(const CapacityResult& result, const Plan& plan) {
  if (!plan.output_path) return true;
  std::ofstream file(*plan.output_path, std::ios::trunc);
  if (plan.output_format == OutputFormat::kText) {
    write_capacity_text(result, file, false);
  } else {
    file << capacity_json_text(result);
  }
  file.close();
  if (file) return true;
  std::cerr << "strest: error: cannot write -o file '" << *plan.output_path
            << "': check the directory exists and is writable\n";
  return false;
}

// capacity.png into --charts-path, else the current folder; adds its path to `written`.
bool write_chart(const CapacityResult& result, const Plan& plan,
                 std::vector<std::string>& written) {
  if (plan.no_charts) return true;
  auto chart = write_capacity_chart(result, plan.charts_path.empty() ? "." : plan.charts_path);
  if (!chart) {
    std::cerr << "strest: error: " << chart.error() << "\n";
    return false;
  }
  log_info("capacity chart written to " + *chart);
  written.push_back(*chart);
  return true;
}

// The step at `index`, as "RATE req/s", or "none".
std::string step_rate(const CapacityResult& result, std::optional<size_t> index) {
  if (!index) return "none";
  return format_threshold_value(ThresholdMetric::kRps, result.steps[*index].offered_rps) + " req/s";
}

// --report: the verdict, the step table as printed, and capacity.png when it was drawn.
bool write_report(const CapacityResult& result, const Plan& plan, std::vector<std::string> charts) {
  if (!plan.report_path) return true;
  CommandReport report{.title = "strest capacity: " + result.target};
  std::string slos;
  for (const std::string& slo : result.slos) slos += (slos.empty() ? "" : ", ") + slo;
  const RowMark mark = result.knee ? RowMark::kPass : RowMark::kFail;
  report.headline.rows = {{"Target", result.target},
                          {"SLOs", slos},
                          {"Outcome", outcome_name(result.outcome), mark},
                          {"Knee (highest passing rate)", step_rate(result, result.knee), mark},
                          {"First failing rate", step_rate(result, result.first_failing)}};
  std::ostringstream table;
  write_capacity_text(result, table, false);
  report.table_text = table.str();
  report.png_paths = std::move(charts);
  if (Status written = write_command_report(report, *plan.report_path); !written) {
    std::cerr << "strest: error: " << written.error() << "\n";
    return false;
  }
  log_info("report written to " + *plan.report_path);
  return true;
}

}  // namespace

Plan capacity_step_plan(const Plan& plan, const CapacitySettings& settings, double rate) {
  Plan step = plan;
  step.load = LoadProfile{rate, {}};
  step.warmup = settings.step_warmup;
  step.duration = settings.step_warmup + settings.step_duration;
  step.max_requests.reset();
  step.output_path.reset();
  step.export_csv.reset();
  step.export_json.reset();
  step.export_jsonl.reset();
  step.db_url.reset();
  step.sinks.reset();
  step.no_charts = true;
  step.report_path.reset();  // the search's report, not one per step
  step.run_log = false;      // nothing of a step is exported or replayed
  return step;
}

int capacity_exit_code(const CapacityResult& result, bool outputs_written, int signal,
                       bool step_failed_to_run) {
  if (signal > 0) return 128 + signal;
  if (step_failed_to_run || !outputs_written) return kExitFailure;
  if (result.outcome == CapacityOutcome::kMinRateFailed) return kExitThresholdFailed;
  return kExitOk;
}

int run_capacity_command(const Plan& plan, const CapacitySettings& settings) {
  const bool color = use_color(1);
  CapacityResult heading;
  heading.target = plan.url.to_string();
  for (const Threshold& slo : plan.thresholds) heading.slos.push_back(slo.expression);
  write_capacity_header(heading, std::cout);
  StepRunner runner(plan, settings, color);
  CapacityResult result = search_capacity(
      settings, [&runner](double rate, CapacityPhase phase) { return runner(rate, phase); });
  result.target = heading.target;
  result.slos = heading.slos;
  std::cout << "\n";
  write_capacity_verdict(result, std::cout, color);
  const bool json_written = write_output_file(result, plan);
  std::vector<std::string> charts;
  const bool chart_written = result.steps.empty() || write_chart(result, plan, charts);
  const bool report_written = write_report(result, plan, std::move(charts));
  return capacity_exit_code(result, json_written && chart_written && report_written,
                            runner.signal(), runner.failed_to_run());
}

}  // namespace strest
