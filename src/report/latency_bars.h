#pragma once
// A terminal histogram of latencies: about eleven rows from the fastest to the slowest request,
// each with a bar scaled to the fullest row and, when colour is on, vastar's eleven-level
// green-to-red gradient. Also the number formats that the text summary shares with it.
#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

#include "metrics/hdr_histogram.h"

namespace strest {

// One row: the requests with latency in [lower_us, next row's lower_us); the last row ends at max.
struct LatencyBarRow {
  int64_t lower_us;
  uint64_t count;
};

// How to draw the bars; the defaults are the summary's.
struct LatencyBarStyle {
  int rows = 11;           // at most this many rows (fewer when max - min spans fewer µs)
  int max_bar_width = 40;  // characters of the fullest row's bar
  bool color = false;      // ANSI 256-colour gradient, top row green, bottom row red
  std::string indent = "  ";
};

// Splits [min, max] of the histogram into rows: linear steps, or logarithmic ones when
// max/min > 100 so that a long tail does not squeeze every typical request into the first row.
// An empty histogram gives no rows; a single value gives one row.
std::vector<LatencyBarRow> latency_bar_rows(const HdrHistogram& latency, int rows = 11);

// Writes one line per row, "  0.412 ms [ 1,234] ██████", or a "no latency samples" line.
void write_latency_bars(const HdrHistogram& latency, std::ostream& out,
                        const LatencyBarStyle& style = {});

// ANSI 256-colour index of gradient level 0 (dark green) to 10 (dark red); clamped.
int gradient_color(int level);

// Milliseconds with microsecond precision: 412 -> "0.412", 1234567 -> "1234.567".
std::string format_ms(int64_t us);
// Counts with thousands separators: 1234567 -> "1,234,567".
std::string format_count(uint64_t n);

}  // namespace strest
