// Bucket layout, percentile and mean follow HdrHistogram (Java and HdrHistogram_c) exactly; the
// encoding is the standard V2 format, so these histograms interoperate with HdrHistogram tools.
#include "metrics/hdr_histogram.h"

#include <zlib.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdio>
#include <limits>
#include <new>
#include <span>

#include "metrics/base64.h"

namespace strest {

namespace {

// Cookies as Java and C write them: the V2 base cookie with the word-size nibble set to 1
// (ZigZag LEB128 counts). Readers mask that nibble, as the reference readers do.
constexpr uint32_t kV2EncodingBase = 0x1c849303;
constexpr uint32_t kV2CompressedBase = 0x1c849304;
constexpr uint32_t kWordSizeNibble = 0x10;
constexpr uint32_t kCookieBaseMask = ~0xf0U;
constexpr size_t kV2HeaderSize = 40;
constexpr size_t kCompressedHeaderSize = 8;
constexpr int kMaxVarintBytes = 9;
// The largest legal layout (5 digits, 1..INT64_MAX) has ~6.2M counts, at most 9 bytes each:
// anything inflating past this is corrupt or hostile.
constexpr size_t kMaxInflatedSize = size_t{64} << 20;
constexpr int kMinDigits = 1;
constexpr int kMaxDigits = 5;

// log2 of half the sub-bucket count: enough sub-buckets to tell 2 * 10^digits values apart.
int half_count_magnitude(int digits) {
  int64_t largest_single_unit_value = 2;
  for (int i = 0; i < digits; ++i) largest_single_unit_value *= 10;
  const int magnitude = std::bit_width(static_cast<uint64_t>(largest_single_unit_value - 1));
  return std::max(magnitude, 1) - 1;
}

// Lowest values must leave unit_magnitude + half_count_magnitude <= 61 so bucket shifts fit.
int64_t max_lowest(int half_magnitude) { return (int64_t{1} << (62 - half_magnitude)) - 1; }

int buckets_needed(int64_t highest, int64_t sub_bucket_count, int unit_magnitude) {
  int64_t smallest_untrackable = sub_bucket_count << unit_magnitude;
  int needed = 1;
  while (smallest_untrackable <= highest) {
    if (smallest_untrackable > std::numeric_limits<int64_t>::max() / 2) return needed + 1;
    smallest_untrackable <<= 1;
    ++needed;
  }
  return needed;
}

// Counts past the bucket of the largest value are zero, so loops stop there.
size_t used_length(int max_index, const CountArray& counts) {
  return std::min(static_cast<size_t>(max_index) + 1, counts.size());
}

void put_be(std::vector<uint8_t>& out, size_t offset, uint64_t value, int bytes) {
  for (int i = bytes - 1; i >= 0; --i, value >>= 8) out[offset + i] = static_cast<uint8_t>(value);
}

uint64_t get_be(std::span<const uint8_t> in, size_t offset, int bytes) {
  uint64_t value = 0;
  for (int i = 0; i < bytes; ++i) value = (value << 8) | in[offset + i];
  return value;
}

void put_zigzag(std::vector<uint8_t>& out, int64_t value) {
  uint64_t v = (static_cast<uint64_t>(value) << 1) ^ static_cast<uint64_t>(value >> 63);
  // LEB128-64b9B: eight 7-bit groups, then a ninth byte carrying the last 8 bits whole.
  for (int i = 0; i < kMaxVarintBytes - 1 && v >= 0x80; ++i, v >>= 7) {
    out.push_back(static_cast<uint8_t>(v | 0x80));
  }
  out.push_back(static_cast<uint8_t>(v));
}

// Reads one varint at `pos`; false when the input ends inside it.
bool get_zigzag(std::span<const uint8_t> in, size_t& pos, int64_t& value) {
  uint64_t v = 0;
  for (int i = 0; i < kMaxVarintBytes; ++i) {
    if (pos >= in.size()) return false;
    const uint64_t byte = in[pos++];
    const bool last = i == kMaxVarintBytes - 1;
    v |= (last ? byte : byte & 0x7f) << (7 * i);
    if (last || (byte & 0x80) == 0) break;
  }
  value = static_cast<int64_t>((v >> 1) ^ (0 - (v & 1)));
  return true;
}

Error decode_error(const std::string& what) { return Error{"HdrHistogram decode: " + what}; }

Error cookie_error(uint32_t cookie) {
  char text[96];
  std::snprintf(text, sizeof text, "unknown cookie 0x%08x (only V2: 0x1c849313, 0x1c849314)",
                cookie);
  return decode_error(text);
}

struct V2Header {
  int digits;
  int64_t lowest;
  int64_t highest;
};

// `inflated`: v2 came out of a zlib stream, whose end marker and checksum already bound it.
Result<V2Header> parse_v2_header(std::span<const uint8_t> v2, bool inflated) {
  if (v2.size() < kV2HeaderSize) {
    return decode_error("truncated header (" + std::to_string(v2.size()) + " of 40 bytes)");
  }
  const auto cookie = static_cast<uint32_t>(get_be(v2, 0, 4));
  if ((cookie & kCookieBaseMask) != kV2EncodingBase) return cookie_error(cookie);
  const auto payload = static_cast<int32_t>(get_be(v2, 4, 4));
  const size_t follows = v2.size() - kV2HeaderSize;
  // Early HdrHistogram_c releases counted the header in the payload length; current C readers
  // still accept their logs, so accept that exact offset where zlib vouches for the length.
  const bool legacy_c_length = inflated && static_cast<size_t>(payload) == follows + kV2HeaderSize;
  if (payload < 0 || (static_cast<size_t>(payload) != follows && !legacy_c_length)) {
    return decode_error("payload length " + std::to_string(payload) + " but " +
                        std::to_string(follows) + " bytes follow the header");
  }
  if (get_be(v2, 8, 4) != 0) return decode_error("normalizing index offset is not supported");
  const V2Header header{static_cast<int32_t>(get_be(v2, 12, 4)),
                        static_cast<int64_t>(get_be(v2, 16, 8)),
                        static_cast<int64_t>(get_be(v2, 24, 8))};
  if (header.digits < kMinDigits || header.digits > kMaxDigits) {
    return decode_error("significant digits " + std::to_string(header.digits) + " not in 1..5");
  }
  if (header.lowest < 1 || header.lowest > max_lowest(half_count_magnitude(header.digits)) ||
      header.highest / 2 < header.lowest) {
    return decode_error("invalid range " + std::to_string(header.lowest) + ".." +
                        std::to_string(header.highest));
  }
  return header;
}

// Returns the V2 bytes inside the compressed form (cookie, length, zlib stream).
Result<std::vector<uint8_t>> inflate_v2(std::span<const uint8_t> in) {
  if (in.size() < kCompressedHeaderSize) return decode_error("truncated compressed header");
  const auto length = static_cast<int32_t>(get_be(in, 4, 4));
  if (length < 0 || static_cast<size_t>(length) != in.size() - kCompressedHeaderSize) {
    return decode_error("compressed length " + std::to_string(length) + " but " +
                        std::to_string(in.size() - kCompressedHeaderSize) + " bytes follow");
  }
  z_stream stream{};
  if (inflateInit(&stream) != Z_OK) return decode_error("zlib inflateInit failed");
  stream.next_in = const_cast<Bytef*>(in.data() + kCompressedHeaderSize);
  stream.avail_in = static_cast<uInt>(length);
  std::vector<uint8_t> out;
  int rc = Z_OK;
  while (rc == Z_OK && out.size() < kMaxInflatedSize) {
    out.resize(std::min(kMaxInflatedSize, std::max<size_t>(out.size() * 2, 4096)));
    stream.next_out = out.data() + stream.total_out;
    stream.avail_out = static_cast<uInt>(out.size() - stream.total_out);
    rc = inflate(&stream, Z_NO_FLUSH);
    if (rc == Z_OK && stream.avail_out != 0) rc = Z_BUF_ERROR;  // input ran out mid-stream
  }
  out.resize(stream.total_out);
  const bool trailing = stream.avail_in != 0;
  inflateEnd(&stream);
  if (rc == Z_BUF_ERROR) return decode_error("compressed data is truncated");
  if (rc != Z_STREAM_END) return decode_error("compressed data is corrupt or too large");
  if (trailing) return decode_error("bytes after the end of the compressed data");
  return out;
}

// One zlib stream per thread, reset between histograms: compress() would set up and free
// about 256 KB of zlib state per call, which glibc returns to the kernel each time, so a tick
// of several histograms paid page faults and TLB flushes for every one. The bytes produced
// are the same as compress()'s (default level, 32 KB window).
class ThreadDeflater {
 public:
  ThreadDeflater() {
    if (deflateInit(&stream_, Z_DEFAULT_COMPRESSION) != Z_OK) throw std::bad_alloc();
  }
  ~ThreadDeflater() { deflateEnd(&stream_); }
  ThreadDeflater(const ThreadDeflater&) = delete;
  ThreadDeflater& operator=(const ThreadDeflater&) = delete;

