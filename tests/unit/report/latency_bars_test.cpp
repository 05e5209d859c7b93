#include "report/latency_bars.h"

#include <gtest/gtest.h>

#include <numeric>
#include <sstream>

namespace strest {
namespace {

uint64_t total(const std::vector<LatencyBarRow>& rows) {
  return std::accumulate(rows.begin(), rows.end(), uint64_t{0},
                         [](uint64_t sum, const LatencyBarRow& row) { return sum + row.count; });
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

size_t count_blocks(const std::string& line) {
  size_t blocks = 0;
  for (size_t at = line.find("\xe2\x96\x88"); at != std::string::npos;
       at = line.find("\xe2\x96\x88", at + 3)) {
    ++blocks;
  }
  return blocks;
}

std::string draw(const HdrHistogram& latency, bool color) {
  std::ostringstream out;
  LatencyBarStyle style;
  style.color = color;
  write_latency_bars(latency, out, style);
  return out.str();
}

TEST(LatencyBars, EmptyHistogramHasNoRowsAndSaysSo) {
  const HdrHistogram empty;
  EXPECT_TRUE(latency_bar_rows(empty).empty());
  EXPECT_EQ(draw(empty, false), "  (no latency samples)\n");
  EXPECT_EQ(draw(empty, true), "  (no latency samples)\n");
}

TEST(LatencyBars, SingleValueIsOneFullRow) {
  HdrHistogram latency;
  latency.record_n(412, 7);
  const auto rows = latency_bar_rows(latency);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].lower_us, 412);
  EXPECT_EQ(rows[0].count, 7u);
  const std::string text = draw(latency, false);
  EXPECT_EQ(text.rfind("  0.412 ms [7] ", 0), 0u) << text;
  EXPECT_EQ(count_blocks(text), 40u);
}

TEST(LatencyBars, ZeroLatencyValuesDoNotBreakScaling) {
  HdrHistogram latency;
  latency.record_n(0, 3);
  latency.record_n(5000, 1);
  const auto rows = latency_bar_rows(latency);
  ASSERT_EQ(rows.size(), 11u);
  EXPECT_EQ(rows.front().lower_us, 0);
  EXPECT_EQ(total(rows), 4u);
  EXPECT_EQ(rows.front().count, 3u);
  EXPECT_EQ(rows.back().count, 1u);
}

TEST(LatencyBars, NarrowSpanGetsOneRowPerMicrosecond) {
  HdrHistogram latency;
  for (int64_t v = 100; v <= 104; ++v) latency.record_n(v, v - 99);
  const auto rows = latency_bar_rows(latency);
  ASSERT_EQ(rows.size(), 5u);
  for (size_t i = 0; i < rows.size(); ++i) {
    EXPECT_EQ(rows[i].lower_us, 100 + static_cast<int64_t>(i));
    EXPECT_EQ(rows[i].count, i + 1);
  }
}

TEST(LatencyBars, LinearRowsFromMinToMax) {
  HdrHistogram latency;
  for (int64_t v = 1000; v <= 2000; ++v) latency.record(v);
  const auto rows = latency_bar_rows(latency);
  ASSERT_EQ(rows.size(), 11u);
  EXPECT_EQ(rows.front().lower_us, 1000);
  EXPECT_EQ(total(rows), 1001u);
  const int64_t step = rows[1].lower_us - rows[0].lower_us;
  EXPECT_EQ(step, 91);  // 1001 values / 11 rows, rounded
  EXPECT_NEAR(rows[10].lower_us - rows[9].lower_us, step, 1);
  for (const LatencyBarRow& row : rows) EXPECT_NEAR(static_cast<double>(row.count), 91.0, 1.0);
}

TEST(LatencyBars, LogRowsWhenMaxOverMinAboveHundred) {
  HdrHistogram latency;
  latency.record_n(100, 50);
  latency.record_n(1000, 30);
  latency.record_n(100000, 1);
  const auto rows = latency_bar_rows(latency);
  ASSERT_EQ(rows.size(), 11u);
  EXPECT_EQ(rows.front().lower_us, 100);
  EXPECT_EQ(total(rows), 81u);
  // Geometric steps: each edge is the previous times 1000^(1/11) ~ 1.874.
  for (size_t i = 1; i < rows.size(); ++i) {
    EXPECT_NEAR(static_cast<double>(rows[i].lower_us) / rows[i - 1].lower_us, 1.874, 0.01);
  }
  EXPECT_EQ(rows.front().count, 50u);
  EXPECT_EQ(rows.back().count, 1u);
}

TEST(LatencyBars, BarsScaleToFullestRowWithinWidth) {
  HdrHistogram latency;
  latency.record_n(1000, 1000);
  latency.record_n(1500, 500);
  latency.record_n(2000, 1);
  const auto lines = lines_of(draw(latency, false));
  ASSERT_EQ(lines.size(), 11u);
  EXPECT_EQ(count_blocks(lines.front()), 40u);
  EXPECT_EQ(count_blocks(lines.back()), 1u);  // any non-empty row shows at least one block
  size_t empty_rows = 0;
  for (const std::string& line : lines) {
    EXPECT_LE(count_blocks(line), 40u);
    if (count_blocks(line) == 0) {
      ++empty_rows;
      EXPECT_EQ(line.back(), ']') << "no trailing space on an empty row: '" << line << "'";
    }
  }
  EXPECT_EQ(empty_rows, 8u);
  EXPECT_NE(lines.front().find("1.000 ms [1,000] "), std::string::npos) << lines.front();
  EXPECT_NE(lines.back().find(" ms [    1] "), std::string::npos) << lines.back();
}

TEST(LatencyBars, ColourGradientOnlyWhenAsked) {
  HdrHistogram latency;
  for (int64_t v = 1000; v <= 2000; ++v) latency.record(v);
  const std::string plain = draw(latency, false);
  EXPECT_EQ(plain.find('\x1b'), std::string::npos);
  const auto lines = lines_of(draw(latency, true));
  ASSERT_EQ(lines.size(), 11u);
  EXPECT_NE(lines.front().find("\x1b[38;5;22m"), std::string::npos);  // dark green
  EXPECT_NE(lines[6].find("\x1b[38;5;226m"), std::string::npos);      // yellow
  EXPECT_NE(lines.back().find("\x1b[38;5;88m"), std::string::npos);   // dark red
  for (const std::string& line : lines) EXPECT_NE(line.find("\x1b[0m"), std::string::npos);
}

TEST(LatencyBars, GradientIsClamped) {
  EXPECT_EQ(gradient_color(-3), 22);
  EXPECT_EQ(gradient_color(0), 22);
  EXPECT_EQ(gradient_color(10), 88);
  EXPECT_EQ(gradient_color(99), 88);
}

TEST(NumberFormat, MillisecondsKeepMicroseconds) {
  EXPECT_EQ(format_ms(0), "0.000");
  EXPECT_EQ(format_ms(1), "0.001");
  EXPECT_EQ(format_ms(412), "0.412");
  EXPECT_EQ(format_ms(1234567), "1234.567");
  EXPECT_EQ(format_ms(-1500), "-1.500");
}

TEST(NumberFormat, ThousandsSeparators) {
  EXPECT_EQ(format_count(0), "0");
  EXPECT_EQ(format_count(999), "999");
  EXPECT_EQ(format_count(1000), "1,000");
  EXPECT_EQ(format_count(1234567), "1,234,567");
  EXPECT_EQ(format_count(18446744073709551615ULL), "18,446,744,073,709,551,615");
}

}  // namespace
}  // namespace strest
