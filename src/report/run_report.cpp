#include "report/run_report.h"

#include <ctime>
#include <filesystem>
#include <sstream>

#include "report/chart_data.h"
#include "report/command_report.h"
#include "report/insight.h"
#include "report/latency_bars.h"
#include "report/report_plan_table.h"
#include "report/run_report_tables.h"
#include "report/summary_json.h"
#include "report/summary_text.h"
#include "report/threshold_check.h"

namespace strest {
namespace {

using nlohmann::json;

std::string count_text(const json& value) { return format_count(value.get<uint64_t>()); }

// "996 (99.10%)": a count and its share of `whole`.
std::string count_and_share(const json& value, const json& whole) {
  const auto part = value.get<uint64_t>();
  const auto total = whole.get<uint64_t>();
  if (total == 0) return format_count(part);
  const double share = 100.0 * static_cast<double>(part) / static_cast<double>(total);
  return format_count(part) + " (" + format_grouped(share, 2) + "%)";
}

RowMark errors_mark(uint64_t errors) { return errors == 0 ? RowMark::kNone : RowMark::kFail; }

std::string seconds_text(std::chrono::microseconds us) {
  return format_grouped(static_cast<double>(us.count()) / 1e6, 3) + " s";
}

// The line on thresholds in the summary: the verdict at a glance.
KeyValueRow threshold_verdict(const std::vector<ThresholdResult>& results) {
  if (results.empty()) return {"Thresholds", "none set"};
  size_t failed = 0;
  for (const ThresholdResult& result : results) failed += result.passed ? 0 : 1;
  const std::string all = std::to_string(results.size());
  if (failed == 0) return {"Thresholds", "all " + all + " passed", RowMark::kPass};
  return {"Thresholds", std::to_string(failed) + " of " + all + " failed", RowMark::kFail};
}

std::vector<KeyValueRow> request_rows(const json& j) {
  const json& total = j["total_requests"];
  std::vector<KeyValueRow> rows = {
      {"Completed requests", count_text(total)},
      {"OK", count_and_share(j["successful_requests"], total)},
      {"Errors", count_and_share(j["error_requests"], total),
       errors_mark(j["error_requests"].get<uint64_t>())},
      {"Timeouts", count_text(j["timeout_requests"])},
      {"Transport errors", count_text(j["transport_errors"])},
      {"Non-expected status", count_text(j["non_expected_status"]) + " (expected " +
                                  std::to_string(j["expected_status"].get<int>()) + ")"}};
  if (j.contains("assert_failed"))
    rows.push_back({"Assert failed", count_text(j["assert_failed"])});
  rows.push_back({"Cancelled at end", count_text(j["cancelled_requests"])});
  return rows;
}

HtmlSection& add_summary(HtmlDocument& page, const RunResult& result, const Plan& plan,
                         const json& j) {
  KeyValueTable table{{{"Target", j["target"].get<std::string>()},
                       {"Duration", seconds_text(result.wall) + " (wall clock)"},
                       {"Stopped", stop_description(result)},
                       {"Load", load_description(result, plan)}},
                      true};
  for (KeyValueRow& row : request_rows(j)) table.rows.push_back(std::move(row));
  const auto ms = [&](const char* key) {
    return format_ms(std::llround(j[key].get<double>() * 1e3));
  };
  const bool sampled = result.totals.latency_all.total_count() > 0;
  table.rows.push_back({"Requests/sec (RPS)", format_grouped(j["rps"].get<double>(), 2)});
  table.rows.push_back({"Requests/min (RPM)", format_grouped(j["rpm"].get<double>(), 1)});
  table.rows.push_back({"Latency p50 (ms)", sampled ? ms("p50_latency_ms") : "-"});
  table.rows.push_back({"Latency p99 (ms)", sampled ? ms("p99_latency_ms") : "-"});
  const auto bytes = j["bytes_received"].get<uint64_t>();
  table.rows.push_back({"Received", human_bytes(bytes) + " (" + format_count(bytes) + " bytes)"});
  table.rows.push_back(threshold_verdict(judge_run(result, plan)));
  HtmlSection& section = page.add_section("Summary", "summary");
  section.blocks.emplace_back(std::move(table));
  return section;
}

void add_latency(HtmlDocument& page, const RunResult& result, const json& j) {
  HtmlSection& section = page.add_section("Latency", "latency");
  if (result.open_loop) {
    section.blocks.emplace_back(Paragraph{
        "Open loop: latency is measured from each request's intended send time (coordinated "
        "omission corrected); service time from the actual send."});
  }
  section.blocks.emplace_back(latency_table(j, result.totals));
  HtmlSection& bars = page.add_section("Latency histogram (all responses)", "histogram");
  std::ostringstream text;
  write_latency_bars(result.totals.latency_all, text);
  bars.blocks.emplace_back(Preformatted{text.str()});
  RowTable insight{{{"Measure"}, {"Reading"}}, {}};
  for (const InsightLine& line : insight_lines(compute_insight(result.totals.latency_all))) {
    const VerdictLevel level = line.verdict.level;
    insight.rows.push_back({{line.measure, std::string(line.verdict.words)},
                            level == VerdictLevel::kGood   ? RowMark::kPass
                            : level == VerdictLevel::kPoor ? RowMark::kFail
                                                           : RowMark::kNone});
  }
  bars.blocks.emplace_back(std::move(insight));
}

void add_thresholds(HtmlDocument& page, const RunResult& result, const Plan& plan) {
  HtmlSection& section = page.add_section("Thresholds", "thresholds");
  const auto results = judge_run(result, plan);
  if (results.empty()) {
    section.blocks.emplace_back(Paragraph{"No thresholds were set (see --threshold)."});
    return;
  }
  RowTable table{{{"Verdict"}, {"Threshold"}, {"Measured", true}, {"Limit", true}}, {}};
  for (const ThresholdResult& r : results) {
    const ThresholdMetric metric = r.threshold.metric;
    table.rows.push_back({{r.passed ? "PASS" : "FAIL", r.threshold.expression,
                           format_threshold_value(metric, r.actual),
                           format_threshold_value(metric, r.threshold.value)},
                          r.passed ? RowMark::kPass : RowMark::kFail});
  }
  section.blocks.emplace_back(std::move(table));
}

// How requests were carried (left out when no connection was opened: a replay), and in the
// open loop how closely the schedule was kept.
void add_connections(HtmlDocument& page, const RunResult& result, const json& j) {
  KeyValueTable connections = connection_table(j);
  if (!connections.rows.empty()) {
    HtmlSection& section = page.add_section("Connections", "connections");
    section.blocks.emplace_back(std::move(connections));
    section.blocks.emplace_back(phase_table(j));
  }
  if (result.open_loop) {
    page.add_section("Schedule (open loop)", "schedule").blocks.emplace_back(schedule_table(j));
  }
}

// "Requests per second (completed) (requests_per_second.png)": the title of the chart a file
// holds, and its file name, as the charts folder names it.
std::string chart_caption(const std::string& path) {
  const std::string name = std::filesystem::path(path).filename().string();
  for (const ChartSpec& spec : chart_specs(RunResult{})) {
    if (spec.file_name == name) return spec.title + " (" + name + ")";
  }
  return name;
}

Status add_charts(HtmlDocument& page, const std::vector<std::string>& chart_paths) {
  HtmlSection& section = page.add_section("Charts", "charts");
  if (chart_paths.empty()) {
    section.blocks.emplace_back(Paragraph{"No charts were drawn for this run."});
    return Ok{};
  }
  for (const std::string& path : chart_paths) {
    auto figure = png_file_figure(path, chart_caption(path));
    if (!figure) return Error{figure.error()};
    section.blocks.emplace_back(std::move(*figure));
  }
  return Ok{};
}

std::string utc_now() {
  const std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%d %H:%M:%S UTC", &utc);
  return text;
}

}  // namespace

Result<HtmlDocument> run_report(const RunResult& result, const Plan& plan,
                                const std::vector<std::string>& chart_paths) {
  const json j = summary_json(result, plan);
  const std::string target = j["target"].get<std::string>();
  HtmlDocument page(std::string(result.replayed ? "strest replay: " : "strest run: ") + target);
  HtmlSection& summary = add_summary(page, result, plan, j);
  summary.blocks.emplace_back(Paragraph{"Report written " + utc_now() + " by strest."});
  add_thresholds(page, result, plan);
  add_latency(page, result, j);
  page.add_section("Status codes", "status-codes").blocks.emplace_back(status_table(j));
  page.add_section("Errors by kind", "errors").blocks.emplace_back(error_table(j));
  if (j.contains("steps")) page.add_section("Steps", "steps").blocks.emplace_back(steps_table(j));
  if (j.contains("agents")) {
    page.add_section("Agents", "agents").blocks.emplace_back(agents_table(j));
  }
  add_connections(page, result, j);
  page.add_section("Plan", "plan").blocks.emplace_back(plan_table(result, plan));
  if (Status charts = add_charts(page, chart_paths); !charts) return Error{charts.error()};
  return page;
}

Status write_run_report(const RunResult& result, const Plan& plan,
                        const std::vector<std::string>& chart_paths) {
  const std::string& path = *plan.report_path;
  auto page = run_report(result, plan, chart_paths);
  if (!page) return Error{"--report '" + path + "': " + page.error()};
  return write_report_file(path, page->render());
}

}  // namespace strest
