#pragma once
// Feeds logged records back into a Recorder, as the live worker recorded them: a request at
// its completion time (so it lands in the same tick), a tick event at its tick. Replay and the
// windowed charts rebuild results this way.
#include <cstdint>
#include <memory>
#include <vector>

#include "metrics/recorder.h"
#include "metrics/run_log_format.h"
#include "metrics/run_log_writer.h"

namespace strest {

// When a logged record happened: a request's completion, an event's time.
inline int64_t logged_at_us(const RunLogRecord& r) {
  return is_event(r) ? r.start_us : completion_us(r);
}

// Scenario steps a rebuild needs rows for: the log's step names, or else one more than the
// highest step a request record names (0 when every record is step 0 and there are no names).
uint16_t fed_step_count(size_t named_steps, uint16_t max_step);

// Records `r` into `recorder`, times rebased so that `origin_us` becomes 0.
void feed_logged(Recorder& recorder, const RunLogRecord& r, int64_t origin_us);

// How many Recorders a rebuild needs: one per worker when the records come with per-worker
// tick events (version 2 run logs: in-flight counts add up across workers, each worker's tick
// must stay its own), else one (version 1 logs and exports, whose worker numbers may be
// anything). Records then go to recorder fed_recorder_of(record, count).
inline constexpr uint32_t kMaxFedRecorders = 1024;
inline uint32_t fed_recorder_count(bool has_tick_events, uint32_t max_worker) {
  return has_tick_events && max_worker < kMaxFedRecorders ? max_worker + 1 : 1;
}
inline uint32_t fed_recorder_of(const RunLogRecord& r, uint32_t count) {
  return count == 1 ? 0 : r.worker;
}

// The Recorders a rebuild feeds, fed_recorder_count() of them, each logging to its ring of
// `log` when one is given (a replay's own run log, for its exports), each keeping a row per
// scenario step when `steps` is not 0 (records' step field says which).
class FedRecorders {
 public:
  FedRecorders(uint32_t count, bool open_loop, RunLogWriter* log = nullptr, uint16_t steps = 0);

  // Records `r` into its worker's Recorder, times rebased so that `origin_us` becomes 0.
  void feed(const RunLogRecord& r, int64_t origin_us) {
    feed_logged(*owned_[fed_recorder_of(r, static_cast<uint32_t>(owned_.size()))], r, origin_us);
  }
  // Hands every Recorder's current tick over, so a Collector sees everything fed so far.
  void publish_all();
  const std::vector<Recorder*>& views() const { return views_; }
  Recorder& first() { return *owned_.front(); }

 private:
  std::vector<std::unique_ptr<Recorder>> owned_;
  std::vector<Recorder*> views_;
};

// Recorder options for records fed back: nothing is warmup (warmup requests were never logged,
// and the log's warmup-excluded counts come back through its tick events).
RecorderOptions fed_recording(bool open_loop, RunLogRing* log, uint16_t worker);

}  // namespace strest
