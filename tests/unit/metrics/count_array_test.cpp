#include "metrics/count_array.h"

#include <gtest/gtest.h>

#include "metrics/hdr_histogram.h"

namespace strest {
namespace {

TEST(CountArray, StartsZeroAndCopiesEveryCount) {
  CountArray counts(50'000);  // mapped: above the calloc size
  for (size_t i = 0; i < counts.size(); i += 997) EXPECT_EQ(counts[i], 0);
  counts[3] = 7;
  counts[40'000] = 2;
  const CountArray copy(counts);
  EXPECT_EQ(copy.size(), counts.size());
  EXPECT_EQ(copy[3], 7);
  EXPECT_EQ(copy[40'000], 2);
  EXPECT_EQ(copy[40'001], 0);
}

TEST(CountArray, AssignmentClearsWhatTheTargetHeld) {
  CountArray small(100);  // calloc'd
  small[99] = 5;
  CountArray other(100);
  other[1] = 4;
  small = other;
  EXPECT_EQ(small[99], 0);
  EXPECT_EQ(small[1], 4);
  CountArray big(30'000);
  big[29'999] = 1;
  small = big;  // another size: reallocated
  EXPECT_EQ(small.size(), 30'000u);
  EXPECT_EQ(small[29'999], 1);
  CountArray moved(std::move(small));
  EXPECT_EQ(moved[29'999], 1);
  EXPECT_EQ(small.size(), 0u);  // NOLINT(bugprone-use-after-move): moved-from is empty
}

TEST(CountArray, HistogramsCopiedAndSubtractedKeepTheirPercentiles) {
  HdrHistogram total;
  for (int64_t v = 1; v <= 1000; ++v) total.record(v * 100);
  HdrHistogram earlier;
  for (int64_t v = 1; v <= 500; ++v) earlier.record(v * 100);
  HdrHistogram later = total;
  ASSERT_TRUE(later.subtract(earlier));
  EXPECT_EQ(later.total_count(), 500);
  EXPECT_GE(later.min(), 50'000);  // the first bucket left after the subtraction
  EXPECT_LE(later.min(), 50'100);
  EXPECT_NEAR(static_cast<double>(later.value_at_percentile(50.0)), 75'000.0, 100.0);
}

}  // namespace
}  // namespace strest
