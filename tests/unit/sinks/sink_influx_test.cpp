// The Influx file: line protocol with measurement strest, tag target, integer fields ending in i,
// a nanosecond timestamp, and escaping of commas, spaces and equals signs in tags.
#include "sinks/sink_influx.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <sstream>

#include "sample_tally.h"

namespace strest {
namespace {

constexpr int64_t kNow = 1'700'000'000'123'456'789;

std::string sample_lines(const Tally& tally, std::string_view target) {
  return influx_lines(MetricsView{.elapsed_us = 2'500'000,
                                  .totals = tally,
                                  .measured_seconds = 2.0,
                                  .target = target,
                                  .unix_time_ns = kNow});
}

TEST(InfluxLines, ExactLinesForAKnownTally) {
  const std::string expected =
      "strest,target=http://h:8080/ requests_total=6i,requests_ok=3i,"
      "requests_non_expected_status=1i,requests_timeout=1i,requests_transport_error=1i,"
      "requests_cancelled=2i,response_bytes=1234i,elapsed_seconds=2.5,requests_per_second=3,"
      "latency_p50_seconds=0.0002,latency_p90_seconds=0.0004,latency_p95_seconds=0.0004,"
      "latency_p99_seconds=0.0004,latency_p999_seconds=0.0004,latency_sum_seconds=0.001,"
      "latency_count=4i,latency_ok_p50_seconds=0.0002,latency_ok_p90_seconds=0.0003,"
      "latency_ok_p95_seconds=0.0003,latency_ok_p99_seconds=0.0003,"
      "latency_ok_p999_seconds=0.0003,latency_ok_sum_seconds=0.0006,latency_ok_count=3i "
      "1700000000123456789\n"
      "strest,code=200,target=http://h:8080/ status_codes=3i 1700000000123456789\n"
      "strest,code=503,target=http://h:8080/ status_codes=1i 1700000000123456789\n";
  EXPECT_EQ(sample_lines(sample_tally(), "http://h:8080/"), expected);
}

// Splits text at each `separator` not escaped by a backslash (escapes are kept).
std::vector<std::string> split_unescaped(const std::string& text, char separator) {
  std::vector<std::string> parts(1);
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\\' && i + 1 < text.size()) {
      parts.back() += text.substr(i++, 2);
    } else if (text[i] == separator) {
      parts.emplace_back();
    } else {
      parts.back() += text[i];
    }
  }
  return parts;
}

bool all_of(std::string_view text, const char* allowed) {
  return !text.empty() && text.find_first_not_of(allowed) == std::string_view::npos;
}

// key=<digits>i or key=<float>, keys lower-case words.
void expect_field(const std::string& field) {
  const size_t equals = field.find('=');
  ASSERT_NE(equals, std::string::npos) << field;
  EXPECT_TRUE(all_of(field.substr(0, equals), "abcdefghijklmnopqrstuvwxyz0123456789_")) << field;
  const std::string value = field.substr(equals + 1);
  if (value.ends_with('i')) {
    EXPECT_TRUE(all_of(value.substr(0, value.size() - 1), "0123456789")) << field;
    return;
  }
  char* end = nullptr;
  std::strtod(value.c_str(), &end);
  EXPECT_TRUE(!value.empty() && *end == '\0') << field;
}

// measurement,tag=value... field=value,... timestamp
void expect_line_shape(const std::string& line) {
  const std::vector<std::string> parts = split_unescaped(line, ' ');
  ASSERT_EQ(parts.size(), 3u) << line;
  const std::vector<std::string> series = split_unescaped(parts[0], ',');
  EXPECT_EQ(series[0], "strest") << line;
  EXPECT_GE(series.size(), 2u) << "at least the target tag: " << line;
  for (size_t i = 1; i < series.size(); ++i) {
    const size_t equals = series[i].find('=');
    EXPECT_TRUE(equals != std::string::npos && equals > 0 && equals + 1 < series[i].size())
        << series[i];
  }
  for (const std::string& field : split_unescaped(parts[1], ',')) expect_field(field);
  EXPECT_TRUE(all_of(parts[2], "0123456789") && parts[2].size() == 19) << line;
}

TEST(InfluxLines, EveryLineHasMeasurementTagsFieldsAndTimestamp) {
  std::istringstream lines(sample_lines(sample_tally(), "http://h:80/a b,c=d"));
  std::string line;
  int count = 0;
  while (std::getline(lines, line)) {
    expect_line_shape(line);
    EXPECT_NE(line.find(",target=http://h:80/a\\ b\\,c\\=d "), std::string::npos) << line;
    ++count;
  }
  EXPECT_EQ(count, 3);
}

TEST(InfluxLines, TagsEscapeCommaEqualsAndSpace) {
  EXPECT_EQ(influx_tag("plain/path?q"), "plain/path?q");
  EXPECT_EQ(influx_tag("a b,c=d"), "a\\ b\\,c\\=d");
  EXPECT_EQ(influx_tag("line\nbreak"), "line\\ break");
}

TEST(InfluxLines, EmptyRunLeavesQuantilesOut) {
  const Tally empty;
  EXPECT_EQ(influx_lines(MetricsView{.totals = empty, .target = "http://h/", .unix_time_ns = 5}),
            "strest,target=http://h/ requests_total=0i,requests_ok=0i,"
            "requests_non_expected_status=0i,requests_timeout=0i,requests_transport_error=0i,"
            "requests_cancelled=0i,response_bytes=0i,elapsed_seconds=0,requests_per_second=0,"
            "latency_sum_seconds=0,latency_count=0i,latency_ok_sum_seconds=0,"
            "latency_ok_count=0i 5\n");
}

}  // namespace
}  // namespace strest
