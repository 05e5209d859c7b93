// The numbers every sink shares: plain decimals that read back exactly, rates over the measured
// window, histogram values in seconds.
#include "sinks/metrics_view.h"

#include <gtest/gtest.h>

#include <cstdlib>

#include "sample_tally.h"

namespace strest {
namespace {

TEST(NumberText, PlainDecimalsThatReadBackExactly) {
  EXPECT_EQ(number_text(0), "0");
  EXPECT_EQ(number_text(3), "3");
  EXPECT_EQ(number_text(2.5), "2.5");
  EXPECT_EQ(number_text(0.0002), "0.0002");
  EXPECT_EQ(number_text(0.000001), "0.000001");
  EXPECT_EQ(number_text(-1.25), "-1.25");
  EXPECT_EQ(number_text(123456789012.0), "123456789012");
  for (double value : {0.1 + 0.2, 1.0 / 3.0, 12345.678901234567, 7e-9}) {
    EXPECT_EQ(std::strtod(number_text(value).c_str(), nullptr), value) << number_text(value);
  }
}

TEST(NumberText, ExtremesKeepTheirExponent) {
  EXPECT_EQ(number_text(1e-12), "1e-12");
  EXPECT_EQ(number_text(1e300), "1e+300");
}

TEST(MetricsView, RateIsOverTheMeasuredWindow) {
  const Tally tally = sample_tally();  // 6 completed
  EXPECT_EQ(requests_per_second(MetricsView{.totals = tally, .measured_seconds = 2}), 3);
  EXPECT_EQ(requests_per_second(MetricsView{.totals = tally, .measured_seconds = 0}), 0);
}

TEST(MetricsView, HistogramValuesInSeconds) {
  const Tally tally = sample_tally();  // 100, 200, 300, 400 µs
  EXPECT_EQ(quantile_seconds(tally.latency_all, 0.5), 0.0002);
  EXPECT_EQ(quantile_seconds(tally.latency_all, 0.999), 0.0004);
  EXPECT_DOUBLE_EQ(sum_seconds(tally.latency_all), 0.001);
  EXPECT_EQ(sum_seconds(HdrHistogram()), 0);
}

}  // namespace
}  // namespace strest
