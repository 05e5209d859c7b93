#pragma once
// The counts of an HDR histogram: zero-filled memory that becomes resident page by page as
// counts are written. A latency histogram spans an hour at three digits (~190 KB) while its
// values cluster in a few buckets, and every worker keeps several such histograms per tick: with
// lazily zeroed pages they cost the pages their values touch, not their whole range.
#include <cstddef>
#include <cstdint>

namespace strest {

class CountArray {
 public:
  CountArray() = default;
  // `size` zero counts.
  explicit CountArray(size_t size);
  // Copies hold the same counts; only the source's written prefix is copied (and touched).
  CountArray(const CountArray& other);
  CountArray& operator=(const CountArray& other);
  CountArray(CountArray&& other) noexcept;
  CountArray& operator=(CountArray&& other) noexcept;
  ~CountArray();

  size_t size() const { return size_; }
  int64_t& operator[](size_t index) { return data_[index]; }
  const int64_t& operator[](size_t index) const { return data_[index]; }
  // Sets the first `count` counts to zero.
  void clear_prefix(size_t count);

 private:
  // One past the last non-zero count (0 when all are zero).
  size_t written_length() const;
  void release();

  int64_t* data_ = nullptr;
  size_t size_ = 0;
  bool mapped_ = false;  // from mmap (large arrays) rather than calloc
};

}  // namespace strest
