// The Prometheus text: exact lines for a known Tally, and every line checked against the
// exposition format 0.0.4 by a small parser (HELP and TYPE before samples, label escaping).
#include "sinks/sink_prometheus.h"

#include <gtest/gtest.h>

#include <cctype>
#include <cmath>
#include <cstdlib>
#include <map>
#include <set>
#include <sstream>

#include "sample_tally.h"

namespace strest {
namespace {

constexpr const char* kExpected =
    R"(# HELP strest_requests_total Completed requests by outcome (requests cut off at the end are counted apart).
# TYPE strest_requests_total counter
strest_requests_total{target="http://h:8080/",outcome="ok"} 3
strest_requests_total{target="http://h:8080/",outcome="non_expected_status"} 1
strest_requests_total{target="http://h:8080/",outcome="timeout"} 1
strest_requests_total{target="http://h:8080/",outcome="transport_error"} 1
# HELP strest_requests_cancelled_total Requests still in flight when the run ended.
# TYPE strest_requests_cancelled_total counter
strest_requests_cancelled_total{target="http://h:8080/"} 2
# HELP strest_response_bytes_total Response bytes received, headers included.
# TYPE strest_response_bytes_total counter
strest_response_bytes_total{target="http://h:8080/"} 1234
# HELP strest_status_codes_total Responses by HTTP status code.
# TYPE strest_status_codes_total counter
strest_status_codes_total{target="http://h:8080/",code="200"} 3
strest_status_codes_total{target="http://h:8080/",code="503"} 1
# HELP strest_elapsed_seconds Time since the run started.
# TYPE strest_elapsed_seconds gauge
strest_elapsed_seconds{target="http://h:8080/"} 2.5
# HELP strest_requests_per_second Completed requests per second over the run so far, warmup excluded.
# TYPE strest_requests_per_second gauge
strest_requests_per_second{target="http://h:8080/"} 3
# HELP strest_latency_seconds Latency of requests that got a response (open loop: from the intended send time).
# TYPE strest_latency_seconds summary
strest_latency_seconds{target="http://h:8080/",quantile="0.5"} 0.0002
strest_latency_seconds{target="http://h:8080/",quantile="0.9"} 0.0004
strest_latency_seconds{target="http://h:8080/",quantile="0.95"} 0.0004
strest_latency_seconds{target="http://h:8080/",quantile="0.99"} 0.0004
strest_latency_seconds{target="http://h:8080/",quantile="0.999"} 0.0004
strest_latency_seconds_sum{target="http://h:8080/"} 0.001
strest_latency_seconds_count{target="http://h:8080/"} 4
# HELP strest_latency_ok_seconds Latency of requests that got the expected status.
# TYPE strest_latency_ok_seconds summary
strest_latency_ok_seconds{target="http://h:8080/",quantile="0.5"} 0.0002
strest_latency_ok_seconds{target="http://h:8080/",quantile="0.9"} 0.0003
strest_latency_ok_seconds{target="http://h:8080/",quantile="0.95"} 0.0003
strest_latency_ok_seconds{target="http://h:8080/",quantile="0.99"} 0.0003
strest_latency_ok_seconds{target="http://h:8080/",quantile="0.999"} 0.0003
strest_latency_ok_seconds_sum{target="http://h:8080/"} 0.0006
strest_latency_ok_seconds_count{target="http://h:8080/"} 3
)";

// 6 completed requests over 2 measured seconds (2.5 s elapsed, 0.5 s warmup): 3 per second.
std::string sample_text(const Tally& tally, std::string_view target) {
  return prometheus_text(MetricsView{.elapsed_us = 2'500'000,
                                     .totals = tally,
                                     .measured_seconds = 2.0,
                                     .target = target,
                                     .unix_time_ns = 1'700'000'000'000'000'000});
}

// One parsed sample line: metric name, labels (unescaped) and value.
struct Sample {
  std::string name;
  std::map<std::string, std::string> labels;
  double value = 0;
};

// [a-zA-Z_:][a-zA-Z0-9_:]* for metric names; label names may not have colons.
bool is_name(std::string_view text, bool colons) {
  auto allowed = [colons](char c, bool first) {
    return std::isalpha(static_cast<unsigned char>(c)) || c == '_' || (colons && c == ':') ||
           (!first && std::isdigit(static_cast<unsigned char>(c)));
  };
  if (text.empty()) return false;
  for (size_t i = 0; i < text.size(); ++i) {
    if (!allowed(text[i], i == 0)) return false;
  }
  return true;
}

// Reads `name="value",...` as the format defines it; fails the test on anything else.
std::map<std::string, std::string> parse_labels(const std::string& text) {
  std::map<std::string, std::string> labels;
  size_t at = 0;
  while (at < text.size()) {
    const size_t equals = text.find('=', at);
    EXPECT_NE(equals, std::string::npos) << text;
    if (equals == std::string::npos) break;
    const std::string name = text.substr(at, equals - at);
    EXPECT_TRUE(is_name(name, false)) << name;
    EXPECT_EQ(text[equals + 1], '"') << text;
    std::string value;
    size_t i = equals + 2;
    for (; i < text.size() && text[i] != '"'; ++i) {
      if (text[i] != '\\') {
        value += text[i];
        continue;
      }
      const char escaped = text[++i];
      EXPECT_TRUE(escaped == '\\' || escaped == '"' || escaped == 'n') << text;
      value += escaped == 'n' ? '\n' : escaped;
    }
    EXPECT_LT(i, text.size()) << "unterminated label value: " << text;
    EXPECT_FALSE(labels.count(name)) << "label repeated: " << text;
    labels[name] = value;
    at = i + 1;
    if (at < text.size()) {
      EXPECT_EQ(text[at], ',') << text;
      ++at;
    }
  }
  return labels;
}

double parse_value(const std::string& text) {
  if (text == "NaN") return std::nan("");
  if (text == "+Inf") return HUGE_VAL;
  if (text == "-Inf") return -HUGE_VAL;
  char* end = nullptr;
  const double value = std::strtod(text.c_str(), &end);
  EXPECT_TRUE(!text.empty() && *end == '\0') << "not a float: " << text;
  return value;
}

// Reads an exposition line by line, checking HELP then TYPE before each family's samples, each
// family declared once, every sample `name{labels} value` of a declared family, no series twice.
class ExpositionParser {
 public:
  void line(const std::string& line) {
    if (line.starts_with("# ")) {
      comment(line);
    } else {
      sample(line);
    }
  }
  std::vector<Sample> take() { return std::move(samples_); }

