#pragma once
// A small hand-built Tally whose every sink value is known exactly: latencies below 2048 µs are
// exact in a 3-digit HDR histogram, so quantiles and sums print without rounding.
#include "metrics/tally.h"

namespace strest {

// 3 ok (100, 200, 300 µs), 1 non-expected status (400 µs), 1 timeout, 1 transport error,
// 2 cancelled, 1234 response bytes; status 200 three times and 503 once.
inline Tally sample_tally() {
  Tally tally;
  tally.ok = 3;
  tally.non_expected_status = 1;
  tally.timeouts = 1;
  tally.transport_errors = 1;
  tally.cancelled = 2;
  tally.bytes_received = 1234;
  tally.status_counts[200] = 3;
  tally.status_counts[503] = 1;
  for (int64_t us : {100, 200, 300}) {
    tally.latency_all.record(us);
    tally.latency_ok.record(us);
  }
  tally.latency_all.record(400);
  return tally;
}

}  // namespace strest
