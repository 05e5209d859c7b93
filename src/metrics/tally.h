#pragma once
// Tally: counters and latency histograms for a set of completed requests. A worker's Recorder
// fills one Tally per 100 ms tick; the Collector merges them into run totals. Merge is exact,
// so totals never depend on how the run was sliced.
#include <array>
#include <cstdint>

#include "metrics/hdr_histogram.h"
#include "metrics/outcome.h"

namespace strest {

inline constexpr int kMaxStatusCode = 999;

struct Tally {
  uint64_t ok = 0;
  uint64_t non_expected_status = 0;
  uint64_t timeouts = 0;
  std::array<uint64_t, static_cast<size_t>(TimeoutKind::kCount)> timeouts_by_kind{};
  uint64_t transport_errors = 0;
  std::array<uint64_t, kTransportErrorKinds> transport_by_kind{};
  uint64_t cancelled = 0;       // in flight when the run ended
  uint64_t bytes_received = 0;  // response bytes, headers included
  uint64_t bytes_sent = 0;
  std::array<uint64_t, kMaxStatusCode + 1> status_counts{};  // index = status code
  HdrHistogram latency_all;  // µs, every request that got a response (ok and non-expected)
  HdrHistogram latency_ok;   // µs, ok requests only

  uint64_t completed() const { return ok + non_expected_status + timeouts + transport_errors; }
  uint64_t errors() const { return non_expected_status + timeouts + transport_errors; }
  void merge(const Tally& other);
  void reset();
};

}  // namespace strest
