#include "report/latency_bars.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <string_view>

#include "text/ansi_color.h"

namespace strest {

namespace {

// vastar's path through the 6x6x6 colour cube, (0,1,0) -> (0,4,0) -> (1,5,0) -> (5,5,0) ->
// (5,1,0) -> (4,0,0) -> (2,0,0), sampled at eleven points; index = 16 + 36r + 6g + b.
constexpr std::array<int, 11> kGradient = {22, 28, 34, 40, 82, 154, 226, 214, 202, 160, 88};

constexpr std::string_view kBlock = "\xe2\x96\x88";  // U+2588 FULL BLOCK
constexpr double kLogScaleRatio = 100.0;

// Lower edges of the rows, strictly increasing, the first equal to min. Linear rows cover
// span + 1 values so that a span of fewer than `rows` µs gets exactly one row per µs.
std::vector<int64_t> row_edges(int64_t min, int64_t max, int rows) {
  const int64_t span = max - min;
  const int n = static_cast<int>(std::clamp<int64_t>(span + 1, 1, std::max(rows, 1)));
  const double low = static_cast<double>(std::max<int64_t>(min, 1));
  const bool log_scale = static_cast<double>(max) / low > kLogScaleRatio;
  std::vector<int64_t> edges{min};
  for (int i = 1; i < n; ++i) {
    const double t = static_cast<double>(i) / n;
    const double edge = log_scale ? low * std::pow(static_cast<double>(max) / low, t)
                                  : static_cast<double>(min) + t * static_cast<double>(span + 1);
    const int64_t rounded = std::llround(edge);
    if (rounded > edges.back() && rounded <= max) edges.push_back(rounded);
  }
  return edges;
}

std::string bar(uint64_t count, uint64_t fullest, int width) {
  if (count == 0 || fullest == 0) return {};
  const double exact = static_cast<double>(count) * width / static_cast<double>(fullest);
  const int length = std::max(1, static_cast<int>(std::ceil(exact - 1e-9)));
  std::string out;
  out.reserve(kBlock.size() * length);
  for (int i = 0; i < length; ++i) out += kBlock;
  return out;
}

std::string pad_left(const std::string& text, size_t width) {
  return text.size() >= width ? text : std::string(width - text.size(), ' ') + text;
}

int level_of_row(size_t row, size_t rows) {
  if (rows <= 1) return 0;
  return static_cast<int>(std::lround(10.0 * static_cast<double>(row) / (rows - 1)));
}

}  // namespace

std::vector<LatencyBarRow> latency_bar_rows(const HdrHistogram& latency, int rows) {
  if (latency.total_count() == 0) return {};
  const int64_t min = latency.min();
  const int64_t max = latency.max();
  const std::vector<int64_t> edges = row_edges(min, max, rows);
  std::vector<LatencyBarRow> out;
  for (int64_t edge : edges) out.push_back({edge, 0});
  for (const HdrHistogram::Bucket& bucket : latency.recorded_buckets()) {
    // Bucket values are the highest equivalent value; clamp into the exact [min, max].
    const int64_t value = std::clamp(bucket.value, min, max);
    const auto after = std::upper_bound(edges.begin(), edges.end(), value);
    out[static_cast<size_t>(after - edges.begin()) - 1].count +=
        static_cast<uint64_t>(bucket.count);
  }
  return out;
}

void write_latency_bars(const HdrHistogram& latency, std::ostream& out,
                        const LatencyBarStyle& style) {
  const std::vector<LatencyBarRow> rows = latency_bar_rows(latency, style.rows);
  if (rows.empty()) {
    out << style.indent << "(no latency samples)\n";
    return;
  }
  size_t label_width = 0, count_width = 0;
  uint64_t fullest = 0;
  for (const LatencyBarRow& row : rows) {
    label_width = std::max(label_width, format_ms(row.lower_us).size());
    count_width = std::max(count_width, format_count(row.count).size());
    fullest = std::max(fullest, row.count);
  }
  for (size_t i = 0; i < rows.size(); ++i) {
    out << style.indent << pad_left(format_ms(rows[i].lower_us), label_width) << " ms ["
        << pad_left(format_count(rows[i].count), count_width) << ']';
    const std::string blocks = bar(rows[i].count, fullest, style.max_bar_width);
    if (!blocks.empty()) out << ' ';
    out << paint(blocks, sgr_256(gradient_color(level_of_row(i, rows.size()))), style.color);
    out << '\n';
  }
}

int gradient_color(int level) { return kGradient[static_cast<size_t>(std::clamp(level, 0, 10))]; }

std::string format_ms(int64_t us) {
  const char* sign = us < 0 ? "-" : "";
  const uint64_t magnitude = us < 0 ? 0 - static_cast<uint64_t>(us) : static_cast<uint64_t>(us);
  char text[48];
  std::snprintf(text, sizeof text, "%s%llu.%03llu", sign,
                static_cast<unsigned long long>(magnitude / 1000),
                static_cast<unsigned long long>(magnitude % 1000));
  return text;
}

std::string format_count(uint64_t n) {
  std::string digits = std::to_string(n);
  std::string out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

}  // namespace strest
