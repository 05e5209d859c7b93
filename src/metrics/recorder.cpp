#include "metrics/recorder.h"

namespace strest {

Recorder::Recorder(RecorderOptions options)
    : options_(options), active_(std::make_unique<TickTally>()) {
  active_->tally.steps.resize(options_.steps);
}

bool Recorder::active_is_empty() const {
  const Tally& t = active_->tally;
  return t.completed() == 0 && t.cancelled == 0 && t.bytes_sent == 0 && t.warmup_excluded == 0 &&
         t.scheduled_starts == 0 && t.unsent_at_end == 0 && t.in_flight_max == 0 &&
         t.connections_opened() == 0 && t.iterations_passed == 0 && t.iterations_failed == 0 &&
         t.phases[static_cast<size_t>(ExchangePhase::kRequestWrite)].count == 0;
}

void Recorder::publish(int64_t next_tick) {
  if (active_is_empty()) {
    active_->tick = next_tick;
    return;
  }
  if (options_.log != nullptr) log_tick_events();
  std::unique_ptr<TickTally> next;
  {
    std::lock_guard lock(mutex_);
    finished_.push_back(std::move(active_));
    if (!spare_.empty()) {
      next = std::move(spare_.back());
      spare_.pop_back();
    }
  }
  if (!next) next = std::make_unique<TickTally>();
  next->tally.steps.resize(options_.steps);  // kept by reset(): a no-op once sized
  next->tick = next_tick;
  active_ = std::move(next);
}

// The tick's facts that are not requests go to the run log as it is handed over: a few
// records per tick, from a stack array.
void Recorder::log_tick_events() {
  std::array<RunLogRecord, kMaxTickEvents> events;
  const size_t n =
      tick_events(active_->tally, active_->tick * kTickMicros, options_.worker, events);
  for (size_t i = 0; i < n; ++i) options_.log->push(events[i]);
}

void Recorder::publish_all() { publish(active_->tick); }

void Recorder::drain(std::vector<std::unique_ptr<TickTally>>& out) {
  std::lock_guard lock(mutex_);
  for (auto& finished : finished_) out.push_back(std::move(finished));
  finished_.clear();
}

void Recorder::hand_over(std::unique_ptr<TickTally> tick) {
  std::lock_guard lock(mutex_);
  finished_.push_back(std::move(tick));
}

std::unique_ptr<TickTally> Recorder::spare_tick() {
  {
    std::lock_guard lock(mutex_);
    if (!spare_.empty()) {
      std::unique_ptr<TickTally> tick = std::move(spare_.back());
      spare_.pop_back();
      return tick;  // reset by recycle()
    }
  }
  return std::make_unique<TickTally>();
}

void Recorder::recycle(std::vector<std::unique_ptr<TickTally>>& spent) {
  for (auto& tick : spent) tick->tally.reset();  // outside the lock: resetting costs ~0.4 MB
  std::lock_guard lock(mutex_);
  for (auto& tick : spent) spare_.push_back(std::move(tick));
  spent.clear();
}

}  // namespace strest

namespace strest {

void Recorder::note_error_detail(TransportError kind, std::string_view detail) {
  std::lock_guard lock(mutex_);
  std::string& kept = error_details_[static_cast<size_t>(kind)];
  if (!kept.empty()) return;
  kept = detail;
  if (options_.log == nullptr) return;
  // The worker's own thread calls this, so it may push to its ring.
  for (const RunLogRecord& event :
       text_events(static_cast<uint16_t>(kind), kept, options_.worker)) {
    options_.log->push(event);
  }
}

std::array<std::string, kTransportErrorKinds> Recorder::error_details() {
  std::lock_guard lock(mutex_);
  return error_details_;
}

void Recorder::note_assert_detail(uint16_t step, std::string_view detail) {
  std::lock_guard lock(mutex_);
  if (assert_details_.size() <= step) assert_details_.resize(step + 1u);
  std::string& kept = assert_details_[step];
  if (!kept.empty() || detail.empty()) return;
  kept = detail;
  if (options_.log == nullptr) return;
  for (const RunLogRecord& event :
       text_events(step, kept, options_.worker, RunLogEvent::kAssertText)) {
    options_.log->push(event);
  }
}

std::vector<std::string> Recorder::assert_details() {
  std::lock_guard lock(mutex_);
  return assert_details_;
}

}  // namespace strest
