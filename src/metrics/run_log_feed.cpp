#include "metrics/run_log_feed.h"

#include <limits>

namespace strest {

void feed_logged(Recorder& recorder, const RunLogRecord& r, int64_t origin_us) {
  const int64_t now = logged_at_us(r) - origin_us;
  if (is_event(r)) {
    recorder.replay_tick_event(r, now);
    return;
  }
  const RequestTimes times{
      .start_us = r.start_us - origin_us, .sent_us = now - r.service_us, .sequence = r.sequence};
  switch (r.outcome) {
    case LoggedOutcome::kOk:
    case LoggedOutcome::kNonExpectedStatus:
      recorder.record_response(r.status, r.outcome == LoggedOutcome::kOk, times, r.bytes, now);
      return;
    case LoggedOutcome::kTimeout:
      recorder.record_timeout(static_cast<TimeoutKind>(r.error_kind), times, r.bytes, now);
      return;
    case LoggedOutcome::kTransport:
      recorder.record_transport_error(static_cast<TransportError>(r.error_kind), times, r.bytes,
                                      now);
      return;
    case LoggedOutcome::kEvent:
      return;
  }
}

RecorderOptions fed_recording(bool open_loop, RunLogRing* log, uint16_t worker) {
  return RecorderOptions{.warmup_us = std::numeric_limits<int64_t>::min(),
                         .open_loop = open_loop,
                         .log = log,
                         .worker = worker};
}

}  // namespace strest
