#pragma once
// Feeds logged records back into a Recorder, as the live worker recorded them: a request at
// its completion time (so it lands in the same tick), a tick event at its tick. Replay and the
// windowed charts rebuild results this way.
#include <cstdint>

#include "metrics/recorder.h"
#include "metrics/run_log_format.h"

namespace strest {

// When a logged record happened: a request's completion, an event's time.
inline int64_t logged_at_us(const RunLogRecord& r) {
  return is_event(r) ? r.start_us : completion_us(r);
}

// Records `r` into `recorder`, times rebased so that `origin_us` becomes 0.
void feed_logged(Recorder& recorder, const RunLogRecord& r, int64_t origin_us);

// Recorder options for records fed back: nothing is warmup (warmup requests were never logged,
// and the log's warmup-excluded counts come back through its tick events).
RecorderOptions fed_recording(bool open_loop, RunLogRing* log, uint16_t worker);

}  // namespace strest
