#include "dist/tick_stream.h"

#include <utility>

#include "clock/run_clock.h"
#include "dist/wire_tally.h"

namespace strest::dist {

namespace {
constexpr size_t kBatchBytes = 1 << 20;
}

TickStream::TickStream(uint64_t run_id, int64_t interval_us, Send send)
    : run_id_(run_id),
      interval_us_(interval_us),
      send_(std::move(send)),
      last_send_us_(monotonic_us()) {
  batch_.mutable_ticks()->set_run_id(run_id_);
}

void TickStream::on_tick(const TickTally& tick) {
  completed_ += tick.tally.completed();
  tick_to_wire(tick, *batch_.mutable_ticks()->add_ticks());
  if (batch_.ByteSizeLong() >= kBatchBytes) close_batch();
  if (interval_us_ > 0 && monotonic_us() - last_send_us_ >= interval_us_) {
    close_batch();
    send_held();
  }
}

uint64_t TickStream::finish() {
  close_batch();
  send_held();
  return completed_;
}

void TickStream::close_batch() {
  if (batch_.ticks().ticks_size() == 0) return;
  held_.push_back(std::move(batch_));
  batch_ = AgentMessage{};
  batch_.mutable_ticks()->set_run_id(run_id_);
}

void TickStream::send_held() {
  for (AgentMessage& message : held_) send_(std::move(message));
  held_.clear();
  last_send_us_ = monotonic_us();
}

}  // namespace strest::dist
