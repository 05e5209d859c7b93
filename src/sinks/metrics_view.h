#pragma once
// MetricsView: the run totals one sink write shows, and the number formatting the text formats
// share. Every sink format is a pure function of a MetricsView, so each is tested on its own.
#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "metrics/tally.h"

namespace strest {

struct MetricsView {
  int64_t elapsed_us = 0;  // since the run started
  const Tally& totals;     // run totals so far
  // Seconds that rates are over: elapsed time minus --warmup (never below 0).
  double measured_seconds = 0;
  std::string_view target = {};  // the URL as shown to users
  int64_t unix_time_ns = 0;      // when the values were taken (OTel and Influx timestamps)
};

// A latency quantile every format reports: the quantile and its label text.
struct SinkQuantile {
  double quantile;          // in [0, 1]
  std::string_view label;   // "0.5", as Prometheus and Influx field names show it
  std::string_view suffix;  // "p50", for Influx field names
};

inline constexpr std::array<SinkQuantile, 5> kSinkQuantiles = {{{0.5, "0.5", "p50"},
                                                                {0.9, "0.9", "p90"},
                                                                {0.95, "0.95", "p95"},
                                                                {0.99, "0.99", "p99"},
                                                                {0.999, "0.999", "p999"}}};

// Completed requests per second over the measured window; 0 before any time was measured.
double requests_per_second(const MetricsView& view);

// Latency histogram values in seconds: the value at a quantile, and the sum of all samples
// (count times mean, so as precise as the histogram's buckets, 3 significant digits).
double quantile_seconds(const HdrHistogram& latency_us, double quantile);
double sum_seconds(const HdrHistogram& latency_us);

// The shortest text that reads back as exactly `value`, as a plain decimal ("0.0002", "3",
// "2.5") unless it is below 1e-9 or from 1e15 up. Finite values only: callers decide how their
// format writes NaN.
std::string number_text(double value);

}  // namespace strest