 private:
  // "# HELP name text" or "# TYPE name counter|gauge|summary".
  void comment(const std::string& line) {
    const size_t name_end = line.find(' ', 7);
    const std::string keyword = line.substr(2, 5);
    const std::string name = line.substr(7, name_end - 7);
    const std::string rest = name_end == std::string::npos ? "" : line.substr(name_end + 1);
    EXPECT_TRUE(is_name(name, true) && !rest.empty()) << line;
    if (keyword == "HELP ") {
      EXPECT_TRUE(helped_.insert(name).second) << "HELP repeated: " << line;
      return;
    }
    EXPECT_EQ(keyword, "TYPE ") << line;
    EXPECT_TRUE(rest == "counter" || rest == "gauge" || rest == "summary") << line;
    EXPECT_TRUE(helped_.count(name)) << "TYPE before HELP: " << line;
    EXPECT_TRUE(types_.emplace(name, rest).second) << "TYPE repeated: " << line;
  }

  void sample(const std::string& line) {
    const size_t open = line.find('{');
    const size_t close = line.rfind("} ");
    if (open == std::string::npos || close == std::string::npos || close < open) {
      ADD_FAILURE() << "not a HELP, TYPE or sample line: '" << line << "'";
      return;
    }
    const std::string labels = line.substr(open + 1, close - open - 1);
    const std::string value = line.substr(close + 2);
    EXPECT_EQ(value.find(' '), std::string::npos) << line;
    Sample sample{line.substr(0, open), parse_labels(labels), parse_value(value)};
    EXPECT_TRUE(is_name(sample.name, true)) << line;
    const std::string family = family_of(sample.name);
    EXPECT_TRUE(types_.count(family)) << "sample of an undeclared family: " << line;
    // Summaries: quantile samples under the family name, then _sum and _count without one.
    if (types_[family] == "summary") {
      EXPECT_EQ(sample.labels.count("quantile"), family == sample.name ? 1u : 0u) << line;
    }
    EXPECT_TRUE(series_.insert(sample.name + "{" + labels + "}").second) << line;
    samples_.push_back(std::move(sample));
  }

