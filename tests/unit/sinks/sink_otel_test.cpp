// The OTel file: OTLP/JSON metrics (resourceMetrics -> scopeMetrics -> metrics) with cumulative
// monotonic sums, gauges and summaries, int64 values as strings, target on every data point.
#include "sinks/sink_otel.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "sample_tally.h"

namespace strest {
namespace {

using nlohmann::json;

constexpr int64_t kNow = 1'700'000'000'123'456'789;

json sample_document(const Tally& tally) {
  const std::string text = otel_json(MetricsView{.elapsed_us = 2'500'000,
                                                 .totals = tally,
                                                 .measured_seconds = 2.0,
                                                 .target = "http://h:8080/",
                                                 .unix_time_ns = kNow});
  EXPECT_TRUE(text.ends_with("}\n"));
  return json::parse(text);
}

const json& metrics_of(const json& document) {
  return document.at("resourceMetrics").at(0).at("scopeMetrics").at(0).at("metrics");
}

const json& metric_named(const json& document, const std::string& name) {
  for (const json& metric : metrics_of(document)) {
    if (metric.at("name") == name) return metric;
  }
  throw std::runtime_error("no metric " + name);
}

// The value of attribute `key` of a data point, "" if it has none.
std::string attribute(const json& point, const std::string& key) {
  for (const json& entry : point.at("attributes")) {
    if (entry.at("key") == key) return entry.at("value").at("stringValue");
  }
  return "";
}

TEST(OtelJson, ResourceScopeAndMetricNames) {
  const json document = sample_document(sample_tally());
  ASSERT_EQ(document.at("resourceMetrics").size(), 1u);
  const json& resource = document["resourceMetrics"][0]["resource"];
  EXPECT_EQ(resource, json::parse(R"({"attributes": [
      {"key": "service.name", "value": {"stringValue": "strest"}}]})"));
  const json& scope = document["resourceMetrics"][0]["scopeMetrics"][0]["scope"];
  EXPECT_EQ(scope.at("name"), "strest");
  EXPECT_EQ(scope.at("version"), STREST_VERSION);
  std::vector<std::string> names;
  for (const json& metric : metrics_of(document)) {
    names.push_back(metric.at("name"));
    EXPECT_FALSE(metric.at("description").get<std::string>().empty());
    EXPECT_FALSE(metric.at("unit").get<std::string>().empty());
  }
  EXPECT_EQ(names, (std::vector<std::string>{"strest.requests", "strest.requests.cancelled",
                                             "strest.response.bytes", "strest.status_codes",
                                             "strest.elapsed", "strest.requests_per_second",
                                             "strest.latency", "strest.latency.ok"}));
}

TEST(OtelJson, CountersAreCumulativeMonotonicSumsWithStringInts) {
  const json document = sample_document(sample_tally());
  const json& requests = metric_named(document, "strest.requests").at("sum");
  EXPECT_EQ(requests.at("aggregationTemporality"), 2);
  EXPECT_EQ(requests.at("isMonotonic"), true);
  std::map<std::string, std::string> by_outcome;
  for (const json& point : requests.at("dataPoints")) {
    EXPECT_EQ(attribute(point, "target"), "http://h:8080/");
    EXPECT_EQ(point.at("timeUnixNano"), std::to_string(kNow));
    EXPECT_EQ(point.at("startTimeUnixNano"), std::to_string(kNow - 2'500'000'000));
    by_outcome[attribute(point, "outcome")] = point.at("asInt");
  }
  EXPECT_EQ(
      by_outcome,
      (std::map<std::string, std::string>{
          {"ok", "3"}, {"non_expected_status", "1"}, {"timeout", "1"}, {"transport_error", "1"}}));
  const json& codes = metric_named(document, "strest.status_codes")["sum"]["dataPoints"];
  ASSERT_EQ(codes.size(), 2u);
  EXPECT_EQ(attribute(codes[0], "code"), "200");
  EXPECT_EQ(codes[0].at("asInt"), "3");
  EXPECT_EQ(attribute(codes[1], "code"), "503");
  EXPECT_EQ(codes[1].at("asInt"), "1");
  EXPECT_EQ(metric_named(document, "strest.requests.cancelled")["sum"]["dataPoints"][0]["asInt"],
            "2");
  EXPECT_EQ(metric_named(document, "strest.response.bytes")["sum"]["dataPoints"][0]["asInt"],
            "1234");
}

TEST(OtelJson, GaugesCarryDoubles) {
  const json document = sample_document(sample_tally());
  const json& elapsed = metric_named(document, "strest.elapsed").at("gauge").at("dataPoints");
  ASSERT_EQ(elapsed.size(), 1u);
  EXPECT_EQ(elapsed[0].at("asDouble"), 2.5);
  EXPECT_EQ(attribute(elapsed[0], "target"), "http://h:8080/");
  EXPECT_EQ(
      metric_named(document, "strest.requests_per_second")["gauge"]["dataPoints"][0]["asDouble"],
      3.0);
}

TEST(OtelJson, LatencyIsASummaryInSeconds) {
  const json document = sample_document(sample_tally());
  const json& latency = metric_named(document, "strest.latency");
  EXPECT_EQ(latency.at("unit"), "s");
  const json& point = latency.at("summary").at("dataPoints").at(0);
  EXPECT_EQ(point.at("count"), "4");
  EXPECT_DOUBLE_EQ(point.at("sum").get<double>(), 0.001);
  EXPECT_EQ(point.at("quantileValues"), json::parse(R"([
      {"quantile": 0.5, "value": 0.0002}, {"quantile": 0.9, "value": 0.0004},
      {"quantile": 0.95, "value": 0.0004}, {"quantile": 0.99, "value": 0.0004},
      {"quantile": 0.999, "value": 0.0004}])"));
  const json& ok = metric_named(document, "strest.latency.ok")["summary"]["dataPoints"][0];
  EXPECT_EQ(ok.at("count"), "3");
  EXPECT_EQ(ok.at("quantileValues").at(1).at("value"), 0.0003);
}

TEST(OtelJson, EmptyRunHasNoQuantilesAndZeroCounts) {
  const Tally empty;
  const json document = json::parse(otel_json(MetricsView{.totals = empty, .target = "http://h/"}));
  const json& point = metric_named(document, "strest.latency")["summary"]["dataPoints"][0];
  EXPECT_EQ(point.at("count"), "0");
  EXPECT_EQ(point.at("sum"), 0.0);
  EXPECT_TRUE(point.at("quantileValues").empty());
  EXPECT_TRUE(metric_named(document, "strest.status_codes")["sum"]["dataPoints"].empty());
  EXPECT_EQ(
      metric_named(document, "strest.requests_per_second")["gauge"]["dataPoints"][0]["asDouble"],
      0.0);
}

}  // namespace
}  // namespace strest
