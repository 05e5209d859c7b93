#include "sinks/metrics_view.h"

#include <charconv>
#include <cmath>

namespace strest {

double requests_per_second(const MetricsView& view) {
  if (view.measured_seconds <= 0) return 0;
  return static_cast<double>(view.totals.completed()) / view.measured_seconds;
}

double quantile_seconds(const HdrHistogram& latency_us, double quantile) {
  return static_cast<double>(latency_us.value_at_percentile(quantile * 100.0)) / 1e6;
}

double sum_seconds(const HdrHistogram& latency_us) {
  return latency_us.mean() * static_cast<double>(latency_us.total_count()) / 1e6;
}

// Plain decimals ("0.0002" rather than "2e-04") across every range sinks show: microsecond
// latencies up to byte counts. Outside it, the shortest form, exponent and all.
std::string number_text(double value) {
  char buffer[64];
  const double magnitude = std::fabs(value);
  const bool plain = value == 0 || (magnitude >= 1e-9 && magnitude < 1e15);
  const auto result =
      plain ? std::to_chars(buffer, buffer + sizeof(buffer), value, std::chars_format::fixed)
            : std::to_chars(buffer, buffer + sizeof(buffer), value);
  return std::string(buffer, result.ptr);
}

}  // namespace strest
