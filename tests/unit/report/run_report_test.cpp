#include "report/run_report.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include "report/report_plan_table.h"

namespace strest {
namespace {

RunResult sample_run() {
  RunResult run;
  run.target = "http://127.0.0.1:8080/items?a=1&b=<2>";
  run.wall = std::chrono::microseconds(2'000'000);
  Tally& t = run.totals;
  t.ok = 1000;
  t.non_expected_status = 5;
  t.timeouts = 2;
  t.timeouts_by_kind[static_cast<size_t>(TimeoutKind::kRequest)] = 2;
  t.transport_errors = 3;
  t.transport_by_kind[static_cast<size_t>(TransportError::kReset)] = 3;
  run.error_details[static_cast<size_t>(TransportError::kReset)] = "connection reset by peer";
  t.status_counts[200] = 1000;
  t.status_counts[503] = 5;
  t.latency_all.record_n(412, 1005);
  t.latency_ok.record_n(412, 1000);
  return run;
}

Plan sample_plan() {
  Plan plan;
  plan.thresholds = {*parse_threshold("p99<200ms"), *parse_threshold("error_rate<0.1%")};
  plan.load = LoadProfile{250, {}};
  plan.origins.record("--rate", SettingOrigin::flag());
  plan.origins.record("--max-tasks", SettingOrigin::config_key("strest.toml", "concurrency"));
  plan.report_path = testing::TempDir() + "run_report_test.html";
  return plan;
}

std::string page_of(const RunResult& run, const Plan& plan,
                    const std::vector<std::string>& charts = {}) {
  auto page = run_report(run, plan, charts);
  EXPECT_TRUE(page) << (page ? "" : page.error());
  return page ? page->render() : "";
}

std::string write_png(const std::string& name) {
  const std::string path = testing::TempDir() + name;
  const char bytes[] = "\x89PNG\r\n\x1a\n0000";
  std::ofstream(path, std::ios::binary).write(bytes, sizeof bytes - 1);
  return path;
}

TEST(RunReport, SummaryShowsTheJsonSummaryNumbers) {
  const std::string html = page_of(sample_run(), sample_plan());
  EXPECT_NE(html.find("<th scope=\"row\">Completed requests</th><td>1,010</td>"),
            std::string::npos);
  EXPECT_NE(html.find("<th scope=\"row\">OK</th><td>1,000 (99.01%)</td>"), std::string::npos);
  EXPECT_NE(html.find("<th scope=\"row\">Requests/sec (RPS)</th><td>505.00</td>"),
            std::string::npos);
  EXPECT_NE(html.find("<th scope=\"row\">Latency p99 (ms)</th><td>0.412</td>"), std::string::npos);
  // The target is escaped where it appears.
  EXPECT_NE(html.find("items?a=1&amp;b=&lt;2&gt;"), std::string::npos);
  EXPECT_EQ(html.find("b=<2>"), std::string::npos);
}

TEST(RunReport, ThresholdsCarryTheirVerdicts) {
  const std::string html = page_of(sample_run(), sample_plan());
  EXPECT_NE(html.find("<tr class=\"fail\"><th scope=\"row\">Thresholds</th><td>1 of 2 failed"),
            std::string::npos);
  EXPECT_NE(html.find("<tr class=\"pass\"><td>PASS</td><td>p99&lt;200ms</td>"), std::string::npos);
  EXPECT_NE(html.find("<tr class=\"fail\"><td>FAIL</td><td>error_rate&lt;0.1%</td>"),
            std::string::npos);
}

TEST(RunReport, StatusCodesAndErrorsByKind) {
  const std::string html = page_of(sample_run(), sample_plan());
  EXPECT_NE(html.find("<tr class=\"pass\"><td>200 (expected)</td>"), std::string::npos);
  EXPECT_NE(html.find("<tr class=\"fail\"><td>503</td>"), std::string::npos);
  EXPECT_NE(html.find("<td>reset</td><td class=\"num\">3</td><td>connection reset by peer</td>"),
            std::string::npos)
      << html;
}

TEST(RunReport, PlanRowsSayWhereEachSettingCameFrom) {
  const RowTable table = plan_table(sample_run(), sample_plan());
  auto row_of = [&](const std::string& setting) {
    for (const TableRow& row : table.rows) {
      if (row.cells[0] == setting) return row.cells;
    }
    ADD_FAILURE() << "no row " << setting;
    return std::vector<std::string>{"", "", ""};
  };
  EXPECT_EQ(row_of("Load")[1], "open loop: 250 req/s");
  EXPECT_EQ(row_of("Load")[2], "--rate");
  EXPECT_EQ(row_of("Connections")[2], "concurrency in strest.toml");
  EXPECT_EQ(row_of("Timeout")[2], "default");
  EXPECT_EQ(row_of("Thresholds")[1], "p99<200ms, error_rate<0.1%");
}

TEST(RunReport, PlanOfAReplayNamesTheRecording) {
  RunResult run = sample_run();
  run.replayed = true;
  Plan plan = sample_plan();
  plan.replay = ReplayOptions{};
  plan.replay->source = "/tmp/strest-run-1.srl";
  const RowTable table = plan_table(run, plan);
  ASSERT_GE(table.rows.size(), 3u);
  EXPECT_EQ(table.rows[0].cells[0], "Mode");
  EXPECT_EQ(table.rows[2].cells[1], "/tmp/strest-run-1.srl");
}

TEST(RunReport, StepsAndAgentsOnlyWhenTheRunHasThem) {
  RunResult run = sample_run();
  EXPECT_EQ(page_of(run, sample_plan()).find("id=\"steps\""), std::string::npos);
  run.totals.steps.resize(2);
  run.totals.steps[1].ok = 4;
  run.totals.steps[1].assert_failures = 1;
  run.step_names = {"login", "cart"};
  run.assert_details = {"", "assert_status 200, got 401"};
  AgentReport agent;
  agent.agent_id = "agent-a";
  agent.health = "dropped";
  run.agents.push_back(agent);
  const std::string html = page_of(run, sample_plan());
  EXPECT_NE(html.find("id=\"steps\""), std::string::npos);
  EXPECT_NE(html.find("<tr class=\"fail\"><td>cart</td>"), std::string::npos);
  EXPECT_NE(html.find("assert_status 200, got 401"), std::string::npos);
  EXPECT_NE(html.find("<tr class=\"fail\"><td>agent-a</td>"), std::string::npos);
}

TEST(RunReport, ChartsAreEmbeddedWithTitleAndFileName) {
  const std::string path = write_png("requests_per_second.png");
  const std::string html = page_of(sample_run(), sample_plan(), {path});
  EXPECT_NE(html.find("<img src=\"data:image/png;base64,"), std::string::npos);
  EXPECT_NE(html.find("(requests_per_second.png)</figcaption>"), std::string::npos);
  std::remove(path.c_str());
  auto missing = run_report(sample_run(), sample_plan(), {path});
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().find(path), std::string::npos);
  EXPECT_NE(page_of(sample_run(), sample_plan()).find("No charts were drawn"), std::string::npos);
}

TEST(RunReport, WritesTheFileOrNamesReportInTheError) {
  Plan plan = sample_plan();
  ASSERT_TRUE(write_run_report(sample_run(), plan, {}));
  std::ifstream file(*plan.report_path);
  const std::string text{std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>()};
  EXPECT_EQ(text.rfind("<!DOCTYPE html>", 0), 0u);
  std::remove(plan.report_path->c_str());
  plan.report_path = "/nonexistent-folder/r.html";
  auto failed = write_run_report(sample_run(), plan, {});
  ASSERT_FALSE(failed);
  EXPECT_NE(failed.error().find("--report"), std::string::npos);
  EXPECT_EQ(failed.error().find('\n'), std::string::npos);
}

}  // namespace
}  // namespace strest