  // The family a sample belongs to: its name, less _sum or _count for a summary's.
  std::string family_of(const std::string& name) const {
    for (std::string_view suffix : {"_sum", "_count"}) {
      if (!name.ends_with(suffix)) continue;
      const std::string base = name.substr(0, name.size() - suffix.size());
      auto type = types_.find(base);
      if (type != types_.end() && type->second == "summary") return base;
    }
    return name;
  }

  std::map<std::string, std::string> types_;
  std::set<std::string> helped_;
  std::set<std::string> series_;
  std::vector<Sample> samples_;
};

std::vector<Sample> parse_exposition(const std::string& text) {
  EXPECT_TRUE(text.ends_with('\n'));
  ExpositionParser parser;
  std::istringstream lines(text);
  std::string line;
  while (std::getline(lines, line)) parser.line(line);
  return parser.take();
}

TEST(PrometheusText, ExactLinesForAKnownTally) {
  EXPECT_EQ(sample_text(sample_tally(), "http://h:8080/"), kExpected);
}

TEST(PrometheusText, EveryLineFollowsTheFormatAndCarriesTheTarget) {
  const std::string target = "http://h/a\"b\\c\nd";
  const std::vector<Sample> samples = parse_exposition(sample_text(sample_tally(), target));
  ASSERT_EQ(samples.size(), 24u);
  std::set<std::string> names;
  for (const Sample& sample : samples) {
    EXPECT_EQ(sample.labels.at("target"), target) << sample.name;
    names.insert(sample.name);
  }
  EXPECT_EQ(names, (std::set<std::string>{
                       "strest_requests_total", "strest_requests_cancelled_total",
                       "strest_response_bytes_total", "strest_status_codes_total",
                       "strest_elapsed_seconds", "strest_requests_per_second",
                       "strest_latency_seconds", "strest_latency_seconds_sum",
                       "strest_latency_seconds_count", "strest_latency_ok_seconds",
                       "strest_latency_ok_seconds_sum", "strest_latency_ok_seconds_count"}));
}

TEST(PrometheusText, OutcomesAddUpToCompletedRequests) {
  const Tally tally = sample_tally();
  double total = 0;
  for (const Sample& sample : parse_exposition(sample_text(tally, "http://h/"))) {
    if (sample.name == "strest_requests_total") total += sample.value;
  }
  EXPECT_EQ(total, static_cast<double>(tally.completed()));
}

TEST(PrometheusText, EmptyRunHasNaNQuantilesAndNoStatusSamples) {
  const Tally empty;
  const std::string text = prometheus_text(MetricsView{.totals = empty, .target = "http://h/"});
  const std::vector<Sample> samples = parse_exposition(text);
  int quantiles = 0;
  for (const Sample& sample : samples) {
    EXPECT_NE(sample.name, "strest_status_codes_total");
    if (sample.labels.count("quantile")) {
      EXPECT_TRUE(std::isnan(sample.value)) << sample.name;
      ++quantiles;
    } else {
      EXPECT_EQ(sample.value, 0) << sample.name;
    }
  }
  EXPECT_EQ(quantiles, 10);
  EXPECT_NE(text.find("# TYPE strest_status_codes_total counter\n"), std::string::npos);
  EXPECT_NE(text.find("strest_requests_per_second{target=\"http://h/\"} 0\n"), std::string::npos);
}

TEST(PrometheusText, LabelValuesEscapeBackslashQuoteAndNewline) {
  EXPECT_EQ(prometheus_label_value("plain"), "plain");
  EXPECT_EQ(prometheus_label_value("a\\b\"c\nd"), "a\\\\b\\\"c\\nd");
  const std::string text = sample_text(sample_tally(), "http://h/\"q\"");
  EXPECT_NE(text.find("strest_elapsed_seconds{target=\"http://h/\\\"q\\\"\"} 2.5\n"),
            std::string::npos);
}

}  // namespace
}  // namespace strest
