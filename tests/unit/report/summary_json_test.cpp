#include "report/summary_json.h"

#include <gtest/gtest.h>

#include <set>

namespace strest {
namespace {

using nlohmann::json;

// A run of 1,005 completed requests over 2.5 s. Each percentile's rank in latency_all (500,
// 900, 950, 990, 999 of 1,000) sits inside a plateau, so any percentile rounding agrees.
RunResult sample_run() {
  RunResult run;
  run.target = "http://127.0.0.1:8080/items";
  run.wall = std::chrono::microseconds(2'500'000);
  run.stop_reason = StopReason::kDuration;
  Tally& t = run.totals;
  t.ok = 996;
  t.non_expected_status = 4;
  t.timeouts = 3;
  t.timeouts_by_kind[static_cast<size_t>(TimeoutKind::kConnect)] = 1;
  t.timeouts_by_kind[static_cast<size_t>(TimeoutKind::kRequest)] = 2;
  t.transport_errors = 2;
  t.transport_by_kind[static_cast<size_t>(TransportError::kReset)] = 2;
  t.cancelled = 7;
  t.bytes_received = 123'456;
  t.status_counts[200] = 996;
  t.status_counts[404] = 4;
  t.latency_all.record_n(300, 400);  // ranks 1..400
  t.latency_all.record_n(412, 200);  // 401..600: p50
  t.latency_all.record_n(800, 320);  // 601..920: p90
  t.latency_all.record_n(1000, 50);  // 921..970: p95
  t.latency_all.record_n(1234, 25);  // 971..995: p99
  t.latency_all.record_n(1999, 5);   // 996..1000: p99.9
  t.latency_ok.record_n(250, 3);
  t.latency_ok.record_n(1501, 1);
  return run;
}

TEST(SummaryJson, HasExactlyTheDocumentedKeys) {
  const json j = summary_json(sample_run(), Plan{});
  std::set<std::string> keys;
  for (const auto& item : j.items()) keys.insert(item.key());
  std::set<std::string> expected = {"target",
                                    "total_requests",
                                    "successful_requests",
                                    "error_requests",
                                    "timeout_requests",
                                    "transport_errors",
                                    "non_expected_status",
                                    "cancelled_requests",
                                    "duration_ms",
                                    "rps",
                                    "rpm",
                                    "bytes_received",
                                    "status_codes",
                                    "transport_error_kinds",
                                    "timeout_kinds",
                                    "stop_reason",
                                    "expected_status",
                                    "insight",
                                    "open_loop",
                                    "target_rps",
                                    "scheduled_requests",
                                    "warmup_ms",
                                    "warmup_excluded_requests",
                                    "series",
                                    "thresholds",
                                    "thresholds_passed",
                                    "protocol",
                                    "connections_opened",
                                    "tls_handshakes",
                                    "tls_resumed",
                                    "phases",
                                    "error_details"};
  for (const char* stat : {"min", "avg", "max", "p50", "p90", "p95", "p99", "p999"}) {
    expected.insert(std::string(stat) + "_latency_ms");
    expected.insert("success_" + std::string(stat) + "_latency_ms");
    expected.insert("service_" + std::string(stat) + "_latency_ms");
    expected.insert("service_success_" + std::string(stat) + "_latency_ms");
  }
  for (const char* key :
       {"schedule_lag_mean_ms", "schedule_lag_max_ms", "late_starts", "unsent_at_end"}) {
    expected.insert(key);
  }
  EXPECT_EQ(keys, expected);
  // Open and closed loop share one schema.
  RunResult open = sample_run();
  open.open_loop = true;
  std::set<std::string> open_keys;
  const json open_json = summary_json(open, Plan{});
  for (const auto& item : open_json.items()) open_keys.insert(item.key());
  EXPECT_EQ(open_keys, expected);
  // Closed loop: service time is the latency (both from the send).
  EXPECT_EQ(j["service_p99_latency_ms"], j["p99_latency_ms"]);
  std::set<std::string> insight_keys;
  for (const auto& item : j["insight"].items()) insight_keys.insert(item.key());
  EXPECT_EQ(insight_keys,
            (std::set<std::string>{"spread_p99_p50", "tail_p99_p95", "outlier_p999_p99"}));
}

TEST(SummaryJson, CountsExcludeCancelled) {
  const json j = summary_json(sample_run(), Plan{});
  EXPECT_EQ(j["target"], "http://127.0.0.1:8080/items");
  EXPECT_EQ(j["total_requests"], 1005);
  EXPECT_EQ(j["successful_requests"], 996);
  EXPECT_EQ(j["error_requests"], 9);
  EXPECT_EQ(j["timeout_requests"], 3);
  EXPECT_EQ(j["transport_errors"], 2);
  EXPECT_EQ(j["non_expected_status"], 4);
  EXPECT_EQ(j["cancelled_requests"], 7);
  EXPECT_EQ(j["bytes_received"], 123456);
  EXPECT_TRUE(j["total_requests"].is_number_integer());
}

TEST(SummaryJson, ThroughputFromCompletedOverWallClock) {
  const json j = summary_json(sample_run(), Plan{});
  EXPECT_EQ(j["duration_ms"], 2500);
  EXPECT_TRUE(j["duration_ms"].is_number_integer());
  EXPECT_TRUE(j["rps"].is_number_float());
  EXPECT_DOUBLE_EQ(j["rps"].get<double>(), 402.0);  // 1005 / 2.5 s; cancelled not counted
  EXPECT_DOUBLE_EQ(j["rpm"].get<double>(), 24120.0);
}

TEST(SummaryJson, DurationRoundsToNearestMillisecond) {
  RunResult run = sample_run();
  run.wall = std::chrono::microseconds(1'234'567);
  EXPECT_EQ(summary_json(run, Plan{})["duration_ms"], 1235);
  run.wall = std::chrono::microseconds(1'234'499);
  EXPECT_EQ(summary_json(run, Plan{})["duration_ms"], 1234);
}

TEST(SummaryJson, ZeroWallClockGivesZeroRate) {
  RunResult run = sample_run();
  run.wall = std::chrono::microseconds(0);
  const json j = summary_json(run, Plan{});
  EXPECT_EQ(j["rps"].get<double>(), 0.0);
  EXPECT_EQ(j["rpm"].get<double>(), 0.0);
}

TEST(SummaryJson, LatenciesInMillisecondsWithMicrosecondPrecision) {
  const json j = summary_json(sample_run(), Plan{});
  EXPECT_DOUBLE_EQ(j["min_latency_ms"].get<double>(), 0.300);
  EXPECT_DOUBLE_EQ(j["avg_latency_ms"].get<double>(), 0.549);  // 549.245 µs, rounded to µs
  EXPECT_DOUBLE_EQ(j["max_latency_ms"].get<double>(), 1.999);
  EXPECT_DOUBLE_EQ(j["p50_latency_ms"].get<double>(), 0.412);
  EXPECT_DOUBLE_EQ(j["p90_latency_ms"].get<double>(), 0.800);
  EXPECT_DOUBLE_EQ(j["p95_latency_ms"].get<double>(), 1.000);
  EXPECT_DOUBLE_EQ(j["p99_latency_ms"].get<double>(), 1.234);
  EXPECT_DOUBLE_EQ(j["p999_latency_ms"].get<double>(), 1.999);
  const std::string text = summary_json_text(sample_run(), Plan{});
  EXPECT_NE(text.find("\"p50_latency_ms\": 0.412,"), std::string::npos) << text;
  EXPECT_NE(text.find("\"p99_latency_ms\": 1.234,"), std::string::npos) << text;
}

TEST(SummaryJson, SuccessLatenciesFromOkHistogram) {
  const json j = summary_json(sample_run(), Plan{});
  EXPECT_DOUBLE_EQ(j["success_min_latency_ms"].get<double>(), 0.250);
  EXPECT_DOUBLE_EQ(j["success_avg_latency_ms"].get<double>(), 0.563);  // 2251 / 4 µs
  EXPECT_DOUBLE_EQ(j["success_max_latency_ms"].get<double>(), 1.501);
  EXPECT_DOUBLE_EQ(j["success_p50_latency_ms"].get<double>(), 0.250);
  EXPECT_DOUBLE_EQ(j["success_p999_latency_ms"].get<double>(), 1.501);
}

TEST(SummaryJson, BreakdownsListOnlyNonZeroKinds) {
  const json j = summary_json(sample_run(), Plan{});
  EXPECT_EQ(j["status_codes"], (json{{"200", 996}, {"404", 4}}));
  EXPECT_EQ(j["transport_error_kinds"], (json{{"reset", 2}}));
  EXPECT_EQ(j["timeout_kinds"], (json{{"connect", 1}, {"request", 2}}));
}

TEST(SummaryJson, InsightRatiosFromAllResponses) {
  const json j = summary_json(sample_run(), Plan{});
  EXPECT_DOUBLE_EQ(j["insight"]["spread_p99_p50"].get<double>(), 1234.0 / 412.0);
  EXPECT_DOUBLE_EQ(j["insight"]["tail_p99_p95"].get<double>(), 1.234);
  EXPECT_DOUBLE_EQ(j["insight"]["outlier_p999_p99"].get<double>(), 1999.0 / 1234.0);
}

TEST(SummaryJson, EmptyRunGivesZeroLatenciesAndNullRatios) {
  RunResult run;
  run.target = "http://localhost/";
  run.totals.cancelled = 5;
  const json j = summary_json(run, Plan{});
  EXPECT_EQ(j["total_requests"], 0);
  EXPECT_EQ(j["cancelled_requests"], 5);
  for (const char* key : {"min_latency_ms", "avg_latency_ms", "max_latency_ms", "p50_latency_ms",
                          "p999_latency_ms", "success_min_latency_ms", "success_p99_latency_ms"}) {
    EXPECT_EQ(j[key].get<double>(), 0.0) << key;
  }
  EXPECT_TRUE(j["insight"]["spread_p99_p50"].is_null());
  EXPECT_TRUE(j["insight"]["tail_p99_p95"].is_null());
  EXPECT_TRUE(j["insight"]["outlier_p999_p99"].is_null());
  EXPECT_TRUE(j["status_codes"].is_object() && j["status_codes"].empty());
  EXPECT_TRUE(j["transport_error_kinds"].is_object() && j["transport_error_kinds"].empty());
  EXPECT_EQ(j["timeout_kinds"], (json{{"connect", 0}, {"request", 0}}));
}

TEST(SummaryJson, StopReasonAndExpectedStatusFromRunAndPlan) {
  RunResult run = sample_run();
  Plan plan;
  plan.expected_status = 204;
  EXPECT_EQ(summary_json(run, plan)["expected_status"], 204);
  EXPECT_EQ(summary_json(run, plan)["stop_reason"], "duration");
  run.stop_reason = StopReason::kRequestCount;
  EXPECT_EQ(summary_json(run, plan)["stop_reason"], "requests");
  run.stop_reason = StopReason::kSignal;
  EXPECT_EQ(summary_json(run, plan)["stop_reason"], "signal");
}

TEST(SummaryJson, TargetFallsBackToPlanUrl) {
  RunResult run = sample_run();
  run.target.clear();
  Plan plan;
  plan.url.scheme = "http";
  plan.url.host = "example.test";
  plan.url.port = 8080;
  plan.url.host_header = "example.test:8080";
  plan.url.target = "/a?b=1";
  EXPECT_EQ(summary_json(run, plan)["target"], plan.url.to_string());
}

TEST(SummaryJson, TextIsIndentedJsonWithNewline) {
  const std::string text = summary_json_text(sample_run(), Plan{});
  ASSERT_FALSE(text.empty());
  EXPECT_EQ(text.back(), '\n');
  EXPECT_EQ(text.rfind("{\n  \"", 0), 0u);
  EXPECT_EQ(json::parse(text), summary_json(sample_run(), Plan{}));
}

}  // namespace
}  // namespace strest
