#pragma once
// HDR histogram of integer values (microseconds here): constant relative precision over a wide
// range, O(1) record, mergeable. Compatible with the standard HdrHistogram V2 encoding, so
// histograms can be exported and decoded by other HdrHistogram implementations.
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "metrics/count_array.h"
#include "plan/result.h"

namespace strest {

class HdrHistogram {
 public:
  // Tracks values in [lowest, highest] with `significant_digits` (1..5) of precision.
  // lowest >= 1; highest >= 2 * lowest. Values above highest are clamped to highest
  // and counted in clamped_count().
  HdrHistogram(int64_t lowest = 1, int64_t highest = 3'600'000'000LL, int significant_digits = 3);

  // Records one (or `count`) occurrences of value. Hot path: no allocation, no branches beyond
  // clamping. Values < 0 are recorded as 0.
  void record(int64_t value) { record_n(value, 1); }
  void record_n(int64_t value, int64_t count);

  // Adds every count of `other` (same configuration required; returns false otherwise).
  bool merge(const HdrHistogram& other);
  // Takes away the counts of `earlier`, which this histogram must contain (it was this one at
  // an earlier time). Min and max then come from the buckets left, so they are as precise as
  // the buckets unless the exact ones are still among them.
  bool subtract(const HdrHistogram& earlier);
  void reset();

  int64_t total_count() const { return total_count_; }
  int64_t clamped_count() const { return clamped_count_; }
  int64_t min() const;  // 0 when empty
  int64_t max() const;  // 0 when empty
  double mean() const;  // 0 when empty
  double stddev() const;
  // Value at percentile p in [0, 100], as HdrHistogram defines it (highest equivalent value of
  // the bucket holding the p-th percentile), but never above max(). 0 when empty.
  int64_t value_at_percentile(double p) const;

  // Standard V2 encoding (cookie 0x1c849303), uncompressed, and the compressed form
  // (cookie 0x1c849304, zlib) as used by HdrHistogram log files, then base64.
  std::vector<uint8_t> encode_v2() const;
  std::vector<uint8_t> encode_compressed() const;
  std::string encode_base64() const;  // base64 of encode_compressed()
  static Result<HdrHistogram> decode(std::span<const uint8_t> bytes);  // either form
  // Decodes into `into`, replacing its counts and reusing its buffer: the way to read many
  // histograms in a row (a controller merging agents' ticks) without mapping and zeroing a
  // fresh array for each. Refuses an encoding of another configuration than `into`'s; on any
  // error `into` is left empty.
  static Status decode_into(std::span<const uint8_t> bytes, HdrHistogram& into);
  static Result<HdrHistogram> decode_base64(const std::string& text);
  // Gives a decoded histogram back the exact min and max it had when encoded (the encoding
  // keeps only buckets; a distributed agent sends them beside it). Returns false, changing
  // nothing, unless they fall in the first and last recorded buckets (an empty histogram
  // has none: true).
  bool restore_extremes(int64_t min, int64_t max);

  // Iteration helpers for reports: the distinct recorded buckets, ascending.
  struct Bucket {
    int64_t value;  // highest equivalent value of the bucket
    int64_t count;
  };
  std::vector<Bucket> recorded_buckets() const;

  int64_t lowest() const { return lowest_; }
  int64_t highest() const { return highest_; }
  int significant_digits() const { return significant_digits_; }

 private:
  int bucket_index(int64_t value) const;
  int sub_bucket_index(int64_t value, int bucket) const;
  int counts_index(int64_t value) const;
  int64_t value_from_index(int index) const;
  int64_t lowest_equivalent(int64_t value) const;
  int64_t highest_equivalent(int64_t value) const;
  int64_t size_of_equivalent_range(int64_t value) const;
  int64_t within_recorded(int64_t value) const;
  // Reads a V2 payload's counts into counts_, which must be all zero, and sets the totals and
  // the extremes the buckets imply; on error the counts written are cleared again.
  Status load_counts(std::span<const uint8_t> payload);

  int64_t lowest_;
  int64_t highest_;
  int significant_digits_;
  int unit_magnitude_;
  int sub_bucket_half_count_magnitude_;
  int32_t sub_bucket_count_;
  int32_t sub_bucket_half_count_;
  int64_t sub_bucket_mask_;
  int bucket_count_;
  CountArray counts_;  // pages become resident as their buckets are first written
  int64_t total_count_ = 0;
  int64_t clamped_count_ = 0;
  int64_t min_value_;  // tracked exactly, INT64_MAX when empty
  int64_t max_value_;  // tracked exactly, 0 when empty
};

}  // namespace strest
