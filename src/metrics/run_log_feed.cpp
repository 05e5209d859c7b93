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
      .start_us = r.start_us - origin_us,
      .sent_us = now - r.service_us,
      .sequence = r.sequence,
      .step = r.step,
  };
  switch (r.outcome) {
    case LoggedOutcome::kOk:
    case LoggedOutcome::kNonExpectedStatus:
      recorder.record_response(r.status, r.outcome == LoggedOutcome::kOk, times, r.bytes, now);
      return;
    case LoggedOutcome::kAssertFailed:
      recorder.record_assert_failure(r.status, times, r.bytes, now);
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

FedRecorders::FedRecorders(uint32_t count, bool open_loop, RunLogWriter* log, uint16_t steps) {
  for (uint32_t w = 0; w < std::max<uint32_t>(count, 1); ++w) {
    RecorderOptions options = fed_recording(open_loop, log != nullptr ? &log->ring(w) : nullptr,
                                            static_cast<uint16_t>(w));
    options.steps = steps;
    owned_.push_back(std::make_unique<Recorder>(options));
    views_.push_back(owned_.back().get());
  }
}

void FedRecorders::publish_all() {
  for (Recorder* recorder : views_) recorder->publish_all();
}

uint16_t fed_step_count(size_t named_steps, uint16_t max_step) {
  const size_t by_records = max_step > 0 ? max_step + 1u : 0u;
  return static_cast<uint16_t>(std::min<size_t>(std::max(named_steps, by_records), UINT16_MAX));
}

RecorderOptions fed_recording(bool open_loop, RunLogRing* log, uint16_t worker) {
  return RecorderOptions{.warmup_us = std::numeric_limits<int64_t>::min(),
                         .open_loop = open_loop,
                         .log = log,
                         .worker = worker};
}

}  // namespace strest