  size_t bound(size_t size) { return deflateBound(&stream_, static_cast<uLong>(size)); }
  // Deflates all of `in` into `out` (at least bound(in.size()) bytes); returns the length.
  size_t deflate_all(std::span<const uint8_t> in, std::span<uint8_t> out) {
    deflateReset(&stream_);
    stream_.next_in = const_cast<Bytef*>(in.data());
    stream_.avail_in = static_cast<uInt>(in.size());
    stream_.next_out = out.data();
    stream_.avail_out = static_cast<uInt>(out.size());
    // Cannot fail short of memory: the output has deflateBound's room.
    if (deflate(&stream_, Z_FINISH) != Z_STREAM_END) throw std::bad_alloc();
    return stream_.total_out;
  }

 private:
  z_stream stream_{};
};

ThreadDeflater& thread_deflater() {
  thread_local ThreadDeflater deflater;
  return deflater;
}

size_t deflate_bound(size_t size) { return thread_deflater().bound(size); }

size_t deflate_into(std::span<const uint8_t> in, std::span<uint8_t> out) {
  return thread_deflater().deflate_all(in, out);
}

struct V2Parts {
  V2Header header;
  std::span<const uint8_t> counts;  // the payload after the header
};

// The header and counts of either form: `bytes` itself, or what its zlib stream inflates to
// (kept in `inflated`).
Result<V2Parts> v2_parts(std::span<const uint8_t> bytes, std::vector<uint8_t>& inflated) {
  if (bytes.size() < 4) return decode_error("input shorter than a cookie");
  std::span<const uint8_t> v2 = bytes;
  const auto cookie = static_cast<uint32_t>(get_be(bytes, 0, 4));
  if ((cookie & kCookieBaseMask) == kV2CompressedBase) {
    Result<std::vector<uint8_t>> result = inflate_v2(bytes);
    if (!result) return Error{result.error()};
    inflated = std::move(*result);
    v2 = inflated;
  } else if ((cookie & kCookieBaseMask) != kV2EncodingBase) {
    return cookie_error(cookie);
  }
  const Result<V2Header> header = parse_v2_header(v2, !inflated.empty());
  if (!header) return Error{header.error()};
  return V2Parts{*header, v2.subspan(kV2HeaderSize)};
}

}  // namespace

HdrHistogram::HdrHistogram(int64_t lowest, int64_t highest, int significant_digits) {
  // Out-of-contract arguments are pulled into range rather than left to undefined shifts.
  significant_digits_ = std::clamp(significant_digits, kMinDigits, kMaxDigits);
  sub_bucket_half_count_magnitude_ = half_count_magnitude(significant_digits_);
  lowest_ = std::clamp<int64_t>(lowest, 1, max_lowest(sub_bucket_half_count_magnitude_));
  highest_ = std::max(highest, 2 * lowest_);
  unit_magnitude_ = std::bit_width(static_cast<uint64_t>(lowest_)) - 1;
  sub_bucket_count_ = int32_t{1} << (sub_bucket_half_count_magnitude_ + 1);
  sub_bucket_half_count_ = sub_bucket_count_ / 2;
  sub_bucket_mask_ = (int64_t{sub_bucket_count_} - 1) << unit_magnitude_;
  bucket_count_ = buckets_needed(highest_, sub_bucket_count_, unit_magnitude_);
  counts_ = CountArray(static_cast<size_t>(bucket_count_ + 1) * sub_bucket_half_count_);
  min_value_ = std::numeric_limits<int64_t>::max();
  max_value_ = 0;
}

void HdrHistogram::record_n(int64_t value, int64_t count) {
  if (count <= 0) return;  // a negative count would corrupt totals and the encoding
  value = std::max<int64_t>(value, 0);
  const bool clamped = value > highest_;
  value = clamped ? highest_ : value;
  clamped_count_ += clamped ? count : 0;
  counts_[counts_index(value)] += count;
  total_count_ += count;
  min_value_ = std::min(min_value_, value);
  max_value_ = std::max(max_value_, value);
}

bool HdrHistogram::merge(const HdrHistogram& other) {
  if (other.lowest_ != lowest_ || other.highest_ != highest_ ||
      other.significant_digits_ != significant_digits_) {
    return false;
  }
  if (other.total_count_ == 0) return true;
  const size_t used = used_length(other.counts_index(other.max_value_), other.counts_);
  for (size_t i = 0; i < used; ++i) counts_[i] += other.counts_[i];
  total_count_ += other.total_count_;
  clamped_count_ += other.clamped_count_;
  min_value_ = std::min(min_value_, other.min_value_);
  max_value_ = std::max(max_value_, other.max_value_);
  return true;
}

void HdrHistogram::reset() {
  const size_t used = used_length(counts_index(max_value_), counts_);
  counts_.clear_prefix(used);
  total_count_ = 0;
  clamped_count_ = 0;
  min_value_ = std::numeric_limits<int64_t>::max();
  max_value_ = 0;
}

bool HdrHistogram::subtract(const HdrHistogram& earlier) {
  if (earlier.lowest_ != lowest_ || earlier.highest_ != highest_ ||
      earlier.significant_digits_ != significant_digits_) {
    return false;
  }
  if (earlier.total_count_ == 0) return true;
  const size_t earlier_used =
      used_length(earlier.counts_index(earlier.max_value_), earlier.counts_);
  for (size_t i = 0; i < earlier_used; ++i) counts_[i] -= earlier.counts_[i];
  total_count_ -= earlier.total_count_;
  clamped_count_ -= earlier.clamped_count_;
  int first = -1, last = -1;
  const size_t used = used_length(counts_index(max_value_), counts_);
  for (size_t i = 0; i < used; ++i) {
    if (counts_[i] == 0) continue;
    if (first < 0) first = static_cast<int>(i);
    last = static_cast<int>(i);
  }
  if (first < 0) {
    min_value_ = INT64_MAX;
    max_value_ = 0;
    return true;
  }
  if (first != counts_index(min_value_)) min_value_ = value_from_index(first);
  if (last != counts_index(max_value_)) max_value_ = highest_equivalent(value_from_index(last));
  return true;
}

int64_t HdrHistogram::min() const { return total_count_ == 0 ? 0 : min_value_; }

int64_t HdrHistogram::max() const { return max_value_; }

double HdrHistogram::mean() const {
  if (total_count_ == 0) return 0.0;
  double total = 0.0;
  const size_t used = used_length(counts_index(max_value_), counts_);
  for (size_t i = 0; i < used; ++i) {
    if (counts_[i] == 0) continue;
    const int64_t lowest = value_from_index(static_cast<int>(i));
    const int64_t median = lowest + (size_of_equivalent_range(lowest) >> 1);
    total += static_cast<double>(counts_[i]) * static_cast<double>(median);
  }
  return total / static_cast<double>(total_count_);
}

double HdrHistogram::stddev() const {
  if (total_count_ == 0) return 0.0;
  const double average = mean();
  double total = 0.0;
  const size_t used = used_length(counts_index(max_value_), counts_);
  for (size_t i = 0; i < used; ++i) {
    if (counts_[i] == 0) continue;
    const int64_t lowest = value_from_index(static_cast<int>(i));
    const double deviation =
        static_cast<double>(lowest + (size_of_equivalent_range(lowest) >> 1)) - average;
    total += deviation * deviation * static_cast<double>(counts_[i]);
  }
  return std::sqrt(total / static_cast<double>(total_count_));
}

int64_t HdrHistogram::value_at_percentile(double p) const {
  if (total_count_ == 0) return 0;
  if (std::isnan(p)) p = 0.0;
  // As Java: step one ulp down so that p * total landing a hair above an integer (99.9 * 1000)
  // does not round up into the next bucket; always reach at least the first recorded value.
  const double requested = std::clamp(std::nextafter(p, -1.0), 0.0, 100.0);
  const auto wanted = std::max<int64_t>(
      1, static_cast<int64_t>(std::ceil(requested * static_cast<double>(total_count_) / 100.0)));
  const size_t used = used_length(counts_index(max_value_), counts_);
  int64_t running = 0;
  for (size_t i = 0; i < used; ++i) {
    running += counts_[i];
    if (running >= wanted) {
      const int64_t value = value_from_index(static_cast<int>(i));
      return within_recorded(p == 0.0 ? lowest_equivalent(value) : highest_equivalent(value));
    }
  }
  return max();
}

// The exact max is tracked, so no percentile is reported above it (the highest equivalent value
// of the top bucket may reach past the largest value recorded: p99.9 > max otherwise).
int64_t HdrHistogram::within_recorded(int64_t value) const { return std::min(value, max()); }

std::vector<HdrHistogram::Bucket> HdrHistogram::recorded_buckets() const {
  std::vector<Bucket> buckets;
  if (total_count_ == 0) return buckets;
  const size_t used = used_length(counts_index(max_value_), counts_);
  for (size_t i = 0; i < used; ++i) {
    if (counts_[i] == 0) continue;
    buckets.push_back({highest_equivalent(value_from_index(static_cast<int>(i))), counts_[i]});
  }
  return buckets;
}

std::vector<uint8_t> HdrHistogram::encode_v2() const {
  const size_t used = used_length(counts_index(max_value_), counts_);
  std::vector<uint8_t> out(kV2HeaderSize);
  for (size_t i = 0; i < used;) {
    if (counts_[i] != 0) {
      put_zigzag(out, counts_[i++]);
      continue;
    }
    int64_t zeros = 0;
    for (; i < used && counts_[i] == 0; ++i) ++zeros;
    put_zigzag(out, -zeros);
  }
  put_be(out, 0, kV2EncodingBase | kWordSizeNibble, 4);
  put_be(out, 4, out.size() - kV2HeaderSize, 4);
  put_be(out, 8, 0, 4);  // normalizing index offset: never shifted
  put_be(out, 12, static_cast<uint64_t>(significant_digits_), 4);
  put_be(out, 16, static_cast<uint64_t>(lowest_), 8);
  put_be(out, 24, static_cast<uint64_t>(highest_), 8);
  put_be(out, 32, std::bit_cast<uint64_t>(1.0), 8);  // integer to double conversion ratio
  return out;
}

std::vector<uint8_t> HdrHistogram::encode_compressed() const {
  const std::vector<uint8_t> v2 = encode_v2();
  std::vector<uint8_t> out(kCompressedHeaderSize + deflate_bound(v2.size()));
  const size_t deflated = deflate_into(v2, std::span(out).subspan(kCompressedHeaderSize));
  out.resize(kCompressedHeaderSize + deflated);
  put_be(out, 0, kV2CompressedBase | kWordSizeNibble, 4);
  put_be(out, 4, deflated, 4);
  return out;
}

std::string HdrHistogram::encode_base64() const { return base64_encode(encode_compressed()); }

Status HdrHistogram::load_counts(std::span<const uint8_t> payload) {
  size_t pos = 0;
  size_t index = 0;
  int64_t total = 0;
  int64_t first = -1;
  int64_t last = -1;
  auto fail = [&](const char* what) -> Status {
    counts_.clear_prefix(static_cast<size_t>(last + 1));
    return decode_error(what);
  };
  // Positive varints are counts, negative ones runs of zeros; the totals are kept on the way,
  // so buckets past the last count are never read (their pages stay unmapped).
  while (pos < payload.size()) {
    int64_t value = 0;
    if (!get_zigzag(payload, pos, value)) return fail("last count is truncated");
    if (value < 0) {
      const uint64_t zeros = 0 - static_cast<uint64_t>(value);
      if (zeros > counts_.size() - index) return fail("zero run past the last bucket");
      index += zeros;
      continue;
    }
    if (index >= counts_.size()) return fail("more counts than buckets");
    if (value > 0) {
      if (__builtin_add_overflow(total, value, &total)) {
        return fail("total count overflows 64 bits");
      }
      if (first < 0) first = static_cast<int64_t>(index);
      last = static_cast<int64_t>(index);
    }
    counts_[index++] = value;
  }
  total_count_ = total;
  // Exact extremes are not encoded: the bucket bounds are the tightest values implied.
  if (first >= 0) {
    min_value_ = value_from_index(static_cast<int>(first));
    max_value_ = highest_equivalent(value_from_index(static_cast<int>(last)));
  }
  return Ok{};
}

Result<HdrHistogram> HdrHistogram::decode(std::span<const uint8_t> bytes) {
  std::vector<uint8_t> inflated;
  const Result<V2Parts> v2 = v2_parts(bytes, inflated);
  if (!v2) return Error{v2.error()};
  HdrHistogram h(v2->header.lowest, v2->header.highest, v2->header.digits);
  const Status counts = h.load_counts(v2->counts);
  if (!counts) return Error{counts.error()};
  return h;
}

Status HdrHistogram::decode_into(std::span<const uint8_t> bytes, HdrHistogram& into) {
  into.reset();
  std::vector<uint8_t> inflated;
  const Result<V2Parts> v2 = v2_parts(bytes, inflated);
  if (!v2) return Error{v2.error()};
  const V2Header& header = v2->header;
  if (header.lowest != into.lowest_ || header.highest != into.highest_ ||
      header.digits != into.significant_digits_) {
    return decode_error("configuration " + std::to_string(header.lowest) + ".." +
                        std::to_string(header.highest) + " at " + std::to_string(header.digits) +
                        " digits, expected " + std::to_string(into.lowest_) + ".." +
                        std::to_string(into.highest_) + " at " +
                        std::to_string(into.significant_digits_));
  }
  return into.load_counts(v2->counts);
}

bool HdrHistogram::restore_extremes(int64_t min, int64_t max) {
  if (total_count_ == 0) return true;  // nothing recorded, no extremes to restore
  if (min < 0 || max > highest_ || min > max) return false;
  if (counts_index(min) != counts_index(min_value_) ||
      counts_index(max) != counts_index(max_value_)) {
    return false;
  }
  min_value_ = min;
  max_value_ = max;
  return true;
}

Result<HdrHistogram> HdrHistogram::decode_base64(const std::string& text) {
  Result<std::vector<uint8_t>> bytes = base64_decode(text);
  if (!bytes) return decode_error(bytes.error());
  return decode(*bytes);
}

int HdrHistogram::bucket_index(int64_t value) const {
  // The mask is never zero, so the builtin (a bare bsr/lzcnt, no zero check) is defined here.
  const int pow2_ceiling = 64 - __builtin_clzll(static_cast<uint64_t>(value | sub_bucket_mask_));
  return pow2_ceiling - unit_magnitude_ - (sub_bucket_half_count_magnitude_ + 1);
}

int HdrHistogram::sub_bucket_index(int64_t value, int bucket) const {
  return static_cast<int>(value >> (bucket + unit_magnitude_));
}

int HdrHistogram::counts_index(int64_t value) const {
  const int bucket = bucket_index(value);
  const int sub_bucket = sub_bucket_index(value, bucket);
  return ((bucket + 1) << sub_bucket_half_count_magnitude_) + (sub_bucket - sub_bucket_half_count_);
}

int64_t HdrHistogram::value_from_index(int index) const {
  int bucket = (index >> sub_bucket_half_count_magnitude_) - 1;
  int sub_bucket = (index & (sub_bucket_half_count_ - 1)) + sub_bucket_half_count_;
  if (bucket < 0) {
    sub_bucket -= sub_bucket_half_count_;
    bucket = 0;
  }
  return static_cast<int64_t>(sub_bucket) << (bucket + unit_magnitude_);
}

int64_t HdrHistogram::lowest_equivalent(int64_t value) const {
  const int bucket = bucket_index(value);
  return static_cast<int64_t>(sub_bucket_index(value, bucket)) << (bucket + unit_magnitude_);
}

int64_t HdrHistogram::highest_equivalent(int64_t value) const {
  // Unsigned so that the top bucket of a histogram reaching INT64_MAX does not overflow.
  const uint64_t next = static_cast<uint64_t>(lowest_equivalent(value)) +
                        static_cast<uint64_t>(size_of_equivalent_range(value));
  return static_cast<int64_t>(next - 1);
}

int64_t HdrHistogram::size_of_equivalent_range(int64_t value) const {
  const int bucket = bucket_index(value);
  const int sub_bucket = sub_bucket_index(value, bucket);
  const int adjusted = sub_bucket >= sub_bucket_count_ ? bucket + 1 : bucket;
  return int64_t{1} << (unit_magnitude_ + adjusted);
}

}  // namespace strest
