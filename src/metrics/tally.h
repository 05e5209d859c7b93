#pragma once
// Tally: counters and latency histograms for a set of completed requests. A worker's Recorder
// fills one Tally per 100 ms tick; the Collector merges them into run totals. Merge is exact,
// so totals never depend on how the run was sliced.
#include <array>
#include <cstdint>
#include <vector>

#include "metrics/hdr_histogram.h"
#include "metrics/outcome.h"

namespace strest {

inline constexpr int kMaxStatusCode = 999;
// A scheduled request that starts this much after its intended time counts as a late start.
inline constexpr int64_t kLateStartMicros = 1'000;

// The phases of an exchange, as hey and vastar report them. Connect and TLS handshake are
// counted per new connection; the other three per response.
enum class ExchangePhase : uint8_t {
  kConnect,        // TCP connect (and any proxy tunnel); QUIC: none, see kTlsHandshake
  kTlsHandshake,   // TLS or QUIC handshake
  kRequestWrite,   // first to last byte of the request out
  kWaitFirstByte,  // request out to first byte of the response in
  kResponseRead,   // first to last byte of the response in
  kCount,
};
inline constexpr size_t kExchangePhases = static_cast<size_t>(ExchangePhase::kCount);

// Count, sum, min and max of one phase's durations in µs.
struct PhaseStat {
  uint64_t count = 0;
  int64_t sum_us = 0;
  int64_t min_us = INT64_MAX;
  int64_t max_us = 0;

  void add(int64_t us) {
    ++count;
    sum_us += us;
    if (us < min_us) min_us = us;
    if (us > max_us) max_us = us;
  }
  void merge(const PhaseStat& other);
};

// A scenario step's requests: counts by outcome and the latency of every response (ok,
// non-expected and assert-failed alike). Its histogram keeps 2 significant digits (1 %), a
// seventh of a run total's size, because every step of every worker's tick holds one.
struct StepTally {
  uint64_t ok = 0;
  uint64_t non_expected_status = 0;
  uint64_t timeouts = 0;
  uint64_t transport_errors = 0;
  uint64_t assert_failures = 0;
  HdrHistogram latency_all{1, 3'600'000'000LL, 2};

  uint64_t completed() const {
    return ok + non_expected_status + timeouts + transport_errors + assert_failures;
  }
  uint64_t errors() const { return completed() - ok; }
  void merge(const StepTally& other);
  void subtract(const StepTally& earlier);
  void reset();
};

inline constexpr size_t kProtocols = 3;  // HTTP/1.1, HTTP/2, HTTP/3 (metrics/protocol.h order)

struct Tally {
  uint64_t ok = 0;
  uint64_t non_expected_status = 0;
  uint64_t timeouts = 0;
  std::array<uint64_t, static_cast<size_t>(TimeoutKind::kCount)> timeouts_by_kind{};
  uint64_t transport_errors = 0;
  std::array<uint64_t, kTransportErrorKinds> transport_by_kind{};
  // Scenario steps whose response failed the step's assert (or extract found nothing).
  uint64_t assert_failures = 0;
  uint64_t cancelled = 0;       // in flight when the run ended
  uint64_t bytes_received = 0;  // response bytes, headers included
  uint64_t bytes_sent = 0;
  std::array<uint64_t, kMaxStatusCode + 1> status_counts{};  // index = status code
  // Latency in µs of every request that got a response (ok and non-expected), and of ok ones.
  // Open loop: from the intended send time (corrected for coordinated omission).
  HdrHistogram latency_all;
  HdrHistogram latency_ok;
  // Open loop only: service time in µs, from the actual send.
  HdrHistogram service_all;
  HdrHistogram service_ok;
  // Open loop only: how late requests started against the schedule (queue lag).
  uint64_t scheduled_starts = 0;
  int64_t lag_sum_us = 0;
  int64_t lag_max_us = 0;
  uint64_t late_starts = 0;    // started kLateStartMicros or more after their intended time
  uint64_t unsent_at_end = 0;  // due by the end of the run but never started (queue backlog)
  // Requests that started within --warmup: run, counted here, and left out of all the above.
  uint64_t warmup_excluded = 0;
  // Most requests one worker had in flight at once during the tick (merge keeps the maximum;
  // the Collector sums workers per tick for the series).
  uint64_t in_flight_max = 0;
  // Connections that became ready, by protocol; TLS (and QUIC) handshakes, and how many of
  // them resumed an earlier session.
  std::array<uint64_t, kProtocols> connections_by_protocol{};
  uint64_t tls_handshakes = 0;
  uint64_t tls_resumed = 0;
  std::array<PhaseStat, kExchangePhases> phases{};
  // Scenario runs: iterations that ran every step, and those stopped by a failed step.
  uint64_t iterations_passed = 0;
  uint64_t iterations_failed = 0;
  // Scenario runs: the requests per step (index = step); empty for plain runs. merge() grows
  // it to the longer of the two.
  std::vector<StepTally> steps;

  uint64_t completed() const {
    return ok + non_expected_status + timeouts + transport_errors + assert_failures;
  }
  uint64_t errors() const {
    return non_expected_status + timeouts + transport_errors + assert_failures;
  }
  uint64_t connections_opened() const {
    uint64_t total = 0;
    for (uint64_t count : connections_by_protocol) total += count;
    return total;
  }
  void merge(const Tally& other);
  // Takes away `earlier`, this tally at an earlier time (a replay snapshot that starts later).
  // Maxima and phase min/max cannot be taken back: they stay those of the whole.
  void subtract(const Tally& earlier);
  void reset();
};

}  // namespace strest
