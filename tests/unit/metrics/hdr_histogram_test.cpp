#include "metrics/hdr_histogram.h"

#include <gtest/gtest.h>
#include <zlib.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <random>
#include <string>
#include <utility>
#include <vector>

namespace strest {
namespace {

constexpr int64_t kHour = 3'600'000'000LL;

// Highest value sharing `value`'s bucket in a histogram shaped like `shape` (public API only).
int64_t highest_equivalent(const HdrHistogram& shape, int64_t value) {
  HdrHistogram h(shape.lowest(), shape.highest(), shape.significant_digits());
  h.record(value);
  return h.recorded_buckets().front().value;
}

int64_t lowest_equivalent(const HdrHistogram& shape, int64_t value) {
  HdrHistogram h(shape.lowest(), shape.highest(), shape.significant_digits());
  h.record(value);
  return h.value_at_percentile(0.0);
}

// Latency-like data: log-uniform over 1 µs .. 100 s, fixed seed.
std::vector<int64_t> log_uniform_values(size_t n, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> exponent(0.0, 8.0);
  std::vector<int64_t> values(n);
  for (int64_t& v : values) v = static_cast<int64_t>(std::pow(10.0, exponent(rng)));
  return values;
}

TEST(HdrHistogramTest, EmptyReportsZeros) {
  const HdrHistogram h;
  EXPECT_EQ(h.total_count(), 0);
  EXPECT_EQ(h.min(), 0);
  EXPECT_EQ(h.max(), 0);
  EXPECT_EQ(h.mean(), 0.0);
  EXPECT_EQ(h.stddev(), 0.0);
  EXPECT_EQ(h.value_at_percentile(99.0), 0);
  EXPECT_TRUE(h.recorded_buckets().empty());
  EXPECT_EQ(h.lowest(), 1);
  EXPECT_EQ(h.highest(), kHour);
  EXPECT_EQ(h.significant_digits(), 3);
}

// Expected values from HdrHistogram's own tests (1 .. 1 hour, 3 digits).
TEST(HdrHistogramTest, HighestEquivalentMatchesReference) {
  const HdrHistogram h;
  EXPECT_EQ(highest_equivalent(h, 8180), 8183);
  EXPECT_EQ(highest_equivalent(h, 8191), 8191);
  EXPECT_EQ(highest_equivalent(h, 8193), 8199);
  EXPECT_EQ(highest_equivalent(h, 9995), 9999);
  EXPECT_EQ(highest_equivalent(h, 10007), 10007);
  EXPECT_EQ(highest_equivalent(h, 10008), 10015);
  EXPECT_EQ(highest_equivalent(h, 8180 * 1024), 8183 * 1024 + 1023);
  EXPECT_EQ(highest_equivalent(h, 8193 * 1024), 8199 * 1024 + 1023);
  EXPECT_EQ(highest_equivalent(h, 10008 * 1024), 10015 * 1024 + 1023);
  EXPECT_EQ(lowest_equivalent(h, 10008 * 1024), 10008 * 1024);
  EXPECT_EQ(lowest_equivalent(h, 10009 * 1024 + 5), 10008 * 1024);
}

TEST(HdrHistogramTest, ValuesBelowSubBucketCountAreExact) {
  HdrHistogram h;
  for (int64_t v = 0; v < 2048; ++v) h.record(v);
  const std::vector<HdrHistogram::Bucket> buckets = h.recorded_buckets();
  ASSERT_EQ(buckets.size(), 2048u);
  for (int64_t v = 0; v < 2048; ++v) {
    EXPECT_EQ(buckets[v].value, v);
    EXPECT_EQ(buckets[v].count, 1);
  }
  EXPECT_EQ(highest_equivalent(h, 2048), 2049);  // first bucket with a resolution of 2
}

TEST(HdrHistogramTest, ZeroAndNegativeValuesLandInIndexZero) {
  HdrHistogram h;
  h.record(0);
  h.record(-5);
  h.record(std::numeric_limits<int64_t>::min());
  ASSERT_EQ(h.recorded_buckets().size(), 1u);
  EXPECT_EQ(h.recorded_buckets()[0].value, 0);
  EXPECT_EQ(h.recorded_buckets()[0].count, 3);
  EXPECT_EQ(h.min(), 0);
  EXPECT_EQ(h.max(), 0);
  EXPECT_EQ(h.value_at_percentile(100.0), 0);
}

TEST(HdrHistogramTest, MinMaxAreExactRecordedValues) {
  HdrHistogram h;
  h.record(123'456'789);
  h.record(98'765);
  EXPECT_EQ(h.min(), 98'765);
  EXPECT_EQ(h.max(), 123'456'789);
  EXPECT_NE(highest_equivalent(h, 123'456'789), 123'456'789);  // so the test means something
}

TEST(HdrHistogramTest, MeanAndStddevUseMedianEquivalentValues) {
  HdrHistogram h;  // HdrHistogram's reference case: 3000 sits in a bucket of width 2
  for (int64_t v : {1000, 1000, 3000, 3000}) h.record(v);
  EXPECT_DOUBLE_EQ(h.mean(), 2000.5);
  EXPECT_DOUBLE_EQ(h.stddev(), 1000.5);
}

TEST(HdrHistogramTest, PercentilesMatchSortedData) {
  std::vector<int64_t> values = log_uniform_values(100'000, 42);
  HdrHistogram h;
  for (int64_t v : values) h.record(v);
  std::sort(values.begin(), values.end());
  const auto n = static_cast<int64_t>(values.size());
  // Percentiles in thousandths, so the exact rank ceil(p / 100 * n) is integer arithmetic.
  for (int64_t milli : {1, 100, 1000, 10'000, 25'000, 50'000, 75'000, 90'000, 99'000, 99'900,
                        99'990, 99'999, 100'000}) {
    const double p = static_cast<double>(milli) / 1000.0;
    const int64_t rank = std::max<int64_t>(1, (milli * n + 99'999) / 100'000);
    const int64_t exact = values[rank - 1];
    const int64_t got = h.value_at_percentile(p);
    EXPECT_EQ(got, std::min(highest_equivalent(h, exact), h.max())) << "p" << p;
    EXPECT_LE(std::abs(got - exact), got - lowest_equivalent(h, exact)) << "p" << p;
  }
  EXPECT_EQ(h.min(), values.front());
  EXPECT_EQ(h.max(), values.back());
  EXPECT_EQ(h.total_count(), n);
  double exact_mean = 0;
  for (int64_t v : values) exact_mean += static_cast<double>(v);
  exact_mean /= static_cast<double>(n);
  EXPECT_NEAR(h.mean(), exact_mean, exact_mean * 1e-3);
}

TEST(HdrHistogramTest, PercentileZeroIsLowestBucketAndHundredIsMax) {
  HdrHistogram h;
  for (int64_t v : {5'000'001, 7'000'000, 9'999'999}) h.record(v);
  EXPECT_EQ(h.value_at_percentile(0.0), lowest_equivalent(h, 5'000'001));
  // The top bucket reaches past 9 999 999; percentiles stop at the exact max.
  EXPECT_EQ(h.value_at_percentile(100.0), 9'999'999);
  EXPECT_EQ(h.value_at_percentile(150.0), 9'999'999);
  EXPECT_EQ(h.value_at_percentile(33.0), highest_equivalent(h, 5'000'001));
  EXPECT_EQ(h.value_at_percentile(34.0), highest_equivalent(h, 7'000'000));
}

TEST(HdrHistogramTest, LargeLowestWithFiveDigits) {  // HdrHistogram Java's testLargeNumbers
  HdrHistogram h(20'000'000, 100'000'000, 5);
  for (int64_t v : {100'000'000, 20'000'000, 30'000'000}) h.record(v);
  // A unit of 2^24 puts 20M and 30M in one bucket.
  EXPECT_EQ(h.value_at_percentile(50.0), highest_equivalent(h, 20'000'000));
  EXPECT_EQ(h.value_at_percentile(50.0), highest_equivalent(h, 30'000'000));
  EXPECT_EQ(h.value_at_percentile(66.66), highest_equivalent(h, 30'000'000));  // rank ceil(1.9998)
  // The top bucket reaches past 100M; percentiles stop at the exact max.
  EXPECT_EQ(h.value_at_percentile(66.67), 100'000'000);  // rank ceil(2.0001)
  EXPECT_EQ(h.value_at_percentile(83.34), 100'000'000);
  EXPECT_EQ(h.value_at_percentile(99.0), 100'000'000);
}

TEST(HdrHistogramTest, RecordNAddsCountAndIgnoresNonPositiveCounts) {
  HdrHistogram h;
  h.record_n(1000, 10'000);
  h.record_n(5, 0);
  h.record_n(5, -3);
  EXPECT_EQ(h.total_count(), 10'000);
  EXPECT_EQ(h.min(), 1000);
  ASSERT_EQ(h.recorded_buckets().size(), 1u);
  EXPECT_EQ(h.recorded_buckets()[0].count, 10'000);
}

TEST(HdrHistogramTest, ValuesAboveHighestAreClamped) {
  HdrHistogram h(1, 10'000, 3);
  h.record(500);
  h.record_n(10'001, 3);
  h.record(std::numeric_limits<int64_t>::max());
  EXPECT_EQ(h.total_count(), 5);
  EXPECT_EQ(h.clamped_count(), 4);
  EXPECT_EQ(h.max(), 10'000);
  EXPECT_EQ(h.value_at_percentile(100.0), 10'000);
  EXPECT_EQ(h.recorded_buckets().back().count, 4);
}

TEST(HdrHistogramTest, MergeEqualsRecordingEverythingInOne) {
  const std::vector<int64_t> values = log_uniform_values(20'000, 7);
  HdrHistogram all;
  HdrHistogram first;
  HdrHistogram second;
  for (size_t i = 0; i < values.size(); ++i) {
    all.record(values[i]);
    (i % 3 == 0 ? first : second).record(values[i]);
  }
  second.record(kHour * 2);
  all.record(kHour * 2);
  ASSERT_TRUE(first.merge(second));
  EXPECT_EQ(first.total_count(), all.total_count());
  EXPECT_EQ(first.clamped_count(), 1);
  EXPECT_EQ(first.min(), all.min());
  EXPECT_EQ(first.max(), all.max());
  EXPECT_DOUBLE_EQ(first.mean(), all.mean());
  const auto merged_buckets = first.recorded_buckets();
  const auto all_buckets = all.recorded_buckets();
  ASSERT_EQ(merged_buckets.size(), all_buckets.size());
  for (size_t i = 0; i < all_buckets.size(); ++i) {
    EXPECT_EQ(merged_buckets[i].value, all_buckets[i].value);
    EXPECT_EQ(merged_buckets[i].count, all_buckets[i].count);
  }
  for (double p : {0.0, 50.0, 99.0, 99.99, 100.0}) {
    EXPECT_EQ(first.value_at_percentile(p), all.value_at_percentile(p)) << p;
  }
}

TEST(HdrHistogramTest, MergeRejectsDifferentConfigurationAndKeepsEmptyNeutral) {
  HdrHistogram h;
  h.record(77);
  HdrHistogram other(1, kHour, 2);
  other.record(5);
  EXPECT_FALSE(h.merge(other));
  EXPECT_FALSE(h.merge(HdrHistogram(2, kHour, 3)));
  EXPECT_FALSE(h.merge(HdrHistogram(1, kHour / 2, 3)));
  EXPECT_TRUE(h.merge(HdrHistogram()));
  EXPECT_EQ(h.total_count(), 1);
  EXPECT_EQ(h.min(), 77);
  EXPECT_EQ(h.max(), 77);
}

TEST(HdrHistogramTest, ResetEmptiesEverything) {
  HdrHistogram h(1, 1000, 3);
  h.record(3);
  h.record(999'999);
  h.reset();
  EXPECT_EQ(h.total_count(), 0);
  EXPECT_EQ(h.clamped_count(), 0);
  EXPECT_EQ(h.min(), 0);
  EXPECT_EQ(h.max(), 0);
  EXPECT_TRUE(h.recorded_buckets().empty());
  EXPECT_EQ(h.value_at_percentile(50.0), 0);
  h.record(40);
  EXPECT_EQ(h.min(), 40);
  EXPECT_EQ(h.max(), 40);
  EXPECT_EQ(h.value_at_percentile(50.0), 40);
  EXPECT_EQ(h.recorded_buckets().size(), 1u);
}

// ---- Encoding -------------------------------------------------------------------------------

// Written by HdrHistogram_c for its standard test histograms (1 .. 1 hour, 3 digits): 10,000 x
// 1000 and 1 x 100,000,000; and the same recorded with coordinated-omission correction. That
// early C release counted the 40 header bytes in the payload length.
const char* const kCStandard =
    "HISTFAAAACl4nJNpmSzMwMBgyAABzFCaEURcm7yEwf4DROA8/4I5jNM7mJgAlWkH9g==";
const char* const kCCorrected =
    "HISTFAAAAP94nJNpmSzMwCByigECmKE0I4i4NnkJg/0HiMB5/gVzGD8aM/3lZ7rPyTSbjektC9N7Fqa"
    "HzEzbmZi2whCEvZKRaSYj02wwiYng4tFM3lDoC2dhhwh5UyZlJlUMjClCmgpMEUUmQSZ+IBZEojFFCM"
    "vQRwUxenmZ2MGQFUqz4+CTo4I2pg4dFdQylZWJkYkZCaPyMEUIydPLjMHrssFixuB12XD0HRAwMsFJg"
    "kwilZHJHHKmjzp41MFDOjhYmFiQEUEmMWqGsvKBd8Fwd/Co/waTC9jYOMAIiSJRhLbKh5x9Q87Bo/YN"
    "bfsoM4CPhw+IIJAkxnDXN+QcTIpyAPnGh6k=";
// Java and C (1 .. 2048, 3 digits) after recordValue(2048): byte-identical in both.
const char* const kBoundary2048 = "HISTFAAAACB4nJNpmSzMwMDAzAABMJoRQnEw2H+AsP7LMwEARZgDpQ==";
// First interval of HdrHistogram Java's jHiccup-2.0.7S.logV2.hlog (Interval_Max 1.933 ms).
const char* const kJHiccupInterval =
    "HISTFAAAAEB42pNpmSzMwMAgywABTBDKT4GBgdnNYMcCBvsPEBEjDT0FMTUxMT05LgEhPqmIeWxtTAKMTNxM6xmZmAAj"
    "cgjc";
// HdrHistogram_c regression input: a V2 stream whose payload length is negative.
const char* const kCNegativePayload = "HISTBAAAABl4nJNpmcz8HwgYIIARjWay/8CAAgD0TwZm";

// A hand-built uncompressed V2 stream.
std::vector<uint8_t> v2_stream(const std::vector<uint8_t>& payload, int32_t digits = 3,
                               int64_t lowest = 1, int64_t highest = 2048, uint32_t offset = 0) {
  std::vector<uint8_t> out;
  auto put = [&out](uint64_t v, int bytes) {
    for (int i = bytes - 1; i >= 0; --i) out.push_back(static_cast<uint8_t>(v >> (8 * i)));
  };
  put(0x1c849313, 4);
  put(payload.size(), 4);
  put(offset, 4);
  put(static_cast<uint32_t>(digits), 4);
  put(static_cast<uint64_t>(lowest), 8);
  put(static_cast<uint64_t>(highest), 8);
  put(0x3ff0000000000000, 8);  // 1.0
  out.insert(out.end(), payload.begin(), payload.end());
  return out;
}

HdrHistogram decoded(const Result<HdrHistogram>& result) {
  EXPECT_TRUE(result.ok()) << result.error();
  return result.ok() ? *result : HdrHistogram();
}

void expect_rejected(const std::vector<uint8_t>& bytes, const std::string& reason) {
  const Result<HdrHistogram> result = HdrHistogram::decode(bytes);
  ASSERT_FALSE(result.ok()) << "accepted: " << reason;
  EXPECT_NE(result.error().find(reason), std::string::npos) << result.error();
}

// Decoded histograms keep every count; exact extremes become their bucket bounds.
void expect_same_distribution(const HdrHistogram& a, const HdrHistogram& b) {
  EXPECT_EQ(a.lowest(), b.lowest());
  EXPECT_EQ(a.highest(), b.highest());
  EXPECT_EQ(a.significant_digits(), b.significant_digits());
  EXPECT_EQ(a.total_count(), b.total_count());
  EXPECT_EQ(lowest_equivalent(a, a.min()), b.min());
  EXPECT_EQ(highest_equivalent(a, a.max()), b.max());
  EXPECT_DOUBLE_EQ(a.mean(), b.mean());
  const auto buckets_a = a.recorded_buckets();
  const auto buckets_b = b.recorded_buckets();
  ASSERT_EQ(buckets_a.size(), buckets_b.size());
  for (size_t i = 0; i < buckets_a.size(); ++i) {
    EXPECT_EQ(buckets_a[i].value, buckets_b[i].value);
    EXPECT_EQ(buckets_a[i].count, buckets_b[i].count);
  }
  // The decoded max is its bucket's top (the exact max is not encoded), so percentiles agree
  // up to that: the original's are capped at its exact max.
  for (double p : {0.0, 1.0, 50.0, 90.0, 99.0, 99.9, 99.99, 100.0}) {
    EXPECT_EQ(a.value_at_percentile(p), std::min(b.value_at_percentile(p), a.max())) << p;
  }
}

HdrHistogram sample_histogram() {
  HdrHistogram h;
  for (int64_t v : log_uniform_values(5'000, 3)) h.record(v);
  h.record(0);
  h.record_n(kHour * 5, 2);
  return h;
}

TEST(HdrHistogramEncodingTest, V2IsTheStandardBigEndianLayout) {
  HdrHistogram h(1, 2048, 3);
  h.record(2048);  // index 2048: a run of 2048 zeros (zigzag 4095 = ff 1f), then count 1 (02)
  EXPECT_EQ(h.encode_v2(), v2_stream({0xff, 0x1f, 0x02}));
}

TEST(HdrHistogramEncodingTest, EmptyHistogramEncodesOneZeroRun) {
  EXPECT_EQ(HdrHistogram(1, 2048, 3).encode_v2(), v2_stream({0x01}));
  const HdrHistogram back = decoded(HdrHistogram::decode(HdrHistogram().encode_v2()));
  EXPECT_EQ(back.total_count(), 0);
  EXPECT_EQ(back.max(), 0);
}

TEST(HdrHistogramEncodingTest, MatchesJavaAndCEncodingByteForByte) {
  HdrHistogram boundary(1, 2048, 3);
  boundary.record(2048);
  EXPECT_EQ(boundary.encode_base64(), kBoundary2048);
}

TEST(HdrHistogramEncodingTest, DecodesWhatJavaAndCReport) {
  const HdrHistogram h = decoded(HdrHistogram::decode_base64(kBoundary2048));
  EXPECT_EQ(h.total_count(), 1);
  EXPECT_EQ(h.min(), 2048);
  EXPECT_EQ(h.max(), 2049);
  EXPECT_EQ(h.highest(), 2048);
}

TEST(HdrHistogramEncodingTest, DecodesHdrHistogramCStandardHistograms) {
  // Expected values from HdrHistogram's tests, within 0.1% as they check them.
  struct Case {
    const char* text;
    int64_t total;
    std::vector<std::pair<double, double>> percentiles;
  };
  const Case cases[] = {
      {kCStandard, 10'001, {{30, 1e3}, {99, 1e3}, {99.99, 1e3}, {99.999, 1e8}, {100, 1e8}}},
      {kCCorrected,
       20'000,
       {{30, 1e3}, {50, 1e3}, {75, 5e7}, {90, 8e7}, {99, 9.8e7}, {99.999, 1e8}, {100, 1e8}}},
  };
  for (const Case& c : cases) {
    const HdrHistogram h = decoded(HdrHistogram::decode_base64(c.text));
    EXPECT_EQ(h.total_count(), c.total);
    EXPECT_EQ(h.min(), 1000);
    EXPECT_EQ(h.max(), highest_equivalent(h, 100'000'000));
    for (const auto& [p, value] : c.percentiles) {
      EXPECT_NEAR(static_cast<double>(h.value_at_percentile(p)), value, value * 1e-3) << p;
    }
  }
}

TEST(HdrHistogramEncodingTest, DecodesJHiccupLogInterval) {
  const HdrHistogram h = decoded(HdrHistogram::decode_base64(kJHiccupInterval));
  EXPECT_EQ(h.lowest(), 20'000);
  EXPECT_EQ(h.highest(), 3'600'000'000'000LL);
  EXPECT_EQ(h.significant_digits(), 2);
  char interval_max[32];
  std::snprintf(interval_max, sizeof interval_max, "%.3f", static_cast<double>(h.max()) / 1e6);
  EXPECT_STREQ(interval_max, "1.933");  // as the Java log writer printed it
  EXPECT_EQ(h.value_at_percentile(100.0), h.max());
  EXPECT_GT(h.total_count(), 0);
  expect_same_distribution(h, decoded(HdrHistogram::decode_base64(h.encode_base64())));
}

TEST(HdrHistogramEncodingTest, RoundTripsInEveryForm) {
  const HdrHistogram h = sample_histogram();
  expect_same_distribution(h, decoded(HdrHistogram::decode(h.encode_v2())));
  expect_same_distribution(h, decoded(HdrHistogram::decode(h.encode_compressed())));
  expect_same_distribution(h, decoded(HdrHistogram::decode_base64(h.encode_base64())));
  EXPECT_EQ(decoded(HdrHistogram::decode(h.encode_v2())).encode_v2(), h.encode_v2());
}

// The reused per-thread zlib stream must produce exactly what a fresh compress() does, one
// histogram after another.
TEST(HdrHistogramEncodingTest, CompressedFormIsZlibCompressOfTheV2Form) {
  HdrHistogram small;
  small.record(5);
  for (const HdrHistogram& h : {sample_histogram(), small, sample_histogram(), HdrHistogram()}) {
    const std::vector<uint8_t> v2 = h.encode_v2();
    uLongf length = compressBound(v2.size());
    std::vector<uint8_t> deflated(length);
    ASSERT_EQ(compress(deflated.data(), &length, v2.data(), v2.size()), Z_OK);
    deflated.resize(length);
    const std::vector<uint8_t> encoded = h.encode_compressed();
    ASSERT_EQ(encoded.size(), 8 + deflated.size());
    EXPECT_EQ(std::vector<uint8_t>(encoded.begin() + 8, encoded.end()), deflated);
  }
}

TEST(HdrHistogramEncodingTest, DecodesIntoAHistogramReplacingWhatItHeld) {
  const HdrHistogram h = sample_histogram();
  HdrHistogram into;
  into.record(3'000'000'000LL);  // beyond every sample: must not survive the decode
  into.record(1);
  ASSERT_TRUE(HdrHistogram::decode_into(h.encode_compressed(), into).ok());
  expect_same_distribution(h, into);
  EXPECT_EQ(into.encode_v2(), decoded(HdrHistogram::decode(h.encode_v2())).encode_v2());
  ASSERT_TRUE(HdrHistogram::decode_into(HdrHistogram().encode_v2(), into).ok());
  EXPECT_EQ(into.total_count(), 0);
  EXPECT_EQ(into.max(), 0);
}

TEST(HdrHistogramEncodingTest, DecodeIntoRefusesAnotherConfigurationAndLeavesItEmpty) {
  HdrHistogram other(1, 3'600'000'000LL, 2);
  other.record(42);
  HdrHistogram into;
  into.record(7);
  const Status status = HdrHistogram::decode_into(other.encode_v2(), into);
  ASSERT_FALSE(status.ok());
  EXPECT_NE(status.error().find("at 2 digits, expected 1..3600000000 at 3"), std::string::npos)
      << status.error();
  EXPECT_EQ(into.total_count(), 0);
}

TEST(HdrHistogramEncodingTest, DecodeIntoLeavesNoCountsBehindAfterEveryTruncation) {
  const HdrHistogram h = sample_histogram();
  const std::vector<uint8_t> full = h.encode_v2();
  HdrHistogram into;
  for (size_t length = 0; length < full.size(); ++length) {
    const std::vector<uint8_t> prefix(full.begin(), full.begin() + length);
    ASSERT_FALSE(HdrHistogram::decode_into(prefix, into).ok()) << length;
    EXPECT_EQ(into.total_count(), 0) << length;
    EXPECT_TRUE(into.recorded_buckets().empty()) << length;
  }
  // Counts read before the payload turns out broken are taken back.
  HdrHistogram small(1, 2048, 3);  // v2_stream's configuration
  const Status broken = HdrHistogram::decode_into(v2_stream({0x02, 0x04, 0x80}), small);
  ASSERT_FALSE(broken.ok());
  EXPECT_NE(broken.error().find("last count is truncated"), std::string::npos) << broken.error();
  EXPECT_TRUE(small.recorded_buckets().empty());
  ASSERT_TRUE(HdrHistogram::decode_into(v2_stream({0xff, 0x1f, 0x02}), small).ok());
  EXPECT_EQ(small.total_count(), 1);
  ASSERT_TRUE(HdrHistogram::decode_into(full, into).ok());
  expect_same_distribution(h, into);
}

TEST(HdrHistogramEncodingTest, RoundTripsExtremeCountsAndValues) {
  const int64_t top = std::numeric_limits<int64_t>::max();
  HdrHistogram h(1, top, 3);
  h.record_n(top, top - 1);  // a 9-byte varint count
  h.record(0);
  const HdrHistogram back = decoded(HdrHistogram::decode(h.encode_compressed()));
  expect_same_distribution(h, back);
  EXPECT_EQ(back.max(), top);
  EXPECT_EQ(back.total_count(), top);
}

TEST(HdrHistogramEncodingTest, AcceptsCookieWithoutWordSizeNibble) {
  std::vector<uint8_t> bytes = v2_stream({0xff, 0x1f, 0x02});
  bytes[3] = 0x03;  // 0x1c849303, the V2 base cookie
  EXPECT_EQ(decoded(HdrHistogram::decode(bytes)).max(), 2049);
}

TEST(HdrHistogramEncodingTest, RejectsUnknownCookies) {
  expect_rejected({}, "shorter than a cookie");
  expect_rejected({0x1c, 0x84, 0x93, 0x12, 0, 0, 0, 0}, "unknown cookie 0x1c849312");  // V1
  expect_rejected(std::vector<uint8_t>(64, 0), "unknown cookie 0x00000000");
  std::vector<uint8_t> inner = HdrHistogram().encode_compressed();
  inner[3] = 0x13;  // compressed bytes behind an uncompressed cookie
  EXPECT_FALSE(HdrHistogram::decode(inner).ok());
}

TEST(HdrHistogramEncodingTest, RejectsEveryTruncation) {
  const HdrHistogram h = sample_histogram();
  for (const std::vector<uint8_t>& full : {h.encode_v2(), h.encode_compressed()}) {
    for (size_t length = 0; length < full.size(); ++length) {
      const std::vector<uint8_t> prefix(full.begin(), full.begin() + length);
      EXPECT_FALSE(HdrHistogram::decode(prefix).ok()) << length << " of " << full.size();
    }
  }
}

TEST(HdrHistogramEncodingTest, RejectsEveryCorruptedByteOfTheCompressedForm) {
  const std::vector<uint8_t> good = sample_histogram().encode_compressed();
  for (size_t i = 0; i < good.size(); ++i) {
    std::vector<uint8_t> bad = good;
    bad[i] ^= 0xff;
    EXPECT_FALSE(HdrHistogram::decode(bad).ok()) << "byte " << i;
  }
  std::vector<uint8_t> trailing = good;
  trailing.push_back(0);
  expect_rejected(trailing, "compressed length");
}

TEST(HdrHistogramEncodingTest, LegacyPayloadLengthIsAcceptedOnlyWhenCompressed) {
  std::vector<uint8_t> legacy = v2_stream({0xff, 0x1f, 0x02});
  legacy[7] += 40;  // payload length 43 for 3 bytes
  expect_rejected(legacy, "payload length 43 but 3 bytes");
}

TEST(HdrHistogramEncodingTest, RejectsInvalidHeaders) {
  const Result<HdrHistogram> negative = HdrHistogram::decode_base64(kCNegativePayload);
  ASSERT_FALSE(negative.ok());
  EXPECT_NE(negative.error().find("payload length -1"), std::string::npos) << negative.error();
  expect_rejected(v2_stream({0x01}, 0), "significant digits 0");
  expect_rejected(v2_stream({0x01}, 6), "significant digits 6");
  expect_rejected(v2_stream({0x01}, 3, 0, 2048), "invalid range 0..2048");
  expect_rejected(v2_stream({0x01}, 3, 1000, 1999), "invalid range 1000..1999");
  expect_rejected(v2_stream({0x01}, 3, 1, 2048, 1), "normalizing index offset");
  std::vector<uint8_t> trailing = v2_stream({0x01});
  trailing.push_back(0x02);
  expect_rejected(trailing, "payload length 1 but 2 bytes");
}

TEST(HdrHistogramEncodingTest, RejectsCorruptCounts) {
  // (1 .. 2048, 3 digits) has 3072 counts.
  const std::vector<uint8_t> min_run(9, 0xff);  // zigzag INT64_MIN: the longest zero run
  expect_rejected(v2_stream(min_run), "zero run past the last bucket");
  expect_rejected(v2_stream({0x01, 0x02, 0xff, 0xff, 0xff, 0xff, 0x0f, 0x02}), "zero run");
  expect_rejected(v2_stream(std::vector<uint8_t>(3073, 0x02)), "more counts than buckets");
  expect_rejected(v2_stream({0x02, 0x80}), "truncated");
  // Two counts of INT64_MAX (zigzag 0xfe 0xff...), spelled out: g++ 12 -O3 misreads an insert.
  const std::vector<uint8_t> huge = {0xfe, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
                                     0xfe, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
  expect_rejected(v2_stream(huge), "total count overflows");
}

TEST(HdrHistogramEncodingTest, RejectsBadBase64) {
  const Result<HdrHistogram> result = HdrHistogram::decode_base64("HISTFAAA*AAA");
  ASSERT_FALSE(result.ok());
  EXPECT_NE(result.error().find("base64"), std::string::npos) << result.error();
  EXPECT_FALSE(HdrHistogram::decode_base64("").ok());
}

}  // namespace
}  // namespace strest
