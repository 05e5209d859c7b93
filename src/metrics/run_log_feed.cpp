#include "metrics/run_log_feed.h"

#include <algorithm>
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

FedRecorders::FedRecorders(uint32_t count, bool open_loop, RunLogWriter* log) {
  for (uint32_t w = 0; w < std::max<uint32_t>(count, 1); ++w) {
    owned_.push_back(std::make_unique<Recorder>(fed_recording(
        open_loop, log != nullptr ? &log->ring(w) : nullptr, static_cast<uint16_t>(w))));
    views_.push_back(owned_.back().get());
  }
}

void FedRecorders::publish_all() {
  for (Recorder* recorder : views_) recorder->publish_all();
}

RecorderOptions fed_recording(bool open_loop, RunLogRing* log, uint16_t worker) {
  return RecorderOptions{.warmup_us = std::numeric_limits<int64_t>::min(),
                         .open_loop = open_loop,
                         .log = log,
                         .worker = worker};
}

}  // namespace strest
